/**
 * Everlytic's transactional webhooks (`POST /transactional/email/v1/webhooks` sets one up), read into
 * `DeliveryEvent`s. Everlytic posts to your URL, behind HTTP Basic credentials you give it (`auth_details`; there is
 * no signature), as JSON or form-encoded per the webhook's `content_type`, and retries a failed post every 5 minutes
 * for 3 days: so the same event can arrive more than once, and `dedupeKey` tells.
 *
 * Two payload shapes are documented (help.everlytic.com, "Webhook payloads"):
 * - standard: `{ id, type, timestamp, data: [{ transaction: { id, message_id, method, group, sent_timestamp, … },
 *   recipient: { name, email } }] }`, `type` one of sent, delivered, failed, bounce, open, click, unsubscribe,
 *   resubscribe;
 * - legacy (`field_set: legacy`): `{ event: { event_id, event_date, event_type, email_to, group_name,
 *   custom_headers, trans_id } }`, which echoes the email's custom headers (and so our message id, when carried
 *   in one).
 * A bounce's kind and reason and a click's link are not in the documented fields: they are read when present
 * (`bounce_type`, `bounce_reason`, `url` beside `transaction`), and otherwise left out rather than guessed.
 */
import {
  dedupeKey,
  eventLink,
  eventText,
  eventTime,
  MAX_EVENTS_PER_BODY,
  isEventObject,
  malformed,
  readEventBody,
  tooManyEvents,
  type BounceKind,
  type DeliveryEvent,
  type DeliveryEventKind,
  type EventDetail,
  type ParsedEvents,
} from "../core/delivery-event.ts";

/**
 * The custom header txgate carries its message id in (`headers.custom_headers`); Everlytic's legacy webhook
 * payload echoes custom headers back, which is how an event finds its message when the send's answer was lost.
 *
 * @example
 * const message = { ...email, headers: { custom_headers: { [EVERLYTIC_MESSAGE_ID_HEADER]: messageId } } };
 */
export const EVERLYTIC_MESSAGE_ID_HEADER = "X-Txgate-Message-Id";

/** Everlytic's event types, as its webhooks name them, to ours; `undefined`: no `DeliveryEvent` kind (resubscribe). */
const KINDS: Readonly<Record<string, DeliveryEventKind | undefined>> = {
  sent: "sent",
  delivered: "delivered",
  failed: "failed",
  bounce: "bounced",
  open: "opened",
  click: "clicked",
  unsubscribe: "unsubscribed",
  resubscribe: undefined,
};

type Item = Readonly<Record<string, unknown>>;

/**
 * Reads one Everlytic webhook body (`contentType` as the request's `Content-Type`) into delivery events. Never
 * throws: a body that is not JSON or form-encoded, over 1 MiB, with more than 1000 events, or not one of the two
 * documented shapes is a `problem`, and nothing in it is read. An event type with no `DeliveryEvent` kind
 * (`resubscribe`, or one Everlytic adds later) is counted in `ignored`.
 *
 * @example
 * const parsed = parseEverlyticEvents(await request.text(), request.headers.get("Content-Type") ?? "");
 * if ("problem" in parsed) return new Response(parsed.problem.message, { status: 400 });
 * for (const event of parsed.events) console.log(event.kind, event.vendorIds[0], event.dedupeKey);
 */
export function parseEverlyticEvents(body: string, contentType: string): ParsedEvents {
  const read = readEventBody(body, contentType);
  if ("problem" in read) return read;
  const payload = read.value;
  if (!isEventObject(payload)) return malformed("the body is not an object");
  if ("event" in payload) return legacyEvents(payload.event);
  return standardEvents(payload);
}

function standardEvents(payload: Item): ParsedEvents {
  const type = eventText(payload.type)?.toLowerCase();
  if (type === undefined) return malformed("type is missing");
  const data = jsonIfText(payload.data);
  if (!Array.isArray(data)) return malformed("data is not a list");
  if (data.length > MAX_EVENTS_PER_BODY) return tooManyEvents();
  const kind = Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
  if (kind === undefined) return { events: [], ignored: data.length };
  const at = eventTime(payload.timestamp);
  const events: DeliveryEvent[] = [];
  for (const [index, item] of data.entries()) {
    if (!isEventObject(item) || !isEventObject(item.transaction)) return malformed(`data.${index}.transaction is missing`);
    const transactionId = eventText(item.transaction.id);
    if (transactionId === undefined) return malformed(`data.${index}.transaction.id is missing`);
    const recipient = isEventObject(item.recipient) ? eventText(item.recipient.email) : undefined;
    const group = isEventObject(item.transaction.group) ? eventText(item.transaction.group.name) : undefined;
    events.push(
      event(kind, item, {
        vendorIds: [transactionId],
        recipient,
        at,
        dedupeKey: dedupeKey("everlytic", [type, transactionId, recipient, at ?? eventText(payload.timestamp)]),
        details: { event: type, method: eventText(item.transaction.method), group, message_id: eventText(item.transaction.message_id) },
      }),
    );
  }
  return { events, ignored: 0 };
}

