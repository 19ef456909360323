/**
 * What became of a message after the vendor accepted it, as one shape whatever the vendor: each vendor's parser
 * (its `events.ts`) turns what that vendor posts or reports into `DeliveryEvent`s, and refuses what it cannot read
 * with an `EventBodyProblem`, never a throw. Parsers are pure and use no runtime's built-ins, so the same code reads
 * a webhook in a Worker, a Deno handler or a Node server.
 */
import type { VendorName } from "./outcome.ts";

/**
 * What happened to a message, as far as the vendor knows:
 * - `sent`: the vendor handed it on to the receiving mail server (its own "sent" event; not yet delivered);
 * - `delivered`: the receiving server accepted it;
 * - `bounced`: the receiving server refused it, `hard` (will not work again) or `soft` (may work later);
 * - `failed`: the vendor could not send it at all;
 * - `opened`, `clicked`: the recipient opened it, or followed a link (tracking must be on);
 * - `unsubscribed`: the recipient asked to receive no more;
 * - `complained`: the recipient marked it as spam.
 *
 * @example
 * if (event.kind === "bounced" && event.bounce === "hard") suppress(event.recipient);
 */
export type DeliveryEventKind = "sent" | "delivered" | "bounced" | "failed" | "opened" | "clicked" | "unsubscribed" | "complained";

/** Every kind, in the order of a message's life. */
export const deliveryEventKinds: readonly DeliveryEventKind[] = ["sent", "delivered", "bounced", "failed", "opened", "clicked", "unsubscribed", "complained"];

/**
 * A bounce's kind: `hard` will not work again, `soft` may.
 *
 * @example
 * const bounce: BounceKind = "hard";
 */
export type BounceKind = "hard" | "soft";

/**
 * A short value kept from the vendor's event, for an operator to read.
 *
 * @example
 * const details: Record<string, EventDetail> = { reason: "mailbox full", code: 452 };
 */
export type EventDetail = string | number | boolean;

interface DeliveryEventBase {
  readonly vendor: VendorName;
  /**
   * The vendor's own ids for the message this event is about, as the send's outcome gave them (`Sent.ids`): match
   * an event to a send through these. Empty when the vendor's event names no message (then only `recipient` is left).
   */
  readonly vendorIds: readonly string[];
  /** Our message id, where the vendor echoed back the field we carried it in (the capability table's `messageIdCarrier`). */
  readonly messageId?: string;
  /** The recipient the event is about, spelled as the vendor spelled it; absent when the vendor did not say. */
  readonly recipient?: string;
  /** When it happened, as ISO 8601 in UTC; absent when the vendor gave no time (or one that is not a date). */
  readonly at?: string;
  /**
   * The same for the same event however often the vendor sends it (a webhook retried, a report read twice), and
   * different for two events (two opens at two times): record an event once per key. At most 512 characters.
   */
  readonly dedupeKey: string;
  /**
   * A few of the vendor's own fields, each value cut to 200 characters: its event name, a bounce reason, a clicked
   * link's origin and path. Never a query string (links carry tokens), a header value or a message body.
   */
  readonly details: Readonly<Record<string, EventDetail>>;
}

/**
 * The receiving server refused the message. `bounce` is absent when the vendor did not say which kind.
 *
 * @example
 * if (event.kind === "bounced") console.log(event.recipient, event.bounce ?? "bounce kind not given");
 */
export interface BouncedEvent extends DeliveryEventBase {
  readonly kind: "bounced";
  readonly bounce?: BounceKind;
}

/**
 * Any event but a bounce.
 *
 * @example
 * if (event.kind === "opened") countOpen(event.vendorIds);
 */
export interface OtherDeliveryEvent extends DeliveryEventBase {
  readonly kind: Exclude<DeliveryEventKind, "bounced">;
}

