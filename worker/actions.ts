/**
 * This deployment's browser actions, built on its catalogue: each template declared once (its variables and the
 * vendor template(s) that render it, in failover order), and each action naming one, with who may send it, to whom,
 * and its limits. One template per vendor, so every vendor has a browser path. Edit this file to define your own;
 * a browser client imports only its types (`import type { ActionName } from ".../actions"`), so no vendor code
 * reaches a page.
 */
import * as v from "valibot";
import { defineCatalogue } from "../src/catalogue/catalogue.ts";
import { defineActions, emailAddress, line, paragraph, type ActionRequest } from "../src/worker/index.ts";

/**
 * ExpertSender puts snippet values into the message as HTML, and a browser supplies text: each value is
 * HTML-escaped for ExpertSender only (another vendor of the same template would get the text as it is).
 */
function htmlEscaped(variables: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)]));
}

/** The templates the browser actions send. The browser's variables become template data only. */
export const catalogue = defineCatalogue({
  orderShipped: {
    variables: v.strictObject({
      orderNumber: v.pipe(line(32), v.regex(/^[A-Za-z0-9-]+$/, "must be an order number")),
      carrier: v.optional(line(64)),
      trackingUrl: v.optional(v.pipe(line(500), v.url(), v.startsWith("https://"))),
    }),
    // `fallback`: listmonk sends to subscribers and non-subscribers alike.
    via: [{ vendor: "listmonk", template: 2, message: { from: { address: "shop@example.com", name: "Example Shop" }, native: { subscriber_mode: "fallback" } } }],
  },
  contactMessage: {
    variables: v.strictObject({ name: line(100), replyTo: v.pipe(line(254), emailAddress), message: paragraph(4000) }),
    via: [{ vendor: "everlytic", template: "g789123d-8924-4811-b964-4d7255c6c54a", message: { from: { address: "forms@example.com", name: "Contact form" } } }],
  },
  /** Transactional: a security notice must reach users who opted out of marketing. Tracking off. */
  passwordChanged: {
    variables: v.strictObject({ name: line(100), changedAt: v.pipe(line(40), v.isoTimestamp()) }),
    message: { transactional: true },
    via: [{ vendor: "acton", template: "t-0099", message: { from: { address: "support@example.com", name: "Example Support" }, tracking: { opens: false, clicks: false } } }],
  },
  welcome: {
    variables: v.strictObject({ firstName: line(100) }),
    via: [{ vendor: "expertsender", template: 123, data: htmlEscaped }],
  },
});

export const actions = defineActions(catalogue, {
  /** A signed-in customer's shipping notice, to their own address. */
  "order-shipped": { template: "orderShipped", auth: "jwt", recipient: { kind: "self" } },
  /**
   * The anonymous contact form: Turnstile-checked, to one of the site's own inboxes. The page renders its widget
   * with `data-action="contact"`; a token solved on another form is refused.
   */
  "contact-form": {
    template: "contactMessage",
    auth: "turnstile",
    turnstileAction: "contact",
    recipient: { kind: "allow", addresses: ["support@example.com", "sales@example.com"] },
    multiline: ["message"],
  },
  /** A signed-in user's security notice; Act-On gets a fresh externalId per send, so it can tell two sends apart. */
  "password-changed": {
    template: "passwordChanged",
    auth: "jwt",
    recipient: { kind: "self" },
    perSend: () => ({ byVendor: { acton: { externalId: crypto.randomUUID() } } }),
  },
  /** A signed-in user's welcome email, which the page may schedule up to a week ahead (`sendAt`) and cancel. */
  welcome: { template: "welcome", auth: "jwt", recipient: { kind: "self" }, schedule: { maxDelaySeconds: 7 * 24 * 60 * 60 } },
});

/** Every action this worker serves. */
export type Actions = typeof actions;
/** The name of an action, e.g. `"order-shipped"`. */
export type ActionName = keyof Actions & string;
/** The variables a browser sends for action `N`. */
export type ActionVariables<N extends ActionName> = v.InferInput<Actions[N]["variables"]>;
/** The body of `POST /v1/actions` for action `N`. */
export type BrowserActionRequest<N extends ActionName> = ActionRequest<Actions, N>;
