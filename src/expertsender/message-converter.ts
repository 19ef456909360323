/** The common `TemplateMessage` to ExpertSender's system transactional message. */
import { expertSenderCapabilities } from "./capabilities.ts";
import { addressList, definedFields, messageConverter } from "../core/message.ts";
import { formatPath } from "../core/validation.ts";
import type { ExpertSenderMessage } from "./schema.ts";

/**
 * The common message as ExpertSender's `send` takes it: each `data` entry a snippet (`*[tr_name]*`), and
 * `ReturnGuid` set so `Sent.ids` holds the sent message's GUID.
 *
 * @example
 * const converted = toExpertSenderMessage({ template: 123, to: "patrick@example.com", data: { helloMessage: "Hello Patrick!" } });
 */
export const toExpertSenderMessage = messageConverter<ExpertSenderMessage>(expertSenderCapabilities, (message) => {
  const [to] = addressList(message.to);
  const bcc = addressList(message.bcc);
  const native = definedFields({
    transactionalId: message.template as number,
    ReturnGuid: true,
    Receiver: definedFields({ Email: to!.address, Bcc: bcc.length ? bcc.map((item) => item.address).join(";") : undefined }),
    Snippets: message.data && Object.entries(message.data).map(([Name, Value]) => ({ Name, Value: Value as string })),
    Attachments: message.attachments?.map((file) => definedFields({ Content: file.content, FileName: file.filename, MimeType: file.contentType })),
  }) as ExpertSenderMessage;
  // A snippet's issue names the data entry it came from.
  const snippets = Object.keys(message.data ?? {}).flatMap((key, index) =>
    ["Name", "Value"].map((field) => [`Snippets.${index}.${field}`, formatPath(["data", key])] as const),
  );
  return { native, origins: [...snippets, ...EXPERTSENDER_ORIGINS] };
});

const EXPERTSENDER_ORIGINS = [
  ["transactionalId", "template"], ["Snippets", "data"],
  ["Receiver.Email", "to"], ["Receiver.Bcc", "bcc"],
  ["Attachments", "attachments"],
] as const;
