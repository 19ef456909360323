/** The common `TemplateMessage` to listmonk's `/api/tx` message. */
import { listmonkCapabilities } from "./capabilities.ts";
import { addressList, definedFields, messageConverter, type NamedAddress, type ValidTemplateMessage } from "../core/message.ts";
import type { ListmonkMessage } from "./schema.ts";

/**
 * The common message as listmonk's `send` takes it.
 *
 * @example
 * const converted = toListmonkMessage({ template: 3, to: ["ada@example.com"], data: { orderId: "1234" } });
 */
export const toListmonkMessage = messageConverter<ListmonkMessage>(
  listmonkCapabilities,
  (message) => convert(message),
  (message) => {
    const from = addressList(message.from)[0];
    return from?.name !== undefined && !PLAIN_NAME.test(from.name)
      ? [{ path: "from.name", rule: "unsupported_by_vendor", message: "listmonk carries a from name only as plain words: no quotes, brackets, commas, colons, semicolons, @ or backslashes, and single spaces" }]
      : [];
  },
);

/**
 * A display name listmonk's `from_email` carries unchanged without quoting: words of printable characters other
 * than RFC 5322's specials (a `.` is allowed, as Go's net/mail reads it in a name), one space apart. Anything else
 * would need quoting or escaping, which would change what the caller wrote, so it is refused.
 */
const PLAIN_NAME = /^[^\x00-\x20\x7f-\x9f\u2028\u2029"(),:;<>@[\]\\]+(?: [^\x00-\x20\x7f-\x9f\u2028\u2029"(),:;<>@[\]\\]+)*$/u;

/** `Name <address>`, as listmonk's `from_email` takes a sender with a display name; the bare address otherwise. */
function mailbox(from: NamedAddress | undefined): string | undefined {
  if (!from) return undefined;
  return from.name === undefined ? from.address : `${from.name} <${from.address}>`;
}

function convert(message: ValidTemplateMessage): { native: ListmonkMessage; origins: typeof LISTMONK_ORIGINS } {
  const [replyTo] = addressList(message.replyTo);
  const native = definedFields({
    template_id: message.template as number,
    subscriber_emails: addressList(message.to).map((item) => item.address),
    from_email: mailbox(addressList(message.from)[0]),
    subject: message.subject,
    data: message.data as Record<string, unknown> | undefined,
    headers: replyTo && [{ "Reply-To": replyTo.address }],
    attachments: message.attachments?.map((file) => definedFields({ content: file.content, filename: file.filename, contentType: file.contentType })),
  }) as ListmonkMessage;
  return { native, origins: LISTMONK_ORIGINS };
}

const LISTMONK_ORIGINS = [
  ["template_id", "template"], ["subject", "subject"], ["data", "data"],
  ["subscriber_emails", "to"], ["from_email", "from"], ["headers.0", "replyTo"],
  ["attachments", "attachments"],
] as const;
