/** What listmonk can carry of the common `TemplateMessage` (docs/vendors/README.md, "What each vendor can carry"). */
import type { VendorCapabilities } from "../core/capabilities.ts";

/**
 * What listmonk carries: many `to` (subscriber_emails, bare addresses), no cc or bcc, a from address with a
 * display name (`from_email` takes `Name <address>`; a name it cannot carry unchanged is refused), a reply-to (as a `Reply-To` header), a subject, JSON data, attachments with their content type. No tags,
 * externalId or tracking per message; every `/api/tx` message is transactional. It keeps only what follows the
 * last `/` of an attachment's file name, which is why the common rule `attachment_name` refuses `/`; it answers
 * with no message id.
 *
 * @example
 * if (listmonkCapabilities.cc.max === 0) console.log("listmonk sends no cc");
 */
export const listmonkCapabilities: VendorCapabilities = {
  vendor: "listmonk", template: "number", subject: true, data: "json", tags: 0, externalId: false, transactional: "always", tracking: false,
  to: { max: Infinity, names: false }, cc: { max: 0, names: false }, bcc: { max: 0, names: false }, from: { max: 1, names: true }, replyTo: { max: 1, names: false },
  attachments: true, attachmentContentType: true, nativeAttachments: { list: ["attachments"], content: "content" },
  // Bounce records (GET /api/bounces, parseListmonkBounces) name the address only, and exist for subscribers only.
  // A header could hold our id, but no record gives headers back.
  deliveryEvents: "report", deliveryEventKinds: ["bounced", "complained"], deliveryEventMatch: "recipient", messageIdCarrier: "none",
};
