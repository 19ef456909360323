/**
 * Delivery events: `POST /v1/events/{vendor}`, where a vendor that documents webhooks posts what became of the
 * messages it took (each served vendor's descriptor says whether it posts events, and loads its parser), and the index that
 * ties an event to our message.
 *
 *   queued send ──sent, ids [t1, t2]──▶ message object notes its vendor and ids ──▶ object `vendor-id:<vendor>:t1` → our id
 *   webhook ──basic auth──▶ body cap ──▶ vendor's parser ──▶ each event: our id (carried) or `vendor-id:<vendor>:<id>` → our id
 *                                                          ──▶ message object: recorded once per dedupeKey, or counted
 *
 * No index is scanned: each vendor id names its own Durable Object, which holds our message id. An event that
 * names no message we hold (a synchronous send, one past its 24 hours, one not settled yet) is counted and
 * dropped, and so is one that names a message it cannot be about (another vendor's or account's ids, a message
 * never sent): the route's answer, its log line and the deployment's counters (`deliveryEventCounts`) say how
 * many, and the vendor is answered 200 so it does not post them again for three days.
 */
import { basicAuthMatches } from "../../core/basic-auth.ts";
import type { DeliveryEvent } from "../../core/delivery-event.ts";
import type { Outcome, VendorName } from "../../core/public.ts";
import type { Config, Env } from "../env.ts";
import { readTextBody } from "../gates/body-limit.ts";
import { clientIp, ipRateKey, limitRate } from "../gates/rate-limit.ts";
import type { RequestLog } from "../log.ts";
import { problemResponse, Refusal } from "../problem.ts";
import { isServedVendor } from "../vendors.ts";
import { EVENT_COUNTERS_NAME, MESSAGE_ID_SYNTAX, vendorIdObjectName, type EventRecording, type RecordedEvent, type VendorSend } from "./message-state.ts";

/** The largest webhook body read, in bytes: the parsers' own bound (1 MiB). */
export const MAX_EVENT_BODY_BYTES = 1024 * 1024;

/**
 * One event attached to one of the deployment's messages, as `createTxgateWorker({ onEvent })` receives it:
 * our message id, whose message it is (`caller:<key id>`, `user:<subject>` or `ip:<address>`), and the event.
 *
 * @example
 * onEvent: ({ messageId, scope, event }: AttachedDeliveryEvent) => console.log(messageId, scope, event.kind)
 */
export interface AttachedDeliveryEvent {
  readonly messageId: string;
  readonly scope: string;
  readonly event: DeliveryEvent;
}

/**
 * Hands each attached event to the deployment's own code; the route's answer never waits for it.
 *
 * @example
 * const onEvent: DeliveryEventHook = async ({ messageId, event }) => { if (event.kind === "bounced") await suppress(messageId); };
 */
export type DeliveryEventHook = (attached: AttachedDeliveryEvent) => void | Promise<void>;

/**
 * How many events of one post came to what.
 *
 * @example
 * const counts: EventCounts = await deliveryEventCounts(env); // { unmatched: 2, foreign: 0, ... }
 */
export interface EventCounts {
  received: number;
  recorded: number;
  duplicate: number;
  unmatched: number;
  foreign: number;
  overflow: number;
  /** Events of a type with no `DeliveryEvent` kind (a vendor's `resubscribe`, say). */
  ignored: number;
}

/** What an event route needs of the request's context: somewhere to run work after the answer. */
export interface Background {
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * Serves `POST /v1/events/{vendor}`: rate limit per client address → basic auth (constant time, against the
 * vendor's `<VENDOR>_WEBHOOK_USER`/`_PASSWORD`) → body cap (413) → the vendor's parser (415, 413, or 400 for a
 * malformed body: nothing in it used) → each event recorded once. Answers 200 with the counts.
 *
 * @example
 * if (events) return deliveryEventsRoute(request, env, config, log, events[1], { waitUntil }, onEvent);
 */
export async function deliveryEventsRoute(request: Request, env: Env, config: Config, log: RequestLog, vendorInPath: string, background: Background, onEvent?: DeliveryEventHook): Promise<Response> {
  if (request.method !== "POST") throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: "POST" } });
  const load = isServedVendor(config, vendorInPath) ? config.served.get(vendorInPath)?.webhookEvents : undefined;
  if (!isServedVendor(config, vendorInPath) || !load) throw new Refusal("not_found", "no such event route: this vendor posts no events");
  const vendor = vendorInPath;
  log.set({ vendor });
  if (!env.EVENTS_RATE_LIMIT?.limit) throw new Refusal("not_configured", "the events route needs the EVENTS_RATE_LIMIT rate limiting binding, which this worker lacks");
  // Before the credentials are checked, so guessing them is limited too.
  await limitRate(env.EVENTS_RATE_LIMIT, `events:${vendor}:${ipRateKey(clientIp(request))}`);
  const credentials = config.webhooks[vendor];
  if (!credentials) throw new Refusal("not_configured", `${vendor}'s events are not accepted here: set ${vendor.toUpperCase()}_WEBHOOK_USER and ${vendor.toUpperCase()}_WEBHOOK_PASSWORD (wrangler secret put) and give them to ${vendor} as the webhook's basic auth`);
  if (!(await basicAuthMatches(request.headers.get("authorization"), credentials))) {
    throw new Refusal("unauthenticated", "the webhook's credentials are wrong", { headers: { "www-authenticate": 'Basic realm="txgate events", charset="UTF-8"' } });
  }
  const body = await readTextBody(request, MAX_EVENT_BODY_BYTES);
  const parsed = (await load())(body, request.headers.get("content-type") ?? "");
  if ("problem" in parsed) {
    const { kind, message } = parsed.problem;
    log.set({ kind: kind === "malformed" ? "malformed_events" : kind });
    if (kind === "unsupported_media_type") throw new Refusal("unsupported_media_type", message);
    if (kind === "too_large" || kind === "too_many_events") throw new Refusal("payload_too_large", message);
    return problemResponse({ ...new Refusal("validation", message).problem, status: 400, title: "Malformed events", type: "urn:txgate:problem:malformed_events" });
  }
  const counts = await recordDeliveryEvents(env, parsed.events, background, onEvent, parsed.ignored);
  log.set({ events: counts });
  return Response.json({ ok: true, ...counts }, { headers: { "cache-control": "no-store" } });
}

