/**
 * ExpertSender's inputs, shared by its spec-agreement test and the vendors' shared suite: each invalid one with the
 * field and rule valibot names and where the spec must refuse it, and the valid ones.
 */
import type { ExpertSenderMessage } from "../../src/expertsender/index.js";
import type { VendorConformance } from "../vendors/conformance.ts";

const base = { transactionalId: 123, Receiver: { Email: "patrick@example.com" } } satisfies ExpertSenderMessage;
const bytes = new Uint8Array([37, 80, 68, 70]);
const withReceiver = (Receiver: Record<string, unknown>) => ({ ...base, Receiver: { ...base.Receiver, ...Receiver } });
const onlyReceiver = (Receiver: Record<string, unknown>) => ({ ...base, Receiver });
const withProperty = (property: Record<string, unknown>) => withReceiver({ Properties: [property] });
const withSnippet = (snippet: Record<string, unknown>) => ({ ...base, Snippets: [snippet] });
const withAttachment = (attachment: Record<string, unknown>) => ({ ...base, Attachments: [attachment] });

/** Where the spec must refuse what the input would have put on the wire. */
export type SpecSide =
  /** the `<ApiRequest>` model the input would have produced, at the same field */
  | "wire"
  /** the `{id}` path parameter's schema */
  | "TransactionalId"
  /** a rule JSON Schema cannot state; the spec names it as `x-txgate-rule` on this schema property */
  | { txgateRule: string; at: [schema: string, property: string] }
  /** a rule about txgate's own input (Web types, `hashEmail`): nothing of it reaches the wire as such */
  | "input";

export interface InvalidRow {
  readonly name: string;
  readonly input: unknown;
  readonly path: string;
  readonly rule: string;
  readonly spec: SpecSide;
}

