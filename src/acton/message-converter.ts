/** The common `TemplateMessage` to Act-On's Event-Triggered Email. */
import { actOnCapabilities } from "./capabilities.ts";
import { addressList, definedFields, messageConverter } from "../core/message.ts";
import type { ActOnMessage } from "./schema.ts";

/**
 * The common message as Act-On's `send` takes it. `transactional`, `externalId` and `tracking` are passed as given
 * (absent stays absent), so Act-On's own rules still refuse a message that leaves them out.
 *
 * @example
 * const converted = toActOnMessage({ template: "t-0099", to: "jane@example.com", transactional: true, externalId: "o-1", tracking: { opens: false, clicks: false } });
 */
export const toActOnMessage = messageConverter<ActOnMessage>(actOnCapabilities, (message) => {
  const [to] = addressList(message.to);
  const cc = addressList(message.cc);
  const [from] = addressList(message.from);
  const [replyTo] = addressList(message.replyTo);
  const content = definedFields({ subjectLine: message.subject, personalizationDataMap: message.data as Record<string, string> | undefined });
  const native = definedFields({
    templateId: message.template as string,
    envelope: definedFields({
      toAddress: to!.address,
      ccAddressList: message.cc === undefined ? undefined : cc.map((item) => item.address),
      fromAddress: from?.address,
      fromDisplayName: from?.name,
      replyToAddress: replyTo?.address,
    }),
    content: Object.keys(content).length ? content : undefined,
    metadata: definedFields({ transactional: message.transactional, externalId: message.externalId, tagList: message.tags }),
    actions: definedFields({ trackOpens: message.tracking?.opens, trackClicks: message.tracking?.clicks }),
  }) as ActOnMessage;
  return { native, origins: ACTON_ORIGINS };
});

const ACTON_ORIGINS = [
  ["templateId", "template"],
  ["envelope.toAddress", "to"], ["envelope.ccAddressList", "cc"], ["envelope.fromAddress", "from"], ["envelope.fromDisplayName", "from.name"], ["envelope.replyToAddress", "replyTo"],
  ["content.subjectLine", "subject"], ["content.personalizationDataMap", "data"],
  ["metadata.transactional", "transactional"], ["metadata.externalId", "externalId"], ["metadata.tagList", "tags"],
  ["actions.trackOpens", "tracking.opens"], ["actions.trackClicks", "tracking.clicks"],
] as const;