/**
 * One thing that happened to one message for one recipient, whatever the vendor.
 *
 * @example
 * function describe(event: DeliveryEvent): string {
 *   return event.kind === "bounced" ? `${event.recipient} bounced (${event.bounce ?? "kind not given"})` : `${event.kind} at ${event.at}`;
 * }
 */
export type DeliveryEvent = BouncedEvent | OtherDeliveryEvent;

/**
 * Why a body of events was refused, whole: nothing in it was read.
 * - `unsupported_media_type`: neither JSON nor form-encoded (answer 415);
 * - `too_large`: more bytes than a parser reads (answer 413);
 * - `too_many_events`: more events in one body than a parser takes (answer 413);
 * - `malformed`: not the vendor's documented shape (answer 400); `message` says where.
 *
 * @example
 * const parsed = parseEvents(body, contentType); // a vendor's event parser
 * if ("problem" in parsed) return new Response(parsed.problem.message, { status: parsed.problem.kind === "malformed" ? 400 : 413 });
 */
export interface EventBodyProblem {
  readonly kind: "unsupported_media_type" | "too_large" | "too_many_events" | "malformed";
  /** Names the part that broke the rule; never quotes the body. */
  readonly message: string;
}

/**
 * What a vendor's event parser returns: the events, and how many of the vendor's events have no `DeliveryEvent`
 * kind (a resubscription, a bounce from a campaign rather than a transactional send), or the problem that refused the whole body.
 *
 * @example
 * const parsed = parseVendorEvents(await request.text(), request.headers.get("Content-Type") ?? ""); // a vendor entry's parser
 * if ("problem" in parsed) return new Response(parsed.problem.message, { status: parsed.problem.kind === "malformed" ? 400 : 413 });
 * for (const event of parsed.events) await record(event);
 */
export type ParsedEvents =
  | { readonly events: readonly DeliveryEvent[]; readonly ignored: number }
  | { readonly problem: EventBodyProblem };

/** The most bytes (as UTF-16 code units, which bounds the UTF-8 size from below) a parser reads from one body. */
export const MAX_EVENT_BODY_LENGTH = 1024 * 1024;
/** The most events a parser takes from one body. */
export const MAX_EVENTS_PER_BODY = 1000;
/** The longest value kept in `details`, `recipient`, an id or a key part. */
export const MAX_EVENT_FIELD_LENGTH = 200;

/**
 * Reads a webhook body as JSON or as form fields, by its content type, within the size bound. Form fields named
 * PHP-style (`data[0][transaction][id]`) become the nested object they spell, so a vendor that posts its JSON shape
 * form-encoded reads like its JSON. Never throws.
 *
 * @example
 * const read = readEventBody(body, "application/x-www-form-urlencoded");
 * if ("problem" in read) return read;
 */
export function readEventBody(body: string, contentType: string): { readonly value: unknown } | { readonly problem: EventBodyProblem } {
  if (typeof body !== "string") return malformed("the body is not text");
  if (body.length > MAX_EVENT_BODY_LENGTH) return { problem: { kind: "too_large", message: `the body is over ${MAX_EVENT_BODY_LENGTH} characters` } };
  const media = String(contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (media === "application/json" || media.endsWith("+json")) {
    try {
      return { value: JSON.parse(body) };
    } catch {
      return malformed("the body is not JSON");
    }
  }
  if (media === "application/x-www-form-urlencoded") return readForm(body);
  return { problem: { kind: "unsupported_media_type", message: "the body must be application/json or application/x-www-form-urlencoded" } };
}

/** The most fields, and the deepest bracket nesting, a form body may have. */
const MAX_FORM_FIELDS = 20_000;
const MAX_FORM_DEPTH = 8;

function readForm(body: string): { readonly value: unknown } | { readonly problem: EventBodyProblem } {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(body);
  } catch {
    return malformed("the body is not form-encoded");
  }
  const root: Record<string, unknown> = Object.create(null);
  let fields = 0;
  for (const [name, value] of params) {
    if (++fields > MAX_FORM_FIELDS) return { problem: { kind: "too_many_events", message: `the form has more than ${MAX_FORM_FIELDS} fields` } };
    const path = formPath(name);
    if (!path || path.length > MAX_FORM_DEPTH) return malformed("a form field's name is not a bracketed path");
    let node: Record<string, unknown> = root;
    for (const [index, key] of path.entries()) {
      if (index === path.length - 1) {
        node[key] = value;
        break;
      }
      const next = node[key];
      if (next === undefined) node = node[key] = Object.create(null) as Record<string, unknown>;
      else if (typeof next === "object" && next !== null) node = next as Record<string, unknown>;
      else return malformed("a form field is both a value and a group");
    }
  }
  return { value: arraysOf(root) };
}

