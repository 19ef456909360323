/**
 * listmonk's own rules for `POST /api/tx` (cmd/tx.go, validateTxMessage), checked before anything is sent.
 */
import * as v from "valibot";
import { AttachmentName, isAttachmentContent, PartContentType, settleAttachmentName } from "../core/attachment.ts";
import { emailAddress } from "../core/formats.ts";
import { named, noLineBreaks, plainObject, record, rule, type RuleFailure } from "../core/validation.ts";
import { jsonValue } from "./json-value.ts";

/**
 * The spec's `Email`: `format: email` and at most 254 characters. `format: email` already refuses what the spec's
 * pattern spells out for listmonk (`SanitizeEmail` answers `Name <a@example.com>` with `Invalid email.`).
 */
const Email = v.pipe(v.string(), v.maxLength(254), emailAddress);
const SubscriberId = v.pipe(v.number(), v.integer(), v.minValue(1));
/** A header field name: printable ASCII without spaces or a colon (RFC 5322). */
const HeaderName = v.pipe(v.string(), named("header_name", v.regex(/^[!-9;-~]+$/, "must be a header name (printable ASCII, no colon or space)")));

const Attachment = v.pipe(
  v.strictObject({
    content: v.custom<Blob | Uint8Array | ArrayBuffer>(isAttachmentContent, "must be a Blob, File, Uint8Array or ArrayBuffer"),
    filename: v.optional(AttachmentName),
    contentType: v.optional(PartContentType),
  }),
  settleAttachmentName("filename", "content"),
);

const fields = v.strictObject({
  subscriber_mode: v.optional(v.picklist(["default", "fallback", "external"])),
  subscriber_emails: v.optional(v.pipe(v.array(Email), v.minLength(1))),
  subscriber_ids: v.optional(v.pipe(v.array(SubscriberId), v.minLength(1))),
  subscriber_email: v.optional(Email),
  subscriber_id: v.optional(SubscriberId),
  template_id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  from_email: v.optional(v.pipe(v.string(), v.maxLength(998), noLineBreaks)),
  subject: v.optional(v.pipe(v.string(), v.maxLength(998), noLineBreaks)),
  altbody: v.optional(v.string()),
  /** Template data: plain JSON only, read once and sent as the copy that was checked. */
  data: v.optional(plainObject(jsonValue<Record<string, unknown>>())),
  headers: v.optional(v.array(plainObject(record(HeaderName, v.pipe(v.string(), noLineBreaks))))),
  messenger: v.optional(v.pipe(v.string(), v.minLength(1))),
  content_type: v.optional(v.picklist(["html", "markdown", "plain"])),
  /** Files sent as multipart `file` parts. Not a listmonk JSON field: txgate moves them to the form. */
  attachments: v.optional(v.array(Attachment)),
});

type Fields = v.InferOutput<typeof fields>;

/** The recipient rules of listmonk's three subscriber modes. */
function recipientProblems(message: Fields): RuleFailure[] {
  const problems: RuleFailure[] = [];
  if (message.subscriber_email !== undefined && message.subscriber_emails !== undefined) {
    problems.push({ path: ["subscriber_email"], message: "send subscriber_email or subscriber_emails, not both" });
  }
  if (message.subscriber_id !== undefined && message.subscriber_ids !== undefined) {
    problems.push({ path: ["subscriber_id"], message: "send subscriber_id or subscriber_ids, not both" });
  }
  const hasEmails = message.subscriber_email !== undefined || message.subscriber_emails !== undefined;
  const hasIds = message.subscriber_id !== undefined || message.subscriber_ids !== undefined;
  const mode = message.subscriber_mode ?? "default";
  if (mode === "default") {
    if (hasEmails === hasIds) {
      problems.push({
        path: ["subscriber_emails"],
        message: hasEmails
          ? "default mode takes subscriber_emails or subscriber_ids, not both"
          : "default mode needs subscriber_emails or subscriber_ids",
      });
    }
  } else {
    if (hasIds) problems.push({ path: ["subscriber_ids"], message: `${mode} mode takes subscriber_emails only, not ids` });
    if (!hasEmails) problems.push({ path: ["subscriber_emails"], message: `${mode} mode needs subscriber_emails` });
  }
  return problems;
}

function attachmentProblems(message: Fields): RuleFailure[] {
  // settleAttachmentName has put a File's own name into filename.
  return (message.attachments ?? []).flatMap((attachment, index) => {
    return attachment.filename
      ? []
      : [{ path: ["attachments", index, "filename"], message: "an attachment needs a filename (or a File with a name)" }];
  });
}

/**
 * A listmonk transactional message, validated.
 *
 * @example
 * import * as v from "valibot";
 * const result = v.safeParse(ListmonkMessageSchema, { template_id: 3, subscriber_emails: ["jane@example.com"] });
 * if (!result.success) console.log(result.issues.map((issue) => issue.message));
 */
export const ListmonkMessageSchema = v.pipe(
  fields,
  rule("listmonk_recipients", recipientProblems),
  rule("attachment_filename", attachmentProblems),
);

/**
 * What `send` accepts: the documented `/api/tx` fields plus `attachments`.
 *
 * @example
 * const message: ListmonkMessage = { template_id: 3, subscriber_emails: ["jane@example.com"], data: { orderNumber: "1234" } };
 * await listmonk.send(message);
 */
export type ListmonkMessage = v.InferInput<typeof ListmonkMessageSchema>;
