/** Messages shared by the Act-On tests, shaped like Act-On's own example, and its cases for the vendors' shared suite. */
import { ActOnMessageSchema, type ActOnMessage } from "../../src/acton/index.js";
import type { VendorConformance } from "../vendors/conformance.ts";

/** The endpoint reference's full example, as a txgate message. */
export const documentedExample = {
  templateId: "t-0099",
  envelope: {
    toAddress: "jane.doe@example.com",
    ccAddressList: ["orders@example.com"],
    fromAddress: "john@example.com",
    fromDisplayName: "John from Act-On",
    replyToAddress: "support@example.com",
  },
  content: {
    subjectLine: "Your order has shipped.",
    personalizationDataMap: {
      orderNumber: "3423423-234234",
      trackingLink: "https://www.act-on.com/tracking/12313123123213",
      name: "Jane Doe",
    },
    previewText: "Great news! Your order is on the way.",
  },
  metadata: { transactional: true, externalId: "245-lfkg-23423-lkj", tagList: ["shipping_notifications"] },
  actions: { trackOpens: true, trackClicks: true },
} satisfies ActOnMessage;

/** The least a send needs: a template without personalization fields, one recipient, every choice stated. */
export const minimal = {
  templateId: "t-plain",
  envelope: { toAddress: "jane.doe@example.com" },
  metadata: { transactional: false, externalId: "order-1001" },
  actions: { trackOpens: false, trackClicks: false },
} satisfies ActOnMessage;

const x = (n: number) => "x".repeat(n);
const ok = minimal;
const envelope = (fields: object) => ({ ...ok, envelope: { ...ok.envelope, ...fields } });
const content = (fields: object) => ({ ...ok, content: fields });
const metadata = (fields: object) => ({ ...ok, metadata: { ...ok.metadata, ...fields } });
const actions = (fields: object) => ({ ...ok, actions: { ...ok.actions, ...fields } });
const without = (section: "envelope" | "metadata" | "actions", field: string) => {
  const { [field]: _, ...rest } = ok[section] as Record<string, unknown>;
  return { ...ok, [section]: rest };
};
const omit = (field: keyof typeof ok) => {
  const { [field]: _, ...rest } = ok;
  return rest;
};

/** [what is wrong, input, expected issues as `path rule`] */
export const invalidActOnMessages: [string, unknown, string[]][] = [
  ["no envelope", omit("envelope"), ["envelope required"]],
  ["no metadata", omit("metadata"), ["metadata required"]],
  ["no actions", omit("actions"), ["actions required"]],
  ["no toAddress", without("envelope", "toAddress"), ["envelope.toAddress required"]],
  ["toAddress a list", envelope({ toAddress: ["jane.doe@example.com"] }), ["envelope.toAddress string"]],
  ["two addresses in toAddress", envelope({ toAddress: "jane.doe@example.com, john@example.com" }), ["envelope.toAddress email"]],
  ["a display name in toAddress", envelope({ toAddress: "Jane Doe <jane.doe@example.com>" }), ["envelope.toAddress email"]],
  ["CRLF in toAddress", envelope({ toAddress: "jane.doe@example.com\r\nBcc: evil@example.com" }), ["envelope.toAddress email"]],
  ["six CC addresses", envelope({ ccAddressList: ["a", "b", "c", "d", "e", "f"].map((n) => `${n}@example.com`) }), ["envelope.ccAddressList max_length"]],
  ["a CC that is not an address", envelope({ ccAddressList: ["a@example.com", "orders"] }), ["envelope.ccAddressList.1 email"]],
  ["fromAddress not an address", envelope({ fromAddress: "John from Act-On" }), ["envelope.fromAddress email"]],
  ["LF in fromDisplayName", envelope({ fromDisplayName: "John\nBcc: evil@example.com" }), ["envelope.fromDisplayName no_line_breaks"]],
  ["replyToAddress not an address", envelope({ replyToAddress: "support" }), ["envelope.replyToAddress email"]],
  ["subjectLine under envelope", envelope({ subjectLine: "Hi" }), ["envelope.subjectLine unknown_field"]],
  ["subject of 91 characters", content({ subjectLine: x(91) }), ["content.subjectLine max_length"]],
  ["CR in the subject", content({ subjectLine: "Hi\rBcc: evil@example.com" }), ["content.subjectLine no_line_breaks"]],
  ["preview text of 241 characters", content({ previewText: x(241) }), ["content.previewText max_length"]],
  ["LF in the preview text", content({ previewText: "a\nb" }), ["content.previewText no_line_breaks"]],
  ["a number as personalization value", content({ personalizationDataMap: { orderNumber: 3423423 } }), ["content.personalizationDataMap.orderNumber string"]],
  ["personalization as a list", content({ personalizationDataMap: ["Jane Doe"] }), ["content.personalizationDataMap object"]],
  ["content as a list", { ...ok, content: [] }, ["content object"]],
  ["an unknown content field", content({ htmlBody: "<p>Hi</p>" }), ["content.htmlBody unknown_field"]],
  ["transactional not stated", without("metadata", "transactional"), ["metadata.transactional required"]],
  ["transactional as a string", metadata({ transactional: "true" }), ["metadata.transactional boolean"]],
  ["no externalId", without("metadata", "externalId"), ["metadata.externalId required"]],
  ["an empty externalId", metadata({ externalId: "" }), ["metadata.externalId min_length"]],
  ["externalId of 129 characters", metadata({ externalId: x(129) }), ["metadata.externalId max_length"]],
  ["two tags", metadata({ tagList: ["order_confirmation", "shipping_confirmation"] }), ["metadata.tagList max_length"]],
  ["a tag of 49 characters", metadata({ tagList: [x(49)] }), ["metadata.tagList.0 max_length"]],
  ["a tag as a string", metadata({ tagList: "shipping_notifications" }), ["metadata.tagList array"]],
  ["trackOpens not stated", without("actions", "trackOpens"), ["actions.trackOpens required"]],
  ["trackClicks as a string", actions({ trackClicks: "yes" }), ["actions.trackClicks boolean"]],
  ["deliveryWhenDelayed not one of the three", actions({ deliveryWhenDelayed: "LATER" }), ["actions.deliveryWhenDelayed picklist"]],
  ["an unknown top-level field", { ...ok, bcc: ["evil@example.com"] }, ["bcc unknown_field"]],
  // Path, not body: checked against the spec's templateId parameter.
  ["no templateId", omit("templateId"), ["templateId required"]],
  ["an empty templateId", { ...ok, templateId: "" }, ["templateId min_length"]],
  ["templateId ..", { ...ok, templateId: ".." }, ["templateId path_segment"]],
  ["a templateId with an unpaired surrogate", { ...ok, templateId: "t-\uD800" }, ["templateId well_formed_unicode"]],
];

