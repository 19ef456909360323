/**
 * listmonk's bounce records, read into `DeliveryEvent`s. listmonk posts no events of its own: `/api/tx` stores
 * nothing and returns no id, and opens and clicks are tracked for campaigns only. What it does keep is a bounce
 * record per bounce it learns of (from a mailbox it scans or a provider's bounce webhook), listed by
 * `GET /api/bounces` (and `GET /api/subscribers/{id}/bounces`): `{ id, type: hard|soft|complaint, source, meta,
 * created_at, email, subscriber_uuid, subscriber_id, subscriber_status, campaign }`. A record names no message,
 * only the address, and exists only for a recipient who is a subscriber (in `external` mode the bounce is dropped):
 * so these events match a message by recipient alone.
 */
import {
  dedupeKey,
  eventText,
  eventTime,
  MAX_EVENTS_PER_BODY,
  isEventObject,
  malformed,
  readEventBody,
  tooManyEvents,
  type DeliveryEvent,
  type ParsedEvents,
} from "../core/delivery-event.ts";

/**
 * Reads the JSON answer of listmonk's `GET /api/bounces` (`{ data: { results: [...] } }`) or of
 * `GET /api/subscribers/{id}/bounces` (`{ data: [...] }`) into delivery events: `hard` and `soft` records become
 * `bounced` events of that kind, `complaint` records `complained`. A record with a `campaign` is a campaign's
 * bounce, not a transactional message's, and is counted in `ignored`. Never throws: a body that is not that shape,
 * over 1 MiB or with more than 1000 records is a `problem`. The record's `meta` (the bounce source's own report) is
 * not kept.
 *
 * @example
 * const answer = await fetch(`${baseUrl}/api/bounces?per_page=100&order_by=created_at&order=desc`, { headers: { Authorization } });
 * const parsed = parseListmonkBounces(await answer.text());
 * if (!("problem" in parsed)) for (const event of parsed.events) console.log(event.recipient, event.kind, event.dedupeKey);
 */
export function parseListmonkBounces(body: string): ParsedEvents {
  const read = readEventBody(body, "application/json");
  if ("problem" in read) return read;
  const data = isEventObject(read.value) ? read.value.data : undefined;
  const records = Array.isArray(data) ? data : isEventObject(data) ? data.results : undefined;
  if (!Array.isArray(records)) return malformed("data.results is not a list");
  if (records.length > MAX_EVENTS_PER_BODY) return tooManyEvents();
  const events: DeliveryEvent[] = [];
  let ignored = 0;
  for (const [index, record] of records.entries()) {
    if (!isEventObject(record)) return malformed(`record ${index} is not an object`);
    const id = eventText(record.id);
    const type = eventText(record.type)?.toLowerCase();
    const email = eventText(record.email);
    if (id === undefined || type === undefined || email === undefined) return malformed(`record ${index} lacks its id, type or email`);
    if (record.campaign !== null && record.campaign !== undefined) {
      ignored++;
      continue;
    }
    const at = eventTime(record.created_at);
    const base = {
      vendor: "listmonk" as const,
      vendorIds: [],
      recipient: email,
      ...(at === undefined ? {} : { at }),
      dedupeKey: dedupeKey("listmonk", ["bounce", id]),
      details: Object.fromEntries(
        Object.entries({ type, source: eventText(record.source), subscriber_status: eventText(record.subscriber_status) }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      ),
    };
    if (type === "hard" || type === "soft") events.push({ ...base, kind: "bounced", bounce: type });
    else if (type === "complaint") events.push({ ...base, kind: "complained" });
    else ignored++;
  }
  return { events, ignored };
}