/** `a[b][0]` → `["a", "b", "0"]`; `undefined` for a name whose brackets do not close. */
function formPath(name: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!match) return undefined;
  const rest = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]!);
  // `a[]` appends in PHP; a webhook's fields are indexed, so an empty index is refused rather than guessed.
  if (rest.some((key) => key === "")) return undefined;
  return [match[1]!, ...rest];
}

/** Groups whose keys are exactly 0..n-1 become arrays, as PHP writes them. */
function arraysOf(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  const converted = entries.map(([key, item]) => [key, arraysOf(item)] as const);
  if (entries.length > 0 && entries.every(([key], index) => key === String(index))) return converted.map(([, item]) => item);
  return Object.fromEntries(converted);
}

/**
 * The `malformed` problem, naming the part that broke the shape.
 *
 * @example
 * if (!Array.isArray(payload.data)) return malformed("data is not a list");
 */
export function malformed(message: string): { readonly problem: EventBodyProblem } {
  return { problem: { kind: "malformed", message } };
}

/**
 * The `too_many_events` problem.
 *
 * @example
 * if (items.length > MAX_EVENTS_PER_BODY) return tooManyEvents();
 */
export function tooManyEvents(): { readonly problem: EventBodyProblem } {
  return { problem: { kind: "too_many_events", message: `more than ${MAX_EVENTS_PER_BODY} events in one body` } };
}

/**
 * Whether a parsed value is a plain JSON object (not a list, not null).
 *
 * @example
 * if (!isEventObject(item) || !isEventObject(item.transaction)) return malformed("transaction is missing");
 */
export function isEventObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A dedupe key from the parts that tell one event from another: each part cut to the field bound and
 * percent-encoded, so no part can forge a separator.
 *
 * @example
 * dedupeKey(vendor, ["open", transactionId, recipient, timestamp]); // "<vendor>|open|8faa…|joe%40example.com|2026-…"
 */
export function dedupeKey(vendor: VendorName, parts: readonly (string | number | undefined)[]): string {
  return [vendor, ...parts.map((part) => encodeURIComponent(String(part ?? "")).slice(0, 100))].join("|").slice(0, 512);
}

/** A text value cut to the field bound; `undefined` for anything that is not a non-empty string or a finite number. */
export function eventText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string" || value === "") return undefined;
  return value.length > MAX_EVENT_FIELD_LENGTH ? value.slice(0, MAX_EVENT_FIELD_LENGTH) : value;
}

/** A vendor's time as ISO 8601 in UTC; `undefined` when it is not a date. */
export function eventTime(value: unknown): string | undefined {
  const text = eventText(value);
  if (text === undefined) return undefined;
  // Vendors write microseconds, or a space for the `T`: both read as the same instant everywhere.
  const time = Date.parse(text.replace(/^(\d{4}-\d\d-\d\d) /, "$1T").replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * A link kept for an operator: its origin and path only. The query and fragment are dropped, because a
 * transactional email's links carry tokens (a password reset, a sign-in).
 */
export function eventLink(value: unknown): string | undefined {
  const text = typeof value === "string" ? value : undefined;
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return eventText(`${url.origin}${url.pathname}`);
  } catch {
    return undefined;
  }
}
