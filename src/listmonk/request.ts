/**
 * Our message to listmonk's wire format: JSON, or multipart with one `data` field and a `file` part per attachment.
 */
import { attachmentBlob, type Attachment } from "../core/attachment.ts";
import type { PostRequest } from "../core/transport.ts";
import type { components, paths } from "../../generated/listmonk.ts";
import type { ListmonkMessage } from "./schema.ts";

export type TxMessage = components["schemas"]["TxMessage"];

/** The `/api/tx` JSON body: every field but `attachments`, which travel as `file` parts. */
export function toTxMessage(message: ListmonkMessage): TxMessage {
  const { attachments: _attachments, ...body } = message;
  return body as TxMessage;
}

/** The `POST /api/tx` request for a validated message, with its recipients as sent (ids as text). */
export function toTxRequest(message: ListmonkMessage): PostRequest<paths> {
  const body = toTxMessage(message);
  const recipients = body.subscriber_emails ?? body.subscriber_ids?.map(String) ?? [String(body.subscriber_email ?? body.subscriber_id)];
  return { path: "/api/tx", body, bodySerializer: txBodySerializer(message.attachments), recipients };
}

/** A body serializer for openapi-fetch: plain JSON, or multipart when there are attachments. */
export function txBodySerializer(attachments: readonly Attachment[] | undefined) {
  // Typed loosely because openapi-fetch types a serializer's input as the union of every content type's body.
  return (body: unknown): string | FormData => {
    if (!attachments?.length) return JSON.stringify(body);
    const form = new FormData();
    form.append("data", JSON.stringify(body));
    for (const attachment of attachments) {
      // The name validation settled (a File's own name included), never one read again from the File.
      form.append("file", attachmentBlob(attachment), attachment.filename!);
    }
    return form;
  };
}
