/** What Act-On can carry of the common `TemplateMessage` (docs/vendors/README.md, "What each vendor can carry"). */
import type { VendorCapabilities } from "../core/capabilities.ts";

/**
 * What Act-On carries: one `to` with no name, up to 5 cc, no bcc, a from address with a display name, a bare
 * reply-to, a subject, text personalization, one tag, `externalId`; `transactional` and `tracking` must be stated
 * (`transactional: true` reaches contacts who opted out, so it is for email that is transactional by law). No
 * attachments; its answer carries no message id.
 *
 * @example
 * if (actOnCapabilities.attachments.max === 0) console.log("send a link instead of a file");
 */
export const actOnCapabilities: VendorCapabilities = {
  vendor: "acton", template: "string", subject: true, data: "text", tags: 1, externalId: true, transactional: "stated", tracking: true,
  to: { max: 1, names: false }, cc: { max: 5, names: false }, bcc: { max: 0, names: false }, from: { max: 1, names: true }, replyTo: { max: 1, names: false },
  attachments: false, attachmentContentType: false,
  // The ETE send returns no id and no report, status or event API is documented for it; Act-On's webhooks are
  // contact-level, set up in its UI. `metadata.externalId` would hold our id, but nothing documented gives it back.
  deliveryEvents: "none", deliveryEventKinds: [], deliveryEventMatch: "none", messageIdCarrier: "none",
};
