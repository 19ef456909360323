/**
 * listmonk's answers to typed outcomes. listmonk answers every auth failure with 403 (never 401), and reports
 * recipients that are not subscribers in a 400 after queuing the others.
 */
import type { Answer } from "../core/outcome.ts";
import { asSentRecipients, defaultFailure, messageOf, recipientsRefused } from "../core/response.ts";
import type { components } from "../../generated/listmonk.ts";

/**
 * listmonk's answer to `POST /api/tx` that queued the message (`Sent.data`).
 *
 * @example
 * const outcome = await listmonk.send({ template_id: 3, subscriber_emails: ["jane@example.com"] });
 * if (outcome.ok) console.log(outcome.data satisfies TxQueued);
 */
export type TxQueued = components["schemas"]["TxQueued"];

/** `Subscriber (0: a@example.com) not found` for an address, `Subscriber (7: ) not found` for an id. */
const NOT_FOUND = /\((\d+): ?([^)]*)\) not found/g;

/**
 * Maps one HTTP answer. `recipients` are the request's addresses, or its ids as text, in the order sent.
 *
 * @example
 * mapListmonkResponse(400, { message: "Subscriber (0: ada@example.com) not found" }, new Headers(), ["Ada@Example.com"]);
 */
export function mapListmonkResponse(
  status: number,
  body: unknown,
  headers: Headers,
  recipients: readonly string[],
): Answer<TxQueued> {
  if (status === 200 && (body as Partial<TxQueued> | undefined)?.data === true) {
    return { ok: true, status, data: body as TxQueued };
  }
  const vendorMessage = messageOf(body);
  const named = status === 400 ? [...(vendorMessage ?? "").matchAll(NOT_FOUND)].map(([, id, email]) => email || id!) : [];
  const failedRecipients = asSentRecipients(named, recipients);
  if (failedRecipients.length) {
    const queued = recipients.length - failedRecipients.length;
    const others = queued > 0 ? `; the other ${queued} recipient(s) were queued` : "";
    return recipientsRefused(status, { vendorMessage, details: body }, failedRecipients, queued > 0, `${status} not found: ${failedRecipients.join(", ")}${others}`);
  }
  // listmonk queues recipient by recipient, so a 500 may come after some were queued: the default
  // classification (5xx other than 503 = delivery unknown) already says so.
  return defaultFailure(status, { vendorMessage, details: body }, headers);
}

