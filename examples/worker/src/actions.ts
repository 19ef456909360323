/**
 * What a page may ask this Worker to send. The catalogue declares each template once: the variables a page may
 * fill in, and the vendor template(s) that render it, in failover order. Each action names a template and says
 * who may send it (a Turnstile-checked form, or a signed-in user) and to whom. A page never chooses a vendor,
 * a sender or a recipient outside these rules.
 */
import * as v from "valibot";
import { defineActions, defineCatalogue, emailAddress, line, paragraph } from "txgate/worker";

export const catalogue = defineCatalogue({
  contactMessage: {
    variables: v.strictObject({ name: line(100), replyTo: v.pipe(line(254), emailAddress), message: paragraph(4000) }),
    // listmonk first; Everlytic only when listmonk's answer proves nothing was sent (an outage, a rate limit).
    via: [
      { vendor: "listmonk", template: 3, message: { from: { address: "forms@example.com", name: "Contact form" }, native: { subscriber_mode: "external" } } },
      { vendor: "everlytic", template: "contact-message", message: { from: { address: "forms@example.com", name: "Contact form" } } },
    ],
  },
  orderShipped: {
    variables: v.strictObject({ orderNumber: v.pipe(line(32), v.regex(/^[A-Za-z0-9-]+$/, "must be an order number")) }),
    via: [{ vendor: "listmonk", template: 2, message: { from: { address: "shop@example.com", name: "Example Shop" }, native: { subscriber_mode: "external" } } }],
  },
});

export const actions = defineActions(catalogue, {
  /** The anonymous contact form: Turnstile-checked, to one of the site's own inboxes. */
  "contact-form": {
    template: "contactMessage",
    auth: "turnstile",
    turnstileAction: "contact",
    recipient: { kind: "allow", addresses: ["support@example.com"] },
    multiline: ["message"],
  },
  /** A signed-in customer's shipping notice, to their own verified address only. */
  "order-shipped": { template: "orderShipped", auth: "jwt", recipient: { kind: "self" } },
});

/** The actions' types, for a page's `createBrowserClient<Actions>()`: it imports the type only, never this code. */
export type Actions = typeof actions;