function legacyEvents(value: unknown): ParsedEvents {
  const given = jsonIfText(value);
  const list = Array.isArray(given) ? given : [given];
  if (list.length > MAX_EVENTS_PER_BODY) return tooManyEvents();
  const events: DeliveryEvent[] = [];
  let ignored = 0;
  for (const [index, item] of list.entries()) {
    const where = Array.isArray(given) ? `event.${index}` : "event";
    if (!isEventObject(item)) return malformed(`${where} is not an object`);
    const type = eventText(item.event_type)?.toLowerCase();
    if (type === undefined) return malformed(`${where}.event_type is missing`);
    const transactionId = eventText(item.trans_id);
    if (transactionId === undefined) return malformed(`${where}.trans_id is missing`);
    const kind = Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
    if (kind === undefined) {
      ignored++;
      continue;
    }
    const recipient = eventText(item.email_to);
    const at = eventTime(item.event_date);
    const eventId = eventText(item.event_id);
    const messageId = carriedMessageId(item.custom_headers);
    events.push(
      event(kind, item, {
        vendorIds: [transactionId],
        ...(messageId === undefined ? {} : { messageId }),
        recipient,
        at,
        // The event's own id, where given, is what a retried post repeats.
        dedupeKey: dedupeKey("everlytic", eventId !== undefined ? ["event", eventId] : [type, transactionId, recipient, at ?? eventText(item.event_date)]),
        details: { event: type, group: eventText(item.group_name) },
      }),
    );
  }
  return { events, ignored };
}

/** One event, with the optional bounce and click fields read from `item` when Everlytic sent them. */
function event(
  kind: DeliveryEventKind,
  item: Item,
  fields: Pick<DeliveryEvent, "vendorIds" | "messageId" | "recipient" | "at" | "dedupeKey"> & { details: Record<string, EventDetail | undefined> },
): DeliveryEvent {
  const details = { ...fields.details };
  if (kind === "bounced") details.reason = eventText(item.bounce_reason);
  if (kind === "clicked") details.link = eventLink(item.url);
  const base = {
    vendor: "everlytic" as const,
    vendorIds: fields.vendorIds,
    ...(fields.messageId === undefined ? {} : { messageId: fields.messageId }),
    ...(fields.recipient === undefined ? {} : { recipient: fields.recipient }),
    ...(fields.at === undefined ? {} : { at: fields.at }),
    dedupeKey: fields.dedupeKey,
    details: Object.fromEntries(Object.entries(details).filter((entry): entry is [string, EventDetail] => entry[1] !== undefined)),
  };
  if (kind !== "bounced") return { ...base, kind };
  const bounce = bounceKind(item.bounce_type);
  return { ...base, kind, ...(bounce ? { bounce } : {}) };
}

function bounceKind(value: unknown): BounceKind | undefined {
  const text = eventText(value)?.toLowerCase();
  if (text?.includes("hard")) return "hard";
  if (text?.includes("soft")) return "soft";
  return undefined;
}

/**
 * Our message id from the echoed custom headers: an object of header names to a value or a list of values (as the
 * send takes them), or that object as JSON text. The header name is matched without regard to case.
 */
function carriedMessageId(value: unknown): string | undefined {
  const headers = jsonIfText(value);
  if (!isEventObject(headers)) return undefined;
  const wanted = EVERLYTIC_MESSAGE_ID_HEADER.toLowerCase();
  for (const [name, given] of Object.entries(headers)) {
    if (name.toLowerCase() !== wanted) continue;
    return eventText(Array.isArray(given) ? given[0] : given);
  }
  return undefined;
}

/** A form-encoded post may carry a nested part as JSON text. */
function jsonIfText(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
