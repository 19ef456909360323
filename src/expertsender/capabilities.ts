/** What ExpertSender can carry of the common `TemplateMessage` (docs/vendors/README.md, "What each vendor can carry"). */
import type { VendorCapabilities } from "../core/capabilities.ts";

/**
 * What ExpertSender carries: one receiver (a subscriber, so no display name), bcc addresses (its `Bcc`, `;`-joined),
 * text snippets, attachments with their content type. The sender, reply-to, subject and tracking belong to the
 * transactional message set up in ExpertSender; no cc, tags or externalId; the API is transactional only.
 *
 * @example
 * if (!expertSenderCapabilities.to.names) console.log("ExpertSender takes a bare address");
 */
export const expertSenderCapabilities: VendorCapabilities = {
  vendor: "expertsender", template: "number", subject: false, data: "text", tags: 0, externalId: false, transactional: "always", tracking: false,
  to: { max: 1, names: false }, cc: { max: 0, names: false }, bcc: { max: Infinity, names: false }, from: { max: 0, names: false }, replyTo: { max: 0, names: false },
  attachments: true, attachmentContentType: true, nativeAttachments: { list: ["Attachments"], content: "Content" },
  // GET /v2/Api/Activities (one day, CSV) with returnGuid=true gives the GUID a ReturnGuid send returned; its
  // columns are not documented, so txgate has no parser for it yet. No field of ours comes back in it.
  deliveryEvents: "report", deliveryEventKinds: ["sent", "bounced", "opened", "clicked", "unsubscribed", "complained"], deliveryEventMatch: "vendor-id",
  messageIdCarrier: "none",
};
