/**
 * How each vendor's message is made from an accepted browser request. The vendor, template and sender are
 * fixed here by the deployment; the browser's variables become template data only (never a subject, sender,
 * header, HTML body or attachment). The result is the library client's `send` input, which it validates again.
 */
import type { ActOnMessage } from "../acton/index.ts";
import type { EverlyticMessage } from "../everlytic/index.ts";
import type { ExpertSenderMessage } from "../expertsender/index.ts";
import type { ListmonkMessage } from "../listmonk/index.ts";
import type { EvaluatedSyntax, VendorTemplate } from "./policy.ts";

/**
 * ExpertSender evaluates personalization tags (`*[subscriber_firstname]*`) inside snippet values (its
 * SystemTransactionals page: "Snippets can contain … personalization tags").
 */
const EXPERTSENDER_TAGS: EvaluatedSyntax = { pattern: /\*\[/, description: "ExpertSender personalization tags (*[ ]*)" };
/**
 * Act-On and Everlytic put `{{field}}` personalization in templates; neither documents whether a substituted
 * value is read for it again, so a value that could be one is refused rather than bet on. listmonk's values are
 * Go template data (`{{ .Tx.Data.name }}`), which a Go template prints and never evaluates: nothing to refuse.
 */
const MERGE_TAGS: EvaluatedSyntax = { pattern: /\{\{|\}\}/, description: "personalization tags ({{ }})" };

/** Template data as the vendors that take text only want it. */
function asText(variables: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

/**
 * A listmonk transactional template. `fallback` mode (the default) sends to subscribers and non-subscribers alike.
 *
 * @example
 * send: listmonkTemplate({ templateId: 2, from: "Shop <shop@example.com>" })
 */
export function listmonkTemplate(options: { templateId: number; from: string; subscriberMode?: "default" | "fallback" | "external" }): VendorTemplate {
  return {
    vendor: "listmonk",
    template: options.templateId,
    sender: options.from,
    build: ({ recipient, variables }): ListmonkMessage => ({
      template_id: options.templateId,
      subscriber_mode: options.subscriberMode ?? "fallback",
      subscriber_emails: [recipient],
      from_email: options.from,
      data: { ...variables },
    }),
  };
}

/**
 * An Act-On Event-Triggered Email template. `transactional` is the deployment's legal statement about the
 * email (true reaches contacts who opted out of marketing), so it must be given; tracking is off unless asked.
 *
 * @example
 * send: actonTemplate({ templateId: "t-0099", from: { address: "support@example.com", name: "Support" }, transactional: true })
 */
export function actonTemplate(options: {
  templateId: string;
  from?: { address: string; name?: string };
  transactional: boolean;
  track?: boolean;
}): VendorTemplate {
  return {
    vendor: "acton",
    template: options.templateId,
    evaluatedSyntax: MERGE_TAGS,
    sender: options.from?.address,
    build: ({ recipient, variables }): ActOnMessage => ({
      templateId: options.templateId,
      envelope: {
        toAddress: recipient,
        ...(options.from ? { fromAddress: options.from.address } : {}),
        ...(options.from?.name ? { fromDisplayName: options.from.name } : {}),
      },
      content: { personalizationDataMap: asText(variables) },
      metadata: { transactional: options.transactional, externalId: crypto.randomUUID() },
      actions: { trackOpens: options.track ?? false, trackClicks: options.track ?? false },
    }),
  };
}

/**
 * A published Everlytic template; the fixed sender overrides the template's.
 *
 * @example
 * send: everlyticTemplate({ templateId: "g789123d-…", from: { email: "support@example.com", name: "Support" } })
 */
export function everlyticTemplate(options: { templateId: string; from: { email: string; name?: string } }): VendorTemplate {
  return {
    vendor: "everlytic",
    template: options.templateId,
    evaluatedSyntax: MERGE_TAGS,
    sender: options.from.email,
    build: ({ recipient, variables }): EverlyticMessage => ({
      headers: { to: [{ email: recipient }], from: { ...options.from } },
      options: { template_id: options.templateId },
      body: { personalisation_fields: { common_fields: asText(variables) } },
    }),
  };
}

/**
 * An ExpertSender system transactional message; its sender is set in ExpertSender. Variables become snippets,
 * HTML-escaped: ExpertSender puts snippets into the message as HTML, and a browser supplies text.
 *
 * @example
 * send: expertsenderTemplate({ transactionalId: 123 })
 */
export function expertsenderTemplate(options: { transactionalId: number }): VendorTemplate {
  return {
    vendor: "expertsender",
    template: options.transactionalId,
    evaluatedSyntax: EXPERTSENDER_TAGS,
    build: ({ recipient, variables }): ExpertSenderMessage => ({
      transactionalId: options.transactionalId,
      Receiver: { Email: recipient },
      Snippets: Object.entries(asText(variables)).map(([Name, Value]) => ({ Name, Value: escapeHtml(Value) })),
    }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