/** Messages both valibot and the spec accept. */
export const validActOnMessages: [string, ActOnMessage][] = [
  ["the documented example", documentedExample],
  ["the least a send needs", minimal],
  ["every limit reached, not passed", {
    ...ok,
    envelope: { ...ok.envelope, ccAddressList: ["a", "b", "c", "d", "e"].map((n) => `${n}@example.com`) },
    content: { subjectLine: x(90), previewText: x(240), personalizationDataMap: {} },
    metadata: { transactional: false, externalId: x(128), tagList: [x(48)] },
  }],
  ["addresses with plus, apostrophe and subdomains", envelope({ toAddress: "o'brien+orders@mail.example.co.uk" }) as ActOnMessage],
  ["the reference's curl example (deliveryWhenDelayed, empty personalization)", {
    templateId: "t-plain",
    envelope: { toAddress: "jane.doe@example.com", fromAddress: "john@example.com", fromDisplayName: "John from Act-On", replyToAddress: "support@example.com" },
    content: { subjectLine: "Your order has shipped.", personalizationDataMap: {}, previewText: "Great news! Your order is on the way." },
    metadata: { transactional: true, externalId: "123-4567-89101-112", tagList: ["shipping_notifications"] },
    actions: { trackOpens: true, trackClicks: true, deliveryWhenDelayed: "TRUE" },
  }],
  ["non-ASCII text in subject and personalization", content({ subjectLine: "Ihre Bestellung ist unterwegs – 🚚", personalizationDataMap: { name: "Zoë Ångström" } }) as ActOnMessage],
];

/**
 * What specs/acton.yaml says is wrong with a message: the body against its EteEmailRequest schema, `templateId`
 * against the path parameter's schema. The spec helpers, which read specs/ from disk, load when it is first called,
 * so this file loads inside workerd too.
 */
export async function specProblems(input: unknown): Promise<string[]> {
  const { loadSpec, specErrors } = await import("../support/spec.ts");
  const { Ajv2020 } = await import("ajv/dist/2020.js");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the spec is read as plain YAML
  const operation = (loadSpec("acton") as any).paths["/ete/v1/email/{accountId}/{templateId}"].post;
  const templateIdSchema = operation.parameters.find((p: { name: string }) => p.name === "templateId").schema;
  const validTemplateId = new Ajv2020({ strict: false }).compile(templateIdSchema);
  const { templateId, ...body } = input as Record<string, unknown>;
  const problems = specErrors("acton", "EteEmailRequest", body);
  if (templateId === undefined) problems.push("templateId is a required path parameter");
  else if (!validTemplateId(templateId)) problems.push(`templateId ${JSON.stringify(validTemplateId.errors)}`);
  return problems;
}

/**
 * Act-On in the shared suite (test/vendors/conformance.test.ts): bad input refused before anything is sent, not
 * even a login; valibot (what the client enforces) and specs/acton.yaml (what the wire allows) refusing and
 * accepting the same messages.
 */
export const conformance: VendorConformance = {
  sample: {
    templateId: "t-0099",
    envelope: { toAddress: "jane.doe@example.com" },
    content: { personalizationDataMap: { orderNumber: "3423423-234234" } },
    metadata: { transactional: true, externalId: "3423423-234234" },
    actions: { trackOpens: false, trackClicks: false },
  },
  invalid: invalidActOnMessages,
  valid: validActOnMessages,
  spec: { schema: ActOnMessageSchema, refuses: specProblems, accepts: specProblems },
};
