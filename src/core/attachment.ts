/**
 * Attachments from Web types only (`Blob`, `File`, `Uint8Array`, `ArrayBuffer`), so the same code runs on
 * Workers, Deno, Bun, browsers and Node.
 */
import * as v from "valibot";
import { bytesToBase64 } from "./base64.ts";
import { named } from "./validation.ts";

/**
 * What a caller can pass as an attachment's content.
 *
 * @example
 * const content: AttachmentContent = new TextEncoder().encode("Hello");
 */
export type AttachmentContent = Blob | Uint8Array | ArrayBuffer;

/**
 * A file to attach. A `File`'s own name and type are used when `filename`/`contentType` are omitted.
 *
 * @example
 * const attachment: Attachment = { content: new Blob(["Hello"], { type: "text/plain" }), filename: "hello.txt" };
 */
export interface Attachment {
  readonly content: AttachmentContent;
  readonly filename?: string;
  readonly contentType?: string;
}

/**
 * What an attachment's file name may hold, in every vendor, however the name is given (rule `attachment_name`;
 * the specs' pattern, matched with the Unicode flag as JSON Schema patterns are). Each refused character
 * would be changed or misread on the way: control characters (CR and LF start a new MIME header; `FormData`
 * percent-escapes them), `"` (`FormData` escapes it; it ends a quoted file name), `\` (a quoted-string escape) and
 * `/` (a vendor may keep only the part after the last `/`), unpaired surrogates (UTF-8 cannot carry them), and
 * U+FFFE and U+FFFF (XML cannot).
 */
export const ATTACHMENT_NAME_PATTERN = String.raw`^[^\x00-\x1F\x7F-\x9F"\\/\uD800-\uDFFF\uFFFE\uFFFF]+$`;
const ATTACHMENT_NAME = new RegExp(ATTACHMENT_NAME_PATTERN, "u");
const ATTACHMENT_NAME_MESSAGE =
  'must be a file name without control characters, ", \\ or / (they would be changed on the way), unpaired surrogates, U+FFFE or U+FFFF';

/** An explicit attachment file name (rule `attachment_name` for its characters). */
export const AttachmentName = v.pipe(
  v.string(),
  v.minLength(1),
  named("attachment_name", v.regex<string, string>(ATTACHMENT_NAME, ATTACHMENT_NAME_MESSAGE)),
);

/**
 * An explicit content type for a multipart part (rule `content_type`): `type/subtype` and optional parameters,
 * in printable ASCII without capitals. A part takes its type from a `Blob`, and `new Blob(…, {type})` silently
 * empties a type with any other character and lower-cases the rest, so anything else would be changed on the way.
 */
export const PartContentType = v.pipe(
  v.string(),
  named(
    "content_type",
    v.regex<string, string>(
      /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:;[\x20-\x40\x5B-\x7E]*)?$/,
      "must be a lower-case MIME type (type/subtype, optional parameters) in printable ASCII",
    ),
  ),
);

/**
 * Settles an attachment's file name once, in validation: the explicit `nameKey`, else the `File`'s own name
 * (read once, held to the same rule, and written into `nameKey` of the output). What is sent is then the name
 * that was checked, whatever a `File`'s `name` getter would answer the next time.
 *
 * @example
 * const Attachment = v.pipe(v.strictObject({ content: ..., filename: v.optional(AttachmentName) }), settleAttachmentName("filename", "content"));
 */
export function settleAttachmentName<T extends object>(nameKey: keyof T & string, contentKey: keyof T & string) {
  return named(
    "attachment_name",
    v.rawTransform<T, T>(({ dataset, addIssue, NEVER }) => {
      const file = dataset.value as Record<string, unknown>;
      if (file[nameKey] !== undefined) return dataset.value;
      const content = file[contentKey];
      const ownName = typeof content === "object" && content !== null ? (content as Partial<File>).name : undefined;
      if (typeof ownName !== "string" || !ownName) return dataset.value;
      if (!ATTACHMENT_NAME.test(ownName)) {
        addIssue({
          message: `the File's own name ${ATTACHMENT_NAME_MESSAGE}`,
          path: [{ type: "object", origin: "value", input: file, key: nameKey, value: ownName }] as never,
        });
        return NEVER;
      }
      return { ...file, [nameKey]: ownName } as T;
    }),
  );
}

/** The attachment's MIME type: the explicit one, else the `Blob`'s own type, else `application/octet-stream`. */
export function attachmentType(attachment: Attachment): string {
  if (attachment.contentType) return attachment.contentType;
  const content = attachment.content as Partial<Blob>;
  return typeof content.type === "string" && content.type ? content.type : "application/octet-stream";
}

/**
 * The content as a `Blob` (for multipart bodies), typed `attachmentType(attachment)`; bytes are wrapped, not
 * copied. A multipart part takes its type from the Blob, so an explicit `contentType` must go onto it.
 */
export function attachmentBlob(attachment: Attachment): Blob {
  const { content } = attachment;
  const type = attachmentType(attachment);
  if (content instanceof Blob) return content.type === type ? content : content.slice(0, content.size, type);
  // Typed as an ArrayBuffer because the DOM and Workers lib types disagree on which views a Blob takes.
  return new Blob([content as ArrayBuffer], { type });
}

/** The content as base64 (for JSON and XML bodies). */
export async function attachmentBase64(attachment: Attachment): Promise<string> {
  const { content } = attachment;
  const bytes =
    content instanceof Uint8Array
      ? content
      : new Uint8Array(content instanceof Blob ? await content.arrayBuffer() : content);
  return bytesToBase64(bytes);
}

/** Whether a value is usable attachment content (used by the valibot schemas). */
export function isAttachmentContent(value: unknown): value is AttachmentContent {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof Blob !== "undefined" && value instanceof Blob);
}
