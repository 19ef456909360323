/**
 * ExpertSender's rules for `POST /v2/Api/SystemTransactionals/{id}`, checked before anything is sent. Every
 * string ends up in an XML document, so every one must be text XML 1.0 can carry.
 */
import * as v from "valibot";
import { AttachmentName, isAttachmentContent, settleAttachmentName, type AttachmentContent } from "../core/attachment.ts";
import { emailAddress, ipAddress } from "../core/formats.ts";
import { named, noLineBreaks, rule, type RuleFailure } from "../core/validation.ts";

/**
 * XML 1.0 has no way to carry these, not even as character references: C0 controls other than tab, LF and CR,
 * unpaired surrogates, U+FFFE and U+FFFF. Markup characters (`<`, `&`, `]]>`) are fine: they are escaped.
 */
export const XML_TEXT = /^[^\0-\x08\v\f\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]*$/u;

const xmlChar = named(
  "xml_char",
  v.regex<string, string>(XML_TEXT, "must not contain characters XML 1.0 cannot carry (control characters other than tab, CR and LF, U+FFFE, U+FFFF, unpaired surrogates)"),
);
const XmlText = v.pipe(v.string(), xmlChar);
const Int32Id = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2147483647));

/** `type/subtype` in RFC 6838 characters, without parameters. */
export const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The XML Schema type a custom property's value is sent as (`xsi:type="xs:<type>"`).
 *
 * @example
 * const type: PropertyType = "date"; // sent as xsi:type="xs:date"
 */
export type PropertyType = keyof typeof PROPERTY_TEXT;

/** The lexical form of each XML Schema type (ranges are left to the vendor). */
const PROPERTY_TEXT = {
  string: XML_TEXT,
  int: /^[+-]?\d{1,10}$/,
  boolean: /^(?:true|false|1|0)$/,
  decimal: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/,
  double: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/,
  date: /^\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}:\d{2})?$/,
  dateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/,
};

const Property = v.pipe(
  v.strictObject({
    Id: Int32Id,
    Value: v.union([v.string(), v.number(), v.boolean()]),
    /** Defaults from the value: a string is `string`, a boolean `boolean`, an integer `int`, another number `decimal`. */
    Type: v.optional(v.picklist(Object.keys(PROPERTY_TEXT) as PropertyType[])),
  }),
  rule("property_value", (property) =>
    PROPERTY_TEXT[propertyType(property)].test(String(property.Value))
      ? []
      : [{ path: ["Value"], message: `must be written as an xs:${propertyType(property)} value` }],
  ),
);

/** The type a property is sent as: the one given, else the one its JavaScript value suggests. */
export function propertyType(property: { Value: unknown; Type?: PropertyType }): PropertyType {
  const { Value, Type } = property;
  return Type ?? (typeof Value === "number" ? (Number.isInteger(Value) ? "int" : "decimal") : typeof Value === "boolean" ? "boolean" : "string");
}

