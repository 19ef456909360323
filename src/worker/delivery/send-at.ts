/**
 * When a scheduled send goes out: an RFC 3339 date-time (`2026-12-24T09:00:00Z`, `2026-12-24T11:00:00+02:00`),
 * in the future, at most 30 days ahead (less where an action allows less). The `Send-At` header of
 * `POST /v1/send/{vendor}`, a batch item's `sendAt` and a browser action's `sendAt` are all read here, so each
 * is refused the same way: a 422 naming the field and the rule it broke.
 */
import type { ActionCall } from "../policy.ts";
import { Refusal } from "../problem.ts";

/** The furthest ahead any send may be scheduled. */
export const MAX_SEND_AT_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;

/** RFC 3339 §5.6 `date-time`; a fraction of a second is allowed, a leap second (`:60`) is not. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Where `parseSendAt` reads from, and how far ahead it allows. */
export interface SendAtRule {
  /** The field as the caller knows it, for the issue's `path`: `headers.send-at`, `messages[3].sendAt`, `sendAt`. */
  readonly path: string;
  /** Now, in ms since the epoch. Default `Date.now()`. */
  readonly now?: number;
  /** The furthest ahead allowed, in ms: at most (and by default) `MAX_SEND_AT_AHEAD_MS`. */
  readonly maxAheadMs?: number;
}

/**
 * The time `value` names, in ms since the epoch; `undefined` when there is no value (send as soon as it can).
 * Anything else is a `validation` refusal (422) with one issue at `rule.path`: rule `date_time` (not an RFC 3339
 * date-time with its offset), `future` (not after now) or `max_ahead` (further ahead than allowed).
 *
 * @example
 * const sendAt = parseSendAt(request.headers.get("send-at") ?? undefined, { path: "headers.send-at" });
 * const itemSendAt = parseSendAt(item.sendAt, { path: `messages[${index}].sendAt` });
 */
export function parseSendAt(value: unknown, rule: SendAtRule): number | undefined {
  if (value === undefined || value === null) return undefined;
  const now = rule.now ?? Date.now();
  const maxAheadMs = Math.min(rule.maxAheadMs ?? MAX_SEND_AT_AHEAD_MS, MAX_SEND_AT_AHEAD_MS);
  const refuse = (name: string, message: string): never => {
    throw new Refusal("validation", `${rule.path} ${message}`, { issues: [{ path: rule.path, rule: name, message }] });
  };
  const at = typeof value === "string" && value.length <= 40 ? dateTime(value) : undefined;
  if (at === undefined) return refuse("date_time", "must be an RFC 3339 date-time with its offset, e.g. 2026-12-24T09:00:00Z");
  if (at <= now) return refuse("future", "must be in the future");
  if (at - now > maxAheadMs) return refuse("max_ahead", `must be at most ${describeDuration(maxAheadMs)} ahead`);
  return at;
}

/**
 * The `Send-At` header of `POST /v1/send/{vendor}`, read by `parseSendAt`, with the path it is blamed at.
 *
 * @example
 * const sendAt = headerSendAt(request); // { at: 1797498000000, path: "headers.send-at" } or undefined
 */
export function headerSendAt(request: Request): { readonly at: number; readonly path: string } | undefined {
  const path = "headers.send-at";
  const at = parseSendAt(request.headers.get("send-at") ?? undefined, { path });
  return at === undefined ? undefined : { at, path };
}

/**
 * A browser action call's `sendAt`, within what its action allows (`schedule.maxDelaySeconds`); refused (422,
 * rule `not_schedulable`) for an action that does not allow scheduling.
 *
 * @example
 * const sendAt = actionSendAt(call);
 */
export function actionSendAt(call: ActionCall): { readonly at: number; readonly path: string } | undefined {
  const path = "sendAt";
  if (call.sendAt === undefined) return undefined;
  const { schedule } = call.action;
  if (!schedule) {
    const message = `action ${call.name} cannot be scheduled`;
    throw new Refusal("validation", `sendAt: ${message}`, { issues: [{ path, rule: "not_schedulable", message }] });
  }
  const at = parseSendAt(call.sendAt, { path, maxAheadMs: schedule.maxDelaySeconds * 1000 });
  return at === undefined ? undefined : { at, path };
}

/** The instant an RFC 3339 date-time names; `undefined` when it is not one (a 30 February, a 25th hour). */
function dateTime(text: string): number | undefined {
  const parts = DATE_TIME.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [sign, offsetHours, offsetMinutes] = [parts[7], Number(parts[8] ?? 0), Number(parts[9] ?? 0)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 30 February over into March: a day the month does not have is refused instead.
  if (new Date(local).getUTCDate() !== day || day < 1) return undefined;
  const fraction = /\.(\d+)/.exec(text)?.[1];
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const offset = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return local + ms - offset;
}

/** "30 days", "2 hours", "90 seconds": the largest unit that divides it. */
function describeDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [count, unit] = seconds % 86_400 === 0 ? [seconds / 86_400, "day"] : seconds % 3600 === 0 ? [seconds / 3600, "hour"] : seconds % 60 === 0 ? [seconds / 60, "minute"] : [seconds, "second"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