export const invalid: InvalidRow[] = [
  { name: "transactional id 0", input: { ...base, transactionalId: 0 }, path: "transactionalId", rule: "min_value", spec: "TransactionalId" },
  { name: "fractional transactional id", input: { ...base, transactionalId: 1.5 }, path: "transactionalId", rule: "integer", spec: "TransactionalId" },
  { name: "transactional id beyond int32", input: { ...base, transactionalId: 2 ** 31 }, path: "transactionalId", rule: "max_value", spec: "TransactionalId" },
  { name: "receiver with no identifier", input: onlyReceiver({ Firstname: "Patrick" }), path: "Receiver", rule: "receiver_identifier", spec: "wire" },
  { name: "subscriber id 0", input: onlyReceiver({ Id: 0 }), path: "Receiver.Id", rule: "min_value", spec: "wire" },
  { name: "subscriber id beyond int32", input: onlyReceiver({ Id: 2 ** 31 }), path: "Receiver.Id", rule: "max_value", spec: "wire" },
  { name: "email without a domain", input: onlyReceiver({ Email: "patrick" }), path: "Receiver.Email", rule: "email", spec: "wire" },
  { name: "email with a display name", input: onlyReceiver({ Email: "Patrick <patrick@example.com>" }), path: "Receiver.Email", rule: "email", spec: "wire" },
  { name: "upper-case MD5", input: onlyReceiver({ EmailMd5: "0CC175B9C0F1B6A831C399E269772661" }), path: "Receiver.EmailMd5", rule: "md5_hex", spec: "wire" },
  { name: "MD5 one digit short", input: onlyReceiver({ EmailMd5: "0cc175b9c0f1b6a831c399e26977266" }), path: "Receiver.EmailMd5", rule: "md5_hex", spec: "wire" },
  { name: "SHA-256 with a non-hex digit", input: onlyReceiver({ EmailSha256: "g".repeat(64) }), path: "Receiver.EmailSha256", rule: "sha256_hex", spec: "wire" },
  { name: "SHA-256 given an MD5", input: onlyReceiver({ EmailSha256: "0cc175b9c0f1b6a831c399e269772661" }), path: "Receiver.EmailSha256", rule: "sha256_hex", spec: "wire" },
  { name: "IP out of range", input: withReceiver({ Ip: "999.1.1.1" }), path: "Receiver.Ip", rule: "ip", spec: "wire" },
  { name: "IP that is a host name", input: withReceiver({ Ip: "patrick-laptop" }), path: "Receiver.Ip", rule: "ip", spec: "wire" },
  { name: "Bcc with a header injection", input: withReceiver({ Bcc: "a@example.com\r\nBcc: b@example.com" }), path: "Receiver.Bcc", rule: "no_line_breaks", spec: "wire" },
  { name: "empty Bcc", input: withReceiver({ Bcc: "" }), path: "Receiver.Bcc", rule: "min_length", spec: "wire" },
  { name: "NUL in Firstname", input: withReceiver({ Firstname: "Pat\u0000rick" }), path: "Receiver.Firstname", rule: "xml_char", spec: "wire" },
  { name: "ESC in Lastname", input: withReceiver({ Lastname: "\u001B[31mred" }), path: "Receiver.Lastname", rule: "xml_char", spec: "wire" },
  { name: "unpaired surrogate in Name", input: withReceiver({ Name: "Pat \uD800" }), path: "Receiver.Name", rule: "xml_char", spec: "wire" },
  { name: "U+FFFF in TrackingCode", input: withReceiver({ TrackingCode: "form\uFFFF" }), path: "Receiver.TrackingCode", rule: "xml_char", spec: "wire" },
  { name: "form feed in Vendor", input: withReceiver({ Vendor: "a\fb" }), path: "Receiver.Vendor", rule: "xml_char", spec: "wire" },
  { name: "unknown Receiver field", input: withReceiver({ Phone: "+1 555" }), path: "Receiver.Phone", rule: "unknown_field", spec: "wire" },
  { name: "int property that is not a number", input: withProperty({ Id: 2, Type: "int", Value: "abc" }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "int property with a fraction", input: withProperty({ Id: 2, Type: "int", Value: 1.5 }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "boolean property written yes", input: withProperty({ Id: 2, Type: "boolean", Value: "yes" }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "date property in US form", input: withProperty({ Id: 2, Type: "date", Value: "05/01/2024" }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "dateTime property without T", input: withProperty({ Id: 2, Type: "dateTime", Value: "2024-05-01 12:00:00" }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "non-finite number property", input: withProperty({ Id: 2, Value: Number.POSITIVE_INFINITY }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "control character in a string property", input: withProperty({ Id: 2, Value: "a\u0001" }), path: "Receiver.Properties.0.Value", rule: "property_value", spec: "wire" },
  { name: "property id 0", input: withProperty({ Id: 0, Value: "x" }), path: "Receiver.Properties.0.Id", rule: "min_value", spec: "wire" },
  { name: "snippet name with a space", input: withSnippet({ Name: "hello message", Value: "x" }), path: "Snippets.0.Name", rule: "snippet_name", spec: "wire" },
  { name: "snippet name that closes the tag", input: withSnippet({ Name: "a]*x", Value: "x" }), path: "Snippets.0.Name", rule: "snippet_name", spec: "wire" },
  { name: "empty snippet name", input: withSnippet({ Name: "", Value: "x" }), path: "Snippets.0.Name", rule: "snippet_name", spec: "wire" },
  { name: "snippet name of 101 characters", input: withSnippet({ Name: "a".repeat(101), Value: "x" }), path: "Snippets.0.Name", rule: "snippet_name", spec: "wire" },
  { name: "non-ASCII snippet name", input: withSnippet({ Name: "héllo", Value: "x" }), path: "Snippets.0.Name", rule: "snippet_name", spec: "wire" },
  { name: "backspace in a snippet value", input: withSnippet({ Name: "a", Value: "\b" }), path: "Snippets.0.Value", rule: "xml_char", spec: "wire" },
  { name: "unknown snippet field", input: withSnippet({ Name: "a", Value: "x", Html: true }), path: "Snippets.0.Html", rule: "unknown_field", spec: "wire" },
  { name: "file name with a line break", input: withAttachment({ Content: bytes, FileName: "a\r\nb.pdf" }), path: "Attachments.0.FileName", rule: "attachment_name", spec: "wire" },
  { name: "empty file name", input: withAttachment({ Content: bytes, FileName: "" }), path: "Attachments.0.FileName", rule: "min_length", spec: "wire" },
  { name: "NUL in a file name", input: withAttachment({ Content: bytes, FileName: "a\u0000.pdf" }), path: "Attachments.0.FileName", rule: "attachment_name", spec: "wire" },
  { name: "MIME type without a subtype", input: withAttachment({ Content: bytes, FileName: "a.pdf", MimeType: "pdf" }), path: "Attachments.0.MimeType", rule: "mime_type", spec: "wire" },
  { name: "MIME type with parameters", input: withAttachment({ Content: bytes, FileName: "a.txt", MimeType: "text/plain; charset=utf-8" }), path: "Attachments.0.MimeType", rule: "mime_type", spec: "wire" },
  { name: "empty attachment", input: withAttachment({ Content: new Uint8Array(0), FileName: "empty.txt" }), path: "Attachments.0.Content", rule: "attachment_not_empty", spec: "wire" },
  { name: "attachment without a name", input: withAttachment({ Content: bytes }), path: "Attachments.0.FileName", rule: "attachment_filename", spec: "wire" },
  { name: "ReturnGuid written yes", input: { ...base, ReturnGuid: "yes" }, path: "ReturnGuid", rule: "boolean", spec: "wire" },
  {
    name: "two snippets with one name",
    input: { ...base, Snippets: [{ Name: "a", Value: "1" }, { Name: "a", Value: "2" }] },
    path: "Snippets.1.Name",
    rule: "snippet_names_unique",
    spec: { txgateRule: "snippet-names-unique", at: ["TransactionalData", "Snippets"] },
  },
  {
    name: "two attachments with one file name",
    input: { ...base, Attachments: [{ Content: bytes, FileName: "a.pdf" }, { Content: new File([bytes], "a.pdf") }] },
    path: "Attachments.1.FileName",
    rule: "attachment_filename_unique",
    spec: { txgateRule: "attachment-filename-unique", at: ["TransactionalData", "Attachments"] },
  },
  { name: "attachment content as a base64 string", input: withAttachment({ Content: "JVBERi0=", FileName: "a.pdf" }), path: "Attachments.0.Content", rule: "attachment_content", spec: "input" },
  { name: "hashEmail without an Email", input: onlyReceiver({ Id: 5, hashEmail: "md5" }), path: "Receiver.hashEmail", rule: "hash_email", spec: "input" },
  { name: "hashEmail over a given hash", input: withReceiver({ hashEmail: "md5", EmailMd5: "0cc175b9c0f1b6a831c399e269772661" }), path: "Receiver.hashEmail", rule: "hash_email", spec: "input" },
  { name: "unknown hash", input: withReceiver({ hashEmail: "sha1" }), path: "Receiver.hashEmail", rule: "picklist", spec: "input" },
  { name: "unknown top-level field", input: { ...base, Subject: "Hi" }, path: "Subject", rule: "unknown_field", spec: "input" },
];

export const valid: { name: string; input: ExpertSenderMessage }[] = [
  { name: "by email", input: base },
  { name: "by id", input: { transactionalId: 1593, Receiver: { Id: 12345 } } },
  { name: "by MD5", input: onlyReceiver({ EmailMd5: "0cc175b9c0f1b6a831c399e269772661" }) as ExpertSenderMessage },
  { name: "by SHA-256", input: onlyReceiver({ EmailSha256: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" }) as ExpertSenderMessage },
  { name: "email hashed to MD5", input: withReceiver({ hashEmail: "md5" }) as ExpertSenderMessage },
  { name: "email hashed to SHA-256, with an Id too", input: withReceiver({ hashEmail: "sha256", Id: 7 }) as ExpertSenderMessage },
  { name: "largest ids", input: { transactionalId: 2 ** 31 - 1, Receiver: { Id: 2 ** 31 - 1 }, ReturnGuid: false } },
  {
    name: "every receiver field",
    input: withReceiver({
      Firstname: "Zoë",
      Lastname: "O'Brien & Sons",
      Name: "Zoë O'Brien",
      TrackingCode: "form-3",
      Vendor: "<partner>",
      Ip: "203.0.113.7",
      Bcc: "*[subscriber_email]*;audit+tx@example.com",
      Properties: [
        { Id: 1, Value: "" },
        { Id: 2, Value: "gold\r\nplus" },
        { Id: 3, Value: -42 },
        { Id: 4, Value: 0.25 },
        { Id: 5, Value: false },
        { Id: 6, Value: "+7", Type: "int" },
        { Id: 7, Value: "1", Type: "boolean" },
        { Id: 8, Value: ".5", Type: "decimal" },
        { Id: 9, Value: "-1.5E-3", Type: "double" },
        { Id: 10, Value: "2024-05-01+02:00", Type: "date" },
        { Id: 11, Value: "2024-05-01T12:00:00.123Z", Type: "dateTime" },
        { Id: 12, Value: 7, Type: "string" },
      ],
    }) as ExpertSenderMessage,
  },
  { name: "IPv6 receiver", input: withReceiver({ Ip: "2001:db8::1" }) as ExpertSenderMessage },
  {
    name: "snippets with markup, CDATA ends, CRs and nothing",
    input: {
      ...base,
      ReturnGuid: true,
      Snippets: [
        { Name: "helloMessage", Value: " <b>Hello Patrick!</b> " },
        { Name: "pointsNumber", Value: "2076" },
        { Name: "tricky", Value: "]]><![CDATA[</Value>&amp;" },
        { Name: "crlf", Value: "<p>\r\n</p>\r" },
        { Name: "empty", Value: "" },
        { Name: "a".repeat(100), Value: "😀 \u0085 \t" },
      ],
    },
  },
  { name: "no snippets at all", input: { ...base, Snippets: [], Attachments: [] } },
  {
    name: "attachments of every Web type",
    input: {
      ...base,
      Attachments: [
        { Content: new File(["%PDF"], "test.pdf", { type: "application/pdf" }) },
        { Content: new Blob(["x"], { type: "text/plain;charset=utf-8" }), FileName: "x.txt" },
        { Content: bytes.buffer, FileName: "raw.bin", MimeType: "application/vnd.ms-excel" },
        { Content: bytes, FileName: "Report <Q3> & 'notes'.pdf" },
      ],
    },
  },
];

/**
 * ExpertSender in the shared suite (test/vendors/conformance.test.ts): each invalid input a validation outcome naming
 * its field and rule, nothing sent. Its spec agreement, at the wire model's field, is ./spec-agreement.test.ts.
 */
export const conformance: VendorConformance = {
  sample: { transactionalId: 123, Receiver: { Email: "patrick@example.com" } },
  invalid: invalid.map(({ name, input, path, rule }) => [name, input, [`${path} ${rule}`]] as const),
  valid: valid.map(({ name, input }) => [name, input] as const),
};
