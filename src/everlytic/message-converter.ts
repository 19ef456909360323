/** The common `TemplateMessage` to Everlytic's transactional email. */
import { everlyticCapabilities } from "./capabilities.ts";
import { addressList, definedFields, messageConverter, type NamedAddress } from "../core/message.ts";
import type { EverlyticMessage } from "./schema.ts";

const wire = (item: NamedAddress) => definedFields({ email: item.address, name: item.name });
const wireList = (value: Parameters<typeof addressList>[0]) => (value === undefined ? undefined : addressList(value).map(wire));

/**
 * The common message as Everlytic's `send` takes it: the template in `options.template_id`, data as
 * `personalisation_fields.common_fields`.
 *
 * @example
 * const converted = toEverlyticMessage({ template: "order-shipped", to: { address: "joe@example.com", name: "Joe" }, data: { name: "Joe" } });
 */
export const toEverlyticMessage = messageConverter<EverlyticMessage>(everlyticCapabilities, (message) => {
  const [from] = addressList(message.from);
  const [replyTo] = addressList(message.replyTo);
  const native = definedFields({
    body: message.data && { personalisation_fields: { common_fields: message.data as Record<string, string> } },
    headers: definedFields({
      subject: message.subject,
      from: from && wire(from),
      to: wireList(message.to),
      cc: wireList(message.cc),
      bcc: wireList(message.bcc),
      reply_to: replyTo && wire(replyTo),
    }),
    options: definedFields({
      template_id: message.template as string,
      track_opens: message.tracking?.opens,
      track_links: message.tracking?.clicks,
    }),
    attachments: message.attachments && {
      data: message.attachments.map((file) => definedFields({ content: file.content, filename: file.filename })),
    },
  }) as EverlyticMessage;
  return { native, origins: EVERLYTIC_ORIGINS };
});

const EVERLYTIC_ORIGINS = [
  ["options.template_id", "template"], ["options.track_opens", "tracking.opens"], ["options.track_links", "tracking.clicks"],
  ["headers.to", "to"], ["headers.cc", "cc"], ["headers.bcc", "bcc"], ["headers.subject", "subject"],
  ["headers.from.email", "from"], ["headers.from.name", "from.name"], ["headers.from", "from"],
  ["headers.reply_to.email", "replyTo"], ["headers.reply_to", "replyTo"],
  ["body.personalisation_fields.common_fields", "data"], ["attachments.data", "attachments"],
] as const;
