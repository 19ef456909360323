/** The common `TemplateMessage` to listmonk's `/api/tx` message. */
import { listmonkCapabilities } from "./capabilities.ts";
import { addressList, definedFields, messageConverter } from "../core/message.ts";
import type { ListmonkMessage } from "./schema.ts";

/**
 * The common message as listmonk's `send` takes it.
 *
 * @example
 * const converted = toListmonkMessage({ template: 3, to: ["ada@example.com"], data: { orderId: "1234" } });
 */
export const toListmonkMessage = messageConverter<ListmonkMessage>(listmonkCapabilities, (message) => {
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
  return { native, origins: LISTMONK_ORIGINS };
});

const LISTMONK_ORIGINS = [
  ["template_id", "template"], ["subject", "subject"], ["data", "data"],
  ["subscriber_emails", "to"], ["from_email", "from"], ["headers.0", "replyTo"],
  ["attachments", "attachments"],
] as const;
