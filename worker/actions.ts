/**
 * This deployment's browser actions: one per vendor, so every vendor has a browser path. Edit this file to
 * define your own; a browser client imports only its types (`import type { ActionName } from ".../actions"`),
 * so no vendor code reaches a page.
 */
import * as v from "valibot";
import { defineActions, emailAddress, line, paragraph, type ActionRequest } from "../src/worker/index.ts";
import { actonTemplate, everlyticTemplate, expertsenderTemplate, listmonkTemplate } from "../src/worker/index.ts";

export const actions = defineActions({
  /** A signed-in customer's shipping notice, to their own address, through listmonk. */
  "order-shipped": {
    auth: "jwt",
    recipient: { kind: "self" },
    variables: v.strictObject({
      orderNumber: v.pipe(line(32), v.regex(/^[A-Za-z0-9-]+$/, "must be an order number")),
      carrier: v.optional(line(64)),
      trackingUrl: v.optional(v.pipe(line(500), v.url(), v.startsWith("https://"))),
    }),
    send: listmonkTemplate({ templateId: 2, from: "Example Shop <shop@example.com>" }),
  },
  /**
   * The anonymous contact form: Turnstile-checked, to one of the site's own inboxes, through Everlytic. The
   * page renders its widget with `data-action="contact"`; a token solved on another form is refused.
   */
  "contact-form": {
    auth: "turnstile",
    turnstileAction: "contact",
    recipient: { kind: "allow", addresses: ["support@example.com", "sales@example.com"] },
    variables: v.strictObject({
      name: line(100),
      replyTo: v.pipe(line(254), emailAddress),
      message: paragraph(4000),
    }),
    multiline: ["message"],
    send: everlyticTemplate({ templateId: "g789123d-8924-4811-b964-4d7255c6c54a", from: { email: "forms@example.com", name: "Contact form" } }),
  },
  /** A signed-in user's security notice, through Act-On (transactional: it must reach users who opted out). */
  "password-changed": {
    auth: "jwt",
    recipient: { kind: "self" },
    variables: v.strictObject({ name: line(100), changedAt: v.pipe(line(40), v.isoTimestamp()) }),
    send: actonTemplate({ templateId: "t-0099", from: { address: "support@example.com", name: "Example Support" }, transactional: true }),
  },
  /** A signed-in user's welcome email, through ExpertSender. */
  welcome: {
    auth: "jwt",
    recipient: { kind: "self" },
    variables: v.strictObject({ firstName: line(100) }),
    send: expertsenderTemplate({ transactionalId: 123 }),
  },
});

/** Every action this worker serves. */
export type Actions = typeof actions;
/** The name of an action, e.g. `"order-shipped"`. */
export type ActionName = keyof Actions & string;
/** The variables a browser sends for action `N`. */
export type ActionVariables<N extends ActionName> = v.InferInput<Actions[N]["variables"]>;
/** The body of `POST /v1/actions` for action `N`. */
export type BrowserActionRequest<N extends ActionName> = ActionRequest<Actions, N>;
