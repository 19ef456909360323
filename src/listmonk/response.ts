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
  const failedRecipients = asSent(named, recipients);
  if (failedRecipients.length) {
    const queued = recipients.length - failedRecipients.length;
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

/**
 * The recipients listmonk named, spelled as the caller sent them: listmonk trims and lower-cases an address
 * before it looks it up, and names it that way. Each recipient answers for one name, in order, so the same
 * address sent twice in two spellings comes back as both.
 */
function asSent(named: readonly string[], recipients: readonly string[]): string[] {
  const unclaimed = [...recipients];
  return named.map((name) => {
    const index = unclaimed.findIndex((recipient) => recipient.trim().toLowerCase() === name.toLowerCase());
    return index < 0 ? name : unclaimed.splice(index, 1)[0]!;
  });
}
