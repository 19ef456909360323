/** What Everlytic can carry of the common `TemplateMessage` (docs/vendors/README.md, "What each vendor can carry"). */
import type { VendorCapabilities } from "../core/capabilities.ts";

/**
 * What Everlytic carries: to, cc and bcc lists with display names, from and reply-to with names, a subject,
 * text personalisation (common fields), attachments (without a content type), open and link tracking. No tags or
 * externalId; the API is transactional only.
 *
 * @example
 * console.log(everlyticCapabilities.bcc.max, everlyticCapabilities.bcc.names);
 */
export const everlyticCapabilities: VendorCapabilities = {
  vendor: "everlytic", template: "string", subject: true, data: "text", tags: 0, externalId: false, transactional: "always", tracking: true,
  to: { max: Infinity, names: true }, cc: { max: Infinity, names: true }, bcc: { max: Infinity, names: true }, from: { max: 1, names: true }, replyTo: { max: 1, names: true },
  attachments: true, attachmentContentType: false, nativeAttachments: { list: ["attachments", "data"], content: "content" },
  // Webhooks (parseEverlyticEvents): matched by the transaction ids the send returned. Only the legacy field set
  // echoes custom headers, so only it carries our id back.
  deliveryEvents: "webhook", deliveryEventKinds: ["sent", "delivered", "failed", "bounced", "opened", "clicked", "unsubscribed"], deliveryEventMatch: "vendor-id",
  messageIdCarrier: { field: "headers.custom_headers.X-Txgate-Message-Id", echoedIn: "webhooks with field_set legacy: event.custom_headers" },
};