const Receiver = v.pipe(
  v.strictObject({
    Id: v.optional(Int32Id),
    Email: v.optional(v.pipe(v.string(), emailAddress)),
    EmailMd5: v.optional(v.pipe(v.string(), named("md5_hex", v.regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits")))),
    EmailSha256: v.optional(v.pipe(v.string(), named("sha256_hex", v.regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits")))),
    /** Send `Email` as its MD5 or SHA-256 hash (of the lower-cased address) instead of the address itself. */
    hashEmail: v.optional(v.picklist(["md5", "sha256"])),
    Firstname: v.optional(XmlText),
    Lastname: v.optional(XmlText),
    Name: v.optional(XmlText),
    TrackingCode: v.optional(XmlText),
    Vendor: v.optional(XmlText),
    /** The spec's `anyOf: [format: ipv4, format: ipv6]`: no zone ID; IPv6 with an embedded IPv4 is fine. */
    Ip: v.optional(v.pipe(v.string(), ipAddress)),
    Properties: v.optional(v.array(Property)),
    Bcc: v.optional(v.pipe(v.string(), v.minLength(1), noLineBreaks, xmlChar)),
  }),
  rule("receiver_identifier", ({ Id, Email, EmailMd5, EmailSha256 }) =>
    [Id, Email, EmailMd5, EmailSha256].some((identifier) => identifier !== undefined)
      ? []
      : [{ path: [], message: "needs one of Id, Email, EmailMd5, EmailSha256" }],
  ),
  rule("hash_email", (receiver) => {
    const { hashEmail } = receiver;
    if (!hashEmail) return [];
    if (receiver.Email === undefined) return [{ path: ["hashEmail"], message: "needs an Email to hash" }];
    const field = hashEmail === "md5" ? "EmailMd5" : "EmailSha256";
    return receiver[field] === undefined ? [] : [{ path: ["hashEmail"], message: `would replace the ${field} given` }];
  }),
);

const Snippet = v.strictObject({
  /** The `Name` of the message's `*[tr_Name]*` tags. */
  Name: v.pipe(v.string(), named("snippet_name", v.regex(/^[A-Za-z0-9_]{1,100}$/, "must be 1-100 ASCII letters, digits or underscores (the Name in *[tr_Name]*)"))),
  /** Text or HTML; HTML is sent in a CDATA section. */
  Value: XmlText,
});

const Attachment = v.pipe(
  v.strictObject({
  Content: v.pipe(
    named("attachment_content", v.custom<AttachmentContent>(isAttachmentContent, "must be a Blob, File, Uint8Array or ArrayBuffer")),
    named("attachment_not_empty", v.check<AttachmentContent, string>((content) => byteSize(content) > 0, "must not be empty")),
  ),
  /** Defaults to the `File`'s own name (settled once, below). */
  FileName: v.optional(AttachmentName),
  /** Defaults to the `Blob`'s own type, else ExpertSender assumes `application/octet-stream`. */
  MimeType: v.optional(v.pipe(v.string(), named("mime_type", v.regex(MIME_TYPE, "must be a MIME type (type/subtype, no parameters)")))),
  }),
  settleAttachmentName("FileName", "Content"),
);

type AttachmentInput = v.InferOutput<typeof Attachment>;

function byteSize(content: AttachmentContent): number {
  return content instanceof Blob ? content.size : content.byteLength;
}

/** The file name an attachment is sent under: its `FileName`, which validation set from a `File`'s own name. */
export function attachmentFileName(attachment: AttachmentInput): string | undefined {
  return attachment.FileName;
}

function attachmentNameProblems(attachments: AttachmentInput[]): RuleFailure[] {
  return attachments.flatMap((attachment, index) =>
    attachment.FileName ? [] : [{ path: [index, "FileName"], message: "an attachment needs a FileName (or a File with a name)" }],
  );
}

/** The items whose key an earlier item already has (items without a key are another rule's business). */
function duplicates<T>(items: readonly T[], key: (item: T) => string | undefined, field: string, what: string): RuleFailure[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const value = key(item);
    if (value === undefined) return [];
    if (seen.has(value)) return [{ path: [index, field], message: `${what} "${value}" is used twice` }];
    seen.add(value);
    return [];
  });
}

/**
 * A system transactional message for one subscriber, validated.
 *
 * @example
 * import * as v from "valibot";
 * const ok = v.is(ExpertSenderMessageSchema, { transactionalId: 123, Receiver: { Email: "jane@example.com" } });
 */
export const ExpertSenderMessageSchema = v.strictObject({
  /** The ID of the transactional message, as created in ExpertSender (the `{id}` in the URL). */
  transactionalId: Int32Id,
  /** Ask ExpertSender for the GUID of the sent message (`Sent.data.guid`). */
  ReturnGuid: v.optional(v.boolean()),
  Receiver,
  Snippets: v.optional(
    v.pipe(
      v.array(Snippet),
      rule("snippet_names_unique", (snippets) => duplicates(snippets, (snippet) => snippet.Name, "Name", "snippet name")),
    ),
  ),
  Attachments: v.optional(
    v.pipe(
      v.array(Attachment),
      rule("attachment_filename", attachmentNameProblems),
      rule("attachment_filename_unique", (attachments) =>
        duplicates(attachments, attachmentFileName, "FileName", "file name"),
      ),
    ),
  ),
});

/**
 * What `send` accepts: the documented `<Data>` fields in ExpertSender's own names, plus `transactionalId`,
 * `Receiver.hashEmail`, attachment content as Web types and properties as plain values.
 *
 * @example
 * const message: ExpertSenderMessage = {
 *   transactionalId: 123,
 *   Receiver: { Email: "patrick@example.com" },
 *   Snippets: [{ Name: "helloMessage", Value: "<b>Hello Patrick!</b>" }],
 * };
 */
export type ExpertSenderMessage = v.InferInput<typeof ExpertSenderMessageSchema>;

/** A message that passed `ExpertSenderMessageSchema`. */
export type ValidExpertSenderMessage = v.InferOutput<typeof ExpertSenderMessageSchema>;