/**
 * Attaches each event to the message it names, once per `dedupeKey`, and counts what became of each (in the
 * deployment's counters too); every attached event goes to `onEvent`, after the answer when the request can wait.
 * The sandbox's simulated events come this way as well.
 *
 * @example
 * const counts = await recordDeliveryEvents(env, parsed.events, ctx, onEvent);
 */
export async function recordDeliveryEvents(env: Env, events: readonly DeliveryEvent[], background: Background, onEvent?: DeliveryEventHook, ignored = 0): Promise<EventCounts> {
  const counts: EventCounts = { received: events.length, recorded: 0, duplicate: 0, unmatched: 0, foreign: 0, overflow: 0, ignored };
  const messages = env.MESSAGES;
  const attached: AttachedDeliveryEvent[] = [];
  // All at once: each message's object takes its events one at a time, and checks a dedupeKey and records it in
  // one step, so the same event twice in one post is still recorded once.
  const recordings = await Promise.all(events.map((event): Promise<EventRecording> => (messages ? recordOne(messages, event) : Promise.resolve({ result: "unmatched" }))));
  recordings.forEach((recording, index) => {
    counts[recording.result] += 1;
    if (recording.result === "recorded") attached.push({ messageId: recording.id, scope: recording.scope, event: events[index]! });
  });
  if (messages) await messages.get(messages.idFromName(EVENT_COUNTERS_NAME)).countEvents({ ...counts });
  if (onEvent && attached.length) {
    const run = Promise.all(attached.map(async (item) => onEvent(item))).catch((error: unknown) => {
      console.log(JSON.stringify({ route: "events", onEvent: "threw", error: error instanceof Error ? error.name : "Error" }));
    });
    if (background.waitUntil) background.waitUntil(run);
    else await run;
  }
  return counts;
}

/** The message an event names: the id it carried back, else the one its vendor id points to. */
async function recordOne(messages: NonNullable<Env["MESSAGES"]>, event: DeliveryEvent): Promise<EventRecording> {
  let id = event.messageId !== undefined && MESSAGE_ID_SYNTAX.test(event.messageId) ? event.messageId : undefined;
  for (const vendorId of id ? [] : event.vendorIds) {
    id = await messages.get(messages.idFromName(vendorIdObjectName(event.vendor, vendorId))).pointee();
    if (id) break;
  }
  if (!id) return { result: "unmatched" };
  const recorded: RecordedEvent = {
    kind: event.kind,
    vendor: event.vendor,
    vendorIds: event.vendorIds,
    dedupeKey: event.dedupeKey,
    details: event.details,
    ...(event.at === undefined ? {} : { at: event.at }),
    ...(event.kind === "bounced" && event.bounce ? { bounce: event.bounce } : {}),
  };
  return (await messages.get(messages.idFromName(id)).recordEvent(recorded)) as EventRecording;
}

/**
 * After a queued send is sent: each id its answer gave points to the message, so the vendor's events find it, and
 * the vendor and ids are answered for the message's own object, which records them with its state (`settle`).
 * A send whose answer gave no id (some vendors return none) has no pointer: its events match by our carried id or
 * not at all. `undefined` for an outcome that is not sent.
 *
 * @example
 * await state.settle(attempt, verdict, await indexSentMessage(env, id, outcome));
 */
export async function indexSentMessage(env: Env, messageId: string, outcome: Outcome<unknown>): Promise<VendorSend | undefined> {
  const messages = env.MESSAGES;
  if (!messages || !outcome.ok) return undefined;
  const ids = (outcome.ids ?? []).slice(0, 100);
  await Promise.all(ids.map((vendorId) => messages.get(messages.idFromName(vendorIdObjectName(outcome.vendor, vendorId))).pointTo(messageId)));
  return { vendor: outcome.vendor, ids };
}

/**
 * A synchronous send's call options: a fresh id in the vendor's carrier field. A synchronous send has no message
 * object, so its events match nothing and are counted as unmatched; the id is there so the field always holds an
 * id the worker made, never one a caller wrote into its message to have its email's events attached to (and
 * settle) someone else's message.
 *
 * @example
 * return client.send(message, synchronousCall());
 */
export function synchronousCall(): { readonly messageId: string } {
  return { messageId: crypto.randomUUID() };
}

/**
 * The deployment's event counters: how many events were received, recorded, duplicates, unmatched (counted and
 * dropped), foreign, over a message's bound or ignored, since the deployment began. For the health route.
 *
 * @example
 * const counts = await deliveryEventCounts(env); // { received: 12, recorded: 10, unmatched: 2, ... }
 */
export async function deliveryEventCounts(env: Env): Promise<Record<string, number>> {
  const messages = env.MESSAGES;
  return messages ? await messages.get(messages.idFromName(EVENT_COUNTERS_NAME)).countEvents({}) : {};
}
