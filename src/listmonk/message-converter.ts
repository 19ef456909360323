/** The common `TemplateMessage` to listmonk's `/api/tx` message, and what listmonk can carry of it. */
import type { VendorCapabilities } from "../core/capabilities.ts";
import { unsupportedFields } from "../core/capabilities.ts";
import { addressList, checkTemplateMessage, definedFields, type MessageConverter } from "../core/message.ts";
import type { ListmonkMessage } from "./schema.ts";

/**
 * What listmonk carries: many `to` (subscriber_emails, bare addresses), no cc or bcc, a bare from address, a
 * reply-to (as a `Reply-To` header), a subject, JSON data, attachments with their content type. No tags,
 * externalId or tracking per message; every `/api/tx` message is transactional.
 */
export const listmonkCapabilities: VendorCapabilities = {
  vendor: "listmonk",
  template: "number",
  to: { max: Infinity, names: false },
  cc: { max: 0, names: false },
  bcc: { max: 0, names: false },
  from: { max: 1, names: false },
  replyTo: { max: 1, names: false },
  subject: true,
  data: "json",
  attachments: true,
  attachmentContentType: true,
  tags: 0,
  externalId: false,
  transactional: "always",
  tracking: false,
};

/**
 * The common message as listmonk's `send` takes it.
 *
 * @example
 * const converted = toListmonkMessage({ template: 3, to: ["ada@example.com"], data: { orderId: "1234" } });
 */
export const toListmonkMessage: MessageConverter<ListmonkMessage> = (input) => {
  const checked = checkTemplateMessage(input, (message) => unsupportedFields(listmonkCapabilities, message));
  if (!checked.success) return checked;
  const message = checked.output;
  const [replyTo] = addressList(message.replyTo);
  const native = definedFields({
    template_id: message.template as number,
    subscriber_emails: addressList(message.to).map((item) => item.address),
    from_email: addressList(message.from)[0]?.address,
    subject: message.subject,
    data: message.data as Record<string, unknown> | undefined,
    headers: replyTo && [{ "Reply-To": replyTo.address }],
    attachments: message.attachments?.map((file) => definedFields({ content: file.content, filename: file.filename, contentType: file.contentType })),
  }) as ListmonkMessage;
  return { success: true, output: { native, origins: LISTMONK_ORIGINS } };
};

const LISTMONK_ORIGINS = [
  ["template_id", "template"],
  ["subscriber_emails", "to"],
  ["from_email", "from"],
  ["headers.0", "replyTo"],
  ["data", "data"],
  ["attachments", "attachments"],
  ["subject", "subject"],
] as const;
