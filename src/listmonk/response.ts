/**
 * listmonk's answers to typed outcomes. listmonk answers every auth failure with 403 (never 401), and reports
 * recipients that are not subscribers in a 400 after queuing the others.
 */
import type { Answer } from "../core/outcome.ts";
import { defaultFailure, messageOf } from "../core/response.ts";
import type { components } from "../../generated/listmonk.ts";

export type TxQueued = components["schemas"]["TxQueued"];

/** `Subscriber (0: a@example.com) not found` for an address, `Subscriber (7: ) not found` for an id. */
const NOT_FOUND = /\((\d+): ?([^)]*)\) not found/g;

export function mapListmonkResponse(
  status: number,
  body: unknown,
  headers: Headers,
  recipientCount: number,
): Answer<TxQueued> {
  if (status === 200 && (body as Partial<TxQueued> | undefined)?.data === true) {
    return { ok: true, status, data: body as TxQueued };
  }
  const vendorMessage = messageOf(body);
  const failedRecipients = status === 400 ? [...(vendorMessage ?? "").matchAll(NOT_FOUND)].map(([, id, email]) => email || id!) : [];
  if (failedRecipients.length) {
    const queued = recipientCount - failedRecipients.length;
    return {
      status,
      vendorMessage,
      details: body,
      kind: "rejected",
      failedRecipients,
      retryable: false,
      delivery: queued > 0 ? "partial" : "not_sent",
      message: `${status} not found: ${failedRecipients.join(", ")}${queued > 0 ? `; the other ${queued} recipient(s) were queued` : ""}`,
    };
  }
  // listmonk queues recipient by recipient, so a 500 may come after some were queued: the default
  // classification (5xx other than 503 = delivery unknown) already says so.
  return defaultFailure(status, { vendorMessage, details: body }, headers);
}
