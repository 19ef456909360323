/**
 * A batch item's `sendAt`, read the way delivery/send-at.ts's `parseSendAt` reads every scheduled send's time: an
 * RFC 3339 date-time with its offset, in the future, at most 30 days ahead. This stands in for it until the batch
 * route and that module meet; then `parseSendAt(sendAt, { path: "messages.<i>.sendAt" })` replaces it.
 */

/** The furthest ahead a send may be scheduled. */
const MAX_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * What is wrong with `value` as a send time (its rule and message), or `undefined` when it is a valid one.
 *
 * @example
 * readBatchSendAt("2026-12-24T09:00:00Z"); // undefined, when that is within 30 days
 * readBatchSendAt("tomorrow"); // { rule: "date_time", message: "must be an RFC 3339 date-time …" }
 */
export function readBatchSendAt(value: unknown, now = Date.now()): { readonly rule: string; readonly message: string } | undefined {
  const at = typeof value === "string" && DATE_TIME.test(value) ? Date.parse(value) : NaN;
  // Date.parse rolls a 30 February over into March; the day must survive the round trip.
  const day = typeof value === "string" ? Number(value.slice(8, 10)) : NaN;
  const sameDay = Number.isFinite(at) && new Date(at + offsetMs(value as string)).getUTCDate() === day;
  if (!sameDay) return { rule: "date_time", message: "must be an RFC 3339 date-time with its offset, e.g. 2026-12-24T09:00:00Z" };
  if (at <= now) return { rule: "future", message: "must be in the future" };
  if (at - now > MAX_AHEAD_MS) return { rule: "max_ahead", message: "must be at most 30 days ahead" };
  return undefined;
}

/** The offset a date-time is written in, in ms east of UTC. */
function offsetMs(text: string): number {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  return offset ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
}
