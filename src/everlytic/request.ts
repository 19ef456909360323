/**
 * Our message to Everlytic's wire body. The message already has the wire's shape; only attachments given as
 * Web-type `content` change, into `{filename, data}` with base64 data.
 */
import { attachmentBase64 } from "../core/attachment.ts";
import type { PostRequest } from "../core/transport.ts";
import type { components, paths } from "../../generated/everlytic.ts";
import { recipientsOf, type EverlyticMessage } from "./schema.ts";

export type SendMailRequest = components["schemas"]["SendMailRequest"];

/** The `POST /transactional/email/v1/mail` request for a validated message, with its to, cc and bcc addresses. */
export async function toMailRequest(message: EverlyticMessage): Promise<PostRequest<paths>> {
  const body = await toSendMailRequest(message);
  // Serialised once: a retry resends the same text instead of stringifying megabytes of base64 again.
  const json = JSON.stringify(body);
  return { path: "/transactional/email/v1/mail", body, bodySerializer: () => json, recipients: recipientsOf(message) };
}

/**
 * The `/transactional/email/v1/mail` body for a validated message. Bytes are encoded straight from the
 * caller's buffer (a `Uint8Array` or `ArrayBuffer` is not copied; a `Blob` is read once).
 */
export async function toSendMailRequest(message: EverlyticMessage): Promise<SendMailRequest> {
  const files = message.attachments?.data;
  if (!files?.some((file) => file.content !== undefined)) return message as SendMailRequest;
  const data = await Promise.all(
    files.map(async ({ content, ...file }) =>
      content === undefined
        ? file
        : // filename is the one validation settled, a File's own name included.
          { ...file, data: await attachmentBase64({ content }) },
    ),
  );
  return { ...message, attachments: { ...message.attachments, data } } as SendMailRequest;
}
