/**
 * Attachments from Web types only (`Blob`, `File`, `Uint8Array`, `ArrayBuffer`), so the same code runs on
 * Workers, Deno, Bun, browsers and Node.
 */
import { bytesToBase64 } from "./base64.ts";
import type { ValidationIssue } from "./outcome.ts";

/** What a caller can pass as an attachment's content. */
export type AttachmentContent = Blob | Uint8Array | ArrayBuffer;

/** A file to attach. A `File`'s own name and type are used when `filename`/`contentType` are omitted. */
export interface Attachment {
  readonly content: AttachmentContent;
  readonly filename?: string;
  readonly contentType?: string;
}

/** The attachment's file name: the explicit one, else the `File`'s own name. */
export function attachmentName(attachment: Attachment): string | undefined {
  if (attachment.filename !== undefined) return attachment.filename;
  const content = attachment.content as Partial<File>;
  return typeof content.name === "string" && content.name ? content.name : undefined;
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

/** The issue for attachment content that failed to read (a `File` changed on disk): nothing was sent. */
export function unreadableAttachment(path: string, error: unknown): ValidationIssue {
  return { path, rule: "attachment_readable", message: `could not be read: ${String(error)}` };
}
