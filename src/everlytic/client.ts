import { unreadableAttachment } from "../core/attachment.ts";
import { basicAuthorization, HEADER_TEXT, requireCredentials } from "../core/credentials.ts";
import { deliver, invalid } from "../core/deliver.ts";
import { createVendorHttpClient, withHeader } from "../core/http-client.ts";
import { resolveOptions, type CallOptions } from "../core/options.ts";
import type { Outcome, ValidationIssue } from "../core/outcome.ts";
import { withIdempotency } from "../core/idempotency.ts";
import { Redactor } from "../core/redact.ts";
import { responseBody } from "../core/response.ts";
import { validateInput } from "../core/validation.ts";
import type { TemplateMessage } from "../core/message.ts";
import { templateMessageSender } from "../core/message-sender.ts";
import type { paths } from "../../generated/everlytic.ts";
import { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.ts";
import { toSendMailRequest, type SendMailRequest } from "./request.ts";
import { mapEverlyticResponse, type SendMailSuccess } from "./response.ts";
import { EverlyticMessageSchema, recipientsOf, type EverlyticMessage } from "./schema.ts";

/** An Everlytic client; see `createEverlyticClient`. */
export interface EverlyticClient {
  /**
   * Sends one transactional email through `POST /transactional/email/v1/mail`. Never rejects: returns `Sent`
   * (with one transaction id per recipient) or a `Failure`. Bad input gets a `validation` outcome and nothing is sent.
   */
  send(message: EverlyticMessage, call?: CallOptions): Promise<Outcome<SendMailSuccess>>;
  /**
   * Sends the common `TemplateMessage`, converted to this vendor's message and then sent as `send` sends it (every
   * rule of `send` applies; issues name the common message's fields). A field this vendor cannot carry is a
   * `validation` issue with rule `unsupported_by_vendor`.
   */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<SendMailSuccess>>;
}

/**
 * Creates an Everlytic Transactional Email client (HTTP Basic: your username and API key).
 *
 * @example
 * const everlytic = createEverlyticClient({ username: "acme", apiKey: env.EVERLYTIC_API_KEY });
 * const outcome = await everlytic.send({
 *   body: { html: "<h1>Your order has shipped</h1>" },
 *   headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com", name: "Joe" }] },
 * });
 * if (outcome.ok) console.log(outcome.data.transactions.map((t) => t.id));
 * else console.error(outcome.kind, outcome.message);
 */
export function createEverlyticClient(options: EverlyticOptions): EverlyticClient {
  requireCredentials("createEverlyticClient", { username: [options.username, HEADER_TEXT], apiKey: [options.apiKey, HEADER_TEXT] });
  const common = { ...options, baseUrl: options.baseUrl ?? EVERLYTIC_BASE_URL };
  const resolved = resolveOptions("everlytic", common);
  const basic = basicAuthorization(options.username, options.apiKey);
  const redactor = new Redactor().add(...basic.secrets);
  const http = createVendorHttpClient<paths>(common, withHeader("Authorization", basic.header));

  // valibot's messages quote the input, and a key pasted into the wrong field must not come back.
  const refuse = (issues: ValidationIssue[]) => invalid<SendMailSuccess>("everlytic", issues, redactor);

  const client: Pick<EverlyticClient, "send"> = {
    // An idempotency key is checked before anything else, so a replay neither validates nor sends again.
    send: withIdempotency("everlytic", options.idempotencyLedger, async (message, call) => {
      const parsed = validateInput(EverlyticMessageSchema, message);
      if (!parsed.success) return refuse(parsed.issues);
      let body: SendMailRequest;
      try {
        body = await toSendMailRequest(parsed.output);
      } catch (error) {
        // A Blob can fail to read (a File changed on disk): still an outcome, and still nothing sent.
        return refuse([unreadableAttachment("attachments.data", error)]);
      }
      // Serialised once: a retry resends the same text instead of stringifying megabytes of base64 again.
      const json = JSON.stringify(body);
      const recipients = recipientsOf(parsed.output);
      return deliver<SendMailSuccess>(resolved, redactor, call, async (signal) => {
        const result = await http.POST("/transactional/email/v1/mail", { body, bodySerializer: () => json, parseAs: "text", signal });
        return mapEverlyticResponse(result.response.status, responseBody(result), result.response.headers, recipients);
      });
    }),
  };
  return { ...client, sendMessage: templateMessageSender("everlytic", async () => (await import("./message-converter.ts")).toEverlyticMessage, client.send, redactor) };
}
