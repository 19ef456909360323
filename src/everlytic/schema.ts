/**
 * Everlytic's documented rules for `POST /transactional/email/v1/mail`, checked before anything is sent. Field
 * names are the wire's; an attachment may also bring Web-type `content`, which request.ts encodes to base64.
 * Each pattern here is the one in specs/everlytic.yaml, character for character (the agreement test compares them).
 */
import * as v from "valibot";
import { AttachmentName, isAttachmentContent, settleAttachmentName, type AttachmentContent } from "../core/attachment.ts";
import { emailAddress } from "../core/formats.ts";
import { named, noLineBreaks, plainObject, record, rule, type RuleFailure } from "../core/validation.ts";

/** `EmailAddress` is `format: email`, checked as core/formats.ts checks it. */
export { EMAIL_ADDRESS } from "../core/formats.ts";

/** `CustomHeaders.propertyNames.pattern`: `X-` then an RFC 9110 token. */
export const CUSTOM_HEADER_NAME = /^X-[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** `InlineAttachment.data.pattern`: standard base64, padded, no line breaks. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** `MailOptions.unsubscribe_redirect_url.pattern`: an http(s) URL on a public host name, in URI characters. */
export const WEB_URL =
  /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::[0-9]+)?(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*)?(?:\?(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?(?:#(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$/;

/** A JSON object with exactly these fields: valibot's own object schemas would also take an array. */
const strict = <E extends v.ObjectEntries>(entries: E) => plainObject(v.strictObject(entries));
/** `EmailAddress`: `format: email` (core/formats.ts), at most 254 characters. */
const Email = v.pipe(v.string(), v.maxLength(254), emailAddress);
/** Text that ends up in a mail header or a MIME part header (a display name, a header value). */
const OneLine = v.pipe(v.string(), noLineBreaks);
const HeaderText = v.pipe(v.string(), v.minLength(1), noLineBreaks);
const Address = strict({ email: Email, name: v.optional(OneLine) });
const TagValues = plainObject(record(v.pipe(v.string(), v.minLength(1)), v.string()));

const Attachment = v.pipe(
  strict({
    filename: v.optional(AttachmentName),
    data: v.optional(v.pipe(v.string(), v.minLength(1), named("base64", v.regex(BASE64, "must be standard padded base64")))),
    path: v.optional(HeaderText),
    /** Not an Everlytic field: bytes txgate encodes into `data`. */
    content: v.optional(
      named(
        "attachment_content",
        v.custom<AttachmentContent>(
          (value) => isAttachmentContent(value) && ((value as Blob).size ?? (value as ArrayBuffer).byteLength) > 0,
          "must be a non-empty Blob, File, Uint8Array or ArrayBuffer",
        ),
      ),
    ),
    content_id: v.optional(HeaderText),
  }),
  // A File's own name becomes `filename` here, checked by the same rule as an explicit one.
  settleAttachmentName("filename", "content"),
  rule("attachment_source", (file) => {
    const sources = (["data", "path", "content"] as const).filter((key) => file[key] !== undefined);
    return sources.length === 1 ? [] : [{ path: [sources[1] ?? "data"], message: "give exactly one of data, path or content" }];
  }),
  // "filename: Yes, if data is not empty"; content becomes data, and a File's own name is in filename by now.
  rule("attachment_filename", (file) =>
    (file.data ?? file.content) !== undefined && !file.filename
      ? [{ path: ["filename"], message: "is required with data or content (a File's own name counts)" }]
      : [],
  ),
);

const fields = strict({
  body: v.optional(
    strict({
      html: v.optional(v.pipe(v.string(), v.minLength(1))),
      text: v.optional(v.string()),
      personalisation_fields: v.optional(
        strict({
          common_fields: v.optional(TagValues),
          unique_fields: v.optional(
            // One address per entry, as in every vendor example.
            v.array(plainObject(v.pipe(record(Email, TagValues), v.minEntries(1), v.maxEntries(1)))),
          ),
        }),
      ),
    }),
  ),
  headers: strict({
    subject: v.optional(HeaderText),
    message_id: v.optional(HeaderText),
    from: v.optional(strict({ email: v.optional(Email), name: v.optional(OneLine) })),
    to: v.pipe(v.array(Address), v.minLength(1)),
    reply_to: v.optional(Address),
    cc: v.optional(v.array(Address)),
    bcc: v.optional(v.array(Address)),
    custom_headers: v.optional(
      plainObject(
        record(
          v.pipe(v.string(), named("header_name", v.regex(CUSTOM_HEADER_NAME, "must start with X- and be a header name"))),
          v.union([OneLine, v.pipe(v.array(OneLine), v.minLength(1))]),
        ),
      ),
    ),
  }),
  options: v.optional(
    strict({
      group_name: v.optional(v.string()),
      template_id: v.optional(v.pipe(v.string(), v.minLength(1))),
      track_opens: v.optional(v.boolean()),
      track_links: v.optional(v.boolean()),
      unsubscribe_redirect_url: v.optional(v.pipe(v.string(), named("web_url", v.regex(WEB_URL, "must be an http(s) URL")))),
    }),
  ),
  attachments: v.optional(
    strict({
      data: v.optional(v.array(Attachment)),
      options: v.optional(strict({ track: v.optional(v.boolean()) })),
    }),
  ),
});

type Fields = v.InferOutput<typeof fields>;

/** Every address the email goes to: one transaction (and one 200 id) each. */
export function recipientsOf(message: Pick<Fields, "headers">): string[] {
  const { to, cc = [], bcc = [] } = message.headers;
  return [...to, ...cc, ...bcc].map((address) => address.email);
}

/**
 * A published template supplies subject, sender and content; without one the request must. An empty template_id
 * is "empty" on the vendor page, so it counts as none (and fails its own min_length).
 */
function requiredWithoutTemplate({ options, body, headers }: Fields): RuleFailure[] {
  if (options?.template_id) return [];
  const missing = "is required unless options.template_id is given";
  return [
    ...(body?.html === undefined ? [{ path: ["body", "html"], message: missing }] : []),
    ...(headers.subject === undefined ? [{ path: ["headers", "subject"], message: missing }] : []),
    ...(headers.from?.email === undefined ? [{ path: ["headers", "from", "email"], message: missing }] : []),
  ];
}

/**
 * txgate's choice, not a documented vendor rule: Everlytic does not say which content it sends when both a
 * template and a body are given, so one of the two would be silently dropped. The caller picks instead.
 */
function templateExcludesBody({ options, body }: Fields): RuleFailure[] {
  if (!options?.template_id) return [];
  return (["html", "text"] as const)
    .filter((key) => body?.[key] !== undefined)
    .map((key) => ({ path: ["body", key], message: "must be omitted when options.template_id supplies the content" }));
}

/** Tags for an address that gets no email, or two sets of tags for one address, are a mistake the vendor won't catch. */
function uniqueFieldsAreRecipients(message: Fields): RuleFailure[] {
  const recipients = new Set(recipientsOf(message));
  const seen = new Set<string>();
  return (message.body?.personalisation_fields?.unique_fields ?? []).flatMap((entry, index) =>
    Object.keys(entry).flatMap((email) => {
      const path = ["body", "personalisation_fields", "unique_fields", index, email];
      if (!recipients.has(email)) return [{ path, message: "is not an address in headers.to, cc or bcc" }];
      if (seen.has(email)) return [{ path, message: "already has personalisation fields in an earlier entry" }];
      seen.add(email);
      return [];
    }),
  );
}

/** "A matching ID must be found in the HTML"; a stored template's HTML cannot be checked here. */
function contentIdsInHtml({ options, body, attachments }: Fields): RuleFailure[] {
  if (options?.template_id) return [];
  const html = body?.html ?? "";
  return (attachments?.data ?? []).flatMap((file, index) =>
    file.content_id === undefined || html.includes(`cid:${file.content_id}`)
      ? []
      : [{ path: ["attachments", "data", index, "content_id"], message: `is not referenced as cid:${file.content_id} in body.html` }],
  );
}

/**
 * An Everlytic transactional email, validated. The rule names `unique_fields_recipients` and
 * `content_id_in_html` are the spec's `x-txgate-rule` names for the rules JSON Schema cannot state.
 *
 * @example
 * const result = v.safeParse(EverlyticMessageSchema, message);
 * if (!result.success) console.log(result.issues.map((issue) => issue.message));
 */
export const EverlyticMessageSchema = v.pipe(
  fields,
  rule("required_without_template_id", requiredWithoutTemplate),
  rule("template_excludes_body", templateExcludesBody),
  rule("unique_fields_recipients", uniqueFieldsAreRecipients),
  rule("content_id_in_html", contentIdsInHtml),
);

/**
 * What `send` accepts: the documented request body, snake_case as on the wire, where each attachment is
 * `{filename, data}` (base64), `{path}` or `{filename?, content}` (a `Blob`, `File`, `Uint8Array` or `ArrayBuffer`).
 *
 * @example
 * const message: EverlyticMessage = {
 *   body: { html: "<p>Hi {{name}}</p>", personalisation_fields: { common_fields: { name: "Joe" } } },
 *   headers: { subject: "Hello", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
 * };
 */
export type EverlyticMessage = v.InferInput<typeof EverlyticMessageSchema>;
