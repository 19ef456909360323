/**
 * One queued message's state: a SQLite Durable Object per message id, written before and after every attempt,
 * so a consumer that dies at any point leaves a state that says what to do on redelivery:
 *
 *   scheduled ──its time──▶ queued ──pick up (attempt n)──▶ queued, claimed ──just before fetch──▶ sending ──answer──▶ sent | partial | queued | failed | unknown
 *       └──── cancel ─────────┴──────────── cancel ─────────────┘              │
 *                                        │                                     │
 *               redelivered: picked up again (n+1),           redelivered with no answer recorded:
 *               the claim of n can no longer reach fetch      unknown (never sent again)
 *
 * `sending` means the request was about to be handed to `fetch` (the library's `beforeFetch`), not merely that a
 * consumer picked the message up: a consumer that dies while it waits for a pacer slot or a token has sent
 * nothing, and the message is sent on redelivery. Only the current claim may become `sending`, checked here in
 * one synchronous step, so two consumers holding the same message never both reach the vendor.
 *
 * A scheduled message waits `scheduled` until its time: on the queue with a delay when its time is within the
 * queue's reach (12 hours), otherwise until this object's alarm puts it on the queue at its time. Until its request
 * is about to be handed to the vendor, a message can be cancelled: it ends `cancelled`, and nothing is sent.
 *
 * An alarm looks at every message that is not final, so none is stuck: one still `queued` 15 minutes after it
 * was due (accepted and never put on the queue, its queue message lost, or picked up by a consumer that died
 * before reaching the vendor) is put on the queue again; one `sending` for 15 minutes (a queue consumer runs at
 * most 15 minutes) ends `unknown`. After a few tries the queue is taken never to deliver it, and the message
 * fails, nothing sent.
 *
 * The message's content is kept only until it reaches a final state (24 hours more for a `failed` or `unknown` one,
 * which its caller may retry: `retry`); its state and history are kept 24 hours
 * more, then the alarm deletes everything.
 */
import { DurableObject } from "cloudflare:workers";
import type { Audience } from "../problem.ts";
import type { VendorName } from "../../core/public.ts";
import { reportToIndexes, type IndexReport, type MessageIndexObject } from "./message-index.ts";
import type { BounceKind, DeliveryEvent, DeliveryEventKind } from "../../core/delivery-event.ts";

/**
 * `partial`: the vendor sent the email to some recipients and refused others (the result names them); it is
 * never retried, since a retry would send it twice to those who got it.
 */
export type MessageStateName = "scheduled" | "queued" | "sending" | "sent" | "partial" | "failed" | "unknown" | "cancelled";
const FINAL: readonly MessageStateName[] = ["sent", "partial", "failed", "unknown", "cancelled"];
/** The states a message can be cancelled in: it has not started. */
const CANCELLABLE: readonly MessageStateName[] = ["scheduled", "queued"];
/** A message id as the worker makes them (`crypto.randomUUID()`): anything else names no message. */
export const MESSAGE_ID_SYNTAX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The longest delay a Queue message can have (12 hours); a later send waits for this object's alarm. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;
/** How long a message's state is kept after it became final. */
export const MESSAGE_KEPT_MS = 24 * 60 * 60 * 1000;
/**
 * How long a message may wait `queued` past its time, or stay `sending`, before the alarm steps in: a queue
 * consumer's longest run, so a consumer still at work is never overtaken.
 */
export const STUCK_AFTER_MS = 15 * 60 * 1000;
/** How many times the alarm puts a message back on the queue before it fails, nothing sent. */
export const MAX_REQUEUES = 5;

/** Which vendor took a message, and the ids its answer gave (`Sent.ids`), for matching that vendor's events. */
export interface VendorSend {
  readonly vendor: VendorName;
  readonly ids: readonly string[];
}

/** What the consumer is told when it picks a message up. */
export type Pickup =
  | { readonly action: "send"; readonly attempt: number; readonly vendor: VendorName; readonly audience: Audience; readonly body: unknown; readonly decode: boolean }
  | { readonly action: "retry"; readonly delaySeconds: number }
  /** `report`: a final message's state for the indexes, which a consumer that stopped after `settle` may not have given them. */
  | { readonly action: "ack"; readonly reason: string; readonly report?: IndexReport };

/** What one attempt's outcome means for the message, as the consumer decided it. */
export interface Verdict {
  readonly state: Exclude<MessageStateName, "scheduled" | "sending" | "cancelled">;
  /** For `queued`: when to try again. */
  readonly retryInSeconds?: number;
  /** A credential-free summary of the attempt's outcome, shown in the history. */
  readonly outcome: Readonly<Record<string, unknown>>;
  /** For a final state: the answer a synchronous send would have got (its body), shown as the message's result. */
  readonly result?: unknown;
  readonly note?: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly state: MessageStateName;
  readonly attempt?: number;
  readonly note?: string;
  readonly outcome?: Readonly<Record<string, unknown>>;
}

/**
 * What `GET /v1/messages/{id}` shows: never the message's content.
 *
 * @example
 * const view: MessageView = await (await fetch(`/v1/messages/${id}`, { headers })).json();
 */
export interface MessageView {
  readonly id: string;
  readonly vendor: VendorName;
  readonly state: MessageStateName;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When a scheduled message goes (or went) out. */
  readonly sendAt?: string;
  readonly result?: unknown;
  readonly history: readonly HistoryEntry[];
  /** What the vendor reported after it took the message (`POST /v1/events/{vendor}`), oldest first; absent before any. */
  readonly events?: readonly MessageEvent[];
  /** Where the message stands by those events; absent before any. */
  readonly delivery?: DeliverySummary;
}

/**
 * One delivery event as the message view shows it: never the recipient; the vendor's details for trusted callers only.
 *
 * @example
 * for (const event of view.events) console.log(event.at, event.kind);
 */
export interface MessageEvent {
  readonly kind: DeliveryEventKind;
  readonly at: string;
  readonly bounce?: BounceKind;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The message's delivery by its events: the latest of `sent`, `delivered`, `bounced`, `failed` or `complained`
 * (an open or click means `delivered` when nothing later says otherwise), and when.
 *
 * @example
 * if (view.delivery?.state === "bounced") showBounce(view.delivery.at);
 */
export interface DeliverySummary {
  readonly state: "sent" | "delivered" | "bounced" | "failed" | "complained";
  readonly at: string;
  readonly bounce?: BounceKind;
  readonly opened?: true;
  readonly clicked?: true;
  readonly unsubscribed?: true;
}

/** A delivery event as the worker hands it to the message it names. */
export type RecordedEvent = Pick<DeliveryEvent, "kind" | "vendor" | "vendorIds" | "at" | "dedupeKey" | "details"> & { readonly bounce?: BounceKind };

/**
 * What became of one event: attached (`recorded`, with the message's scope and id), already attached
 * (`duplicate`), naming no message we hold (`unmatched`), naming one it cannot be about (`foreign`: another
 * vendor or account's ids, or a message that was never sent), or over the message's bound (`overflow`).
 */
export type EventRecording =
  | { readonly result: "recorded"; readonly scope: string; readonly id: string }
  | { readonly result: "duplicate" | "unmatched" | "foreign" | "overflow" };

/** The states in which the vendor has (or may have) taken the message, so events about it can exist. */
const EVENTFUL: readonly MessageStateName[] = ["sending", "sent", "partial", "unknown"];
/** The most events one message keeps (opens and clicks can repeat without end). */
export const MAX_EVENTS_PER_MESSAGE = 200;
/** How long a vendor id keeps pointing at its message: the message's own time, and the three days a vendor may retry posting an event. */
export const POINTER_KEPT_MS = 4 * 24 * 60 * 60 * 1000;

/**
 * The name of the object that points from a vendor's id to our message id.
 *
 * @example
 * const pointer = env.MESSAGES.get(env.MESSAGES.idFromName(vendorIdObjectName(vendor, transactionId)));
 */
export function vendorIdObjectName(vendor: VendorName, vendorId: string): string {
  return `vendor-id:${vendor}:${vendorId}`;
}

/** The name of the object that counts the deployment's delivery events by what became of them. */
export const EVENT_COUNTERS_NAME = "delivery-event-counters";

const SUMMARY_STATES: readonly DeliverySummary["state"][] = ["sent", "delivered", "bounced", "failed", "complained"];

function deliverySummary(events: readonly MessageEvent[]): DeliverySummary {
  let state: DeliverySummary["state"] = "sent";
  let at = events[0]!.at;
  let bounce: BounceKind | undefined;
  for (const event of events) {
    const becomes = SUMMARY_STATES.includes(event.kind as DeliverySummary["state"]) ? (event.kind as DeliverySummary["state"]) : event.kind === "opened" || event.kind === "clicked" ? "delivered" : undefined;
    // An open or a delivery after a bounce or a failure does not undo it.
    if (!becomes || (becomes === "delivered" && state !== "sent" && state !== "delivered") || (becomes === "sent" && state !== "sent")) continue;
    state = becomes;
    at = event.at;
    bounce = event.kind === "bounced" ? event.bounce : undefined;
  }
  const has = (kind: DeliveryEventKind) => events.some((event) => event.kind === kind);
  return { state, at, ...(bounce ? { bounce } : {}), ...(has("opened") ? { opened: true as const } : {}), ...(has("clicked") ? { clicked: true as const } : {}), ...(has("unsubscribed") ? { unsubscribed: true as const } : {}) };
}

/** What cancelling answers: whether the message is now cancelled (again, for a second cancel), and its view. */
export interface Cancellation {
  readonly cancelled: boolean;
  readonly view: MessageView;
}

export interface NewMessage {
  readonly id: string;
  readonly scope: string;
  readonly audience: Audience;
  readonly vendor: VendorName;
  /** The message's body (a send job's, delivery/send-job.ts), or `bodyJson`: the same already serialised, stored as it is. */
  readonly body?: unknown;
  readonly bodyJson?: string;
  /** Whether the body's base64 attachment fields must be decoded before sending (trusted callers' JSON). */
  readonly decode: boolean;
  /** When to send it, in ms since the epoch (`parseSendAt`); as soon as it can be when absent. */
  readonly sendAt?: number;
}

/** The bindings the message object uses: the send queue, to put a stuck message back on it; the index it reports to. */
export interface MessageObjectEnv {
  readonly DELIVERY_QUEUE?: Queue<{ readonly id: string }>;
  readonly MESSAGE_INDEX?: DurableObjectNamespace<MessageIndexObject>;
}

/**
 * What retrying answers: `retried` with the message queued again, or why not (`refused`: its state cannot be
 * retried, or it is `unknown` and the caller did not accept the risk of a second delivery), with its view.
 */
export type Retrial = { readonly retried: true; readonly view: MessageView } | { readonly retried: false; readonly reason: "state" | "duplicate_risk"; readonly view: MessageView };

type Row = {
  id: string;
  scope: string;
  audience: Audience;
  vendor: VendorName;
  state: MessageStateName;
  attempts: number;
  body: string | null;
  decode: number;
  result: string | null;
  not_before: number;
  /** The attempt picked up and not yet answered; 0 when none is. */
  claim: number;
  /** How many times the alarm put the message back on the queue. */
  requeued: number;
  /** When a scheduled message was to go out; null for one sent as soon as it could be. */
  send_at: number | null;
  /** 1 while the alarm is to put a scheduled message on the queue at its time (beyond the queue's 12 hours). */
  alarm_enqueues: number;
  created_at: number;
  updated_at: number;
};

/**
 * @example
 * const message = env.MESSAGES.get(env.MESSAGES.idFromName(id));
 * const pickup = await message.pickUp();
 */
export class MessageObject extends DurableObject<MessageObjectEnv> {
  constructor(ctx: DurableObjectState, env: MessageObjectEnv) {
    super(ctx, env);
    this.createTables();
  }

  private createTables(): void {
    const { sql } = this.ctx.storage;
    sql.exec(`CREATE TABLE IF NOT EXISTS message (
      id TEXT PRIMARY KEY, scope TEXT NOT NULL, audience TEXT NOT NULL, vendor TEXT NOT NULL, state TEXT NOT NULL,
      attempts INTEGER NOT NULL, body TEXT, decode INTEGER NOT NULL, result TEXT, not_before INTEGER NOT NULL,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, state TEXT NOT NULL, attempt INTEGER, note TEXT, outcome TEXT)`);
    // Objects made by an earlier version lack the later columns.
    const columns = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('message')").toArray().map((column) => column.name));
    if (!columns.has("claim")) sql.exec("ALTER TABLE message ADD COLUMN claim INTEGER NOT NULL DEFAULT 0");
    if (!columns.has("requeued")) sql.exec("ALTER TABLE message ADD COLUMN requeued INTEGER NOT NULL DEFAULT 0");
    if (!columns.has("send_at")) sql.exec("ALTER TABLE message ADD COLUMN send_at INTEGER");
    if (!columns.has("alarm_enqueues")) sql.exec("ALTER TABLE message ADD COLUMN alarm_enqueues INTEGER NOT NULL DEFAULT 0");
  }

  /**
   * Records a message just accepted for the queue, and answers how to put it there: the delay in seconds of its
   * queue message, or `undefined` when its time is beyond the queue's reach and this object's alarm will put it
   * on the queue then.
   */
  async accept(message: NewMessage): Promise<number | undefined> {
    const now = Date.now();
    const scheduled = message.sendAt !== undefined && message.sendAt > now;
    const delaySeconds = scheduled ? Math.ceil((message.sendAt! - now) / 1000) : 0;
    const byAlarm = delaySeconds > MAX_QUEUE_DELAY_SECONDS;
    this.ctx.storage.sql.exec(
      "INSERT INTO message (id, scope, audience, vendor, state, attempts, body, decode, result, not_before, send_at, alarm_enqueues, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, NULL, ?, ?, ?, ?, ?)",
      message.id,
      message.scope,
      message.audience,
      message.vendor,
      scheduled ? "scheduled" : "queued",
      message.bodyJson ?? JSON.stringify(message.body),
      message.decode ? 1 : 0,
      scheduled ? message.sendAt! : 0,
      scheduled ? message.sendAt! : null,
      byAlarm ? 1 : 0,
      now,
      now,
    );
    this.note(now, scheduled ? "scheduled" : "queued", undefined, scheduled ? `accepted, to go out at ${new Date(message.sendAt!).toISOString()}` : "accepted");
    await this.rearm();
    await this.report();
    return byAlarm ? undefined : delaySeconds;
  }

  /**
   * Claims the message for one attempt. The message stays `queued` until the consumer is about to call the
   * vendor (`startSending`). A message found `sending` was being sent by a consumer that stopped before its
   * answer was recorded: it ends `unknown` instead of being sent twice. One picked up before and never sent is
   * picked up again, and the older claim can no longer be sent. A message already final is acked without sending.
   */
  async pickUp(): Promise<Pickup> {
    const row = this.row();
    if (!row) return { action: "ack", reason: "no such message (expired or never accepted)" };
    const now = Date.now();
    if (FINAL.includes(row.state)) return { action: "ack", reason: `already ${row.state}`, report: indexReport(row) };
    if (row.state === "sending") {
      await this.finish(row, now, "unknown", { note: "the consumer stopped after the request was handed to the vendor and before its answer was recorded; the email may have gone out, so it is not sent again" });
      return { action: "ack", reason: "unknown" };
    }
    if (row.not_before > now) return { action: "retry", delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((row.not_before - now) / 1000)) };
    const attempt = row.attempts + 1;
    this.ctx.storage.sql.exec("UPDATE message SET state = 'queued', attempts = ?, claim = ?, requeued = 0, alarm_enqueues = 0, updated_at = ? WHERE id = ?", attempt, attempt, now, row.id);
    if (row.state === "scheduled") this.note(now, "queued", attempt, "its time came: picked up");
    if (row.claim) this.note(now, "queued", attempt, `picked up again: attempt ${row.claim} never reached the vendor`);
    await this.rearm();
    return { action: "send", attempt, vendor: row.vendor, audience: row.audience, body: JSON.parse(row.body ?? "null"), decode: row.decode === 1 };
  }

  /**
   * Called by the consumer right before the request of attempt `attempt` is handed to `fetch`: records
   * `sending` and answers `true` when that attempt is still the message's current claim (or already `sending`:
   * a retry or a failover within the attempt). `false` means the request must not go out: the message was
   * picked up again by another consumer, or has ended.
   */
  async startSending(attempt: number): Promise<boolean> {
    const row = this.row();
    if (!row || row.claim !== attempt) return false;
    if (row.state === "sending") return true;
    if (row.state !== "queued") return false;
    const now = Date.now();
    this.ctx.storage.sql.exec("UPDATE message SET state = 'sending', updated_at = ? WHERE id = ?", now, row.id);
    this.note(now, "sending", attempt);
    await this.rearm();
    return true;
  }

  /**
   * Records what attempt `attempt` came to. An answer for an attempt that is no longer current only adds to the
   * history. `sentBy` (a sent answer's vendor and ids, `indexSentMessage`) is recorded in the same step, so an
   * event that finds the message sent also finds its vendor ids, without a call of its own.
   *
   * A state that ended is answered as a report for the indexes, which the consumer hands them for its whole batch
   * at once (`reportToIndexes`) before its acks count: a consumer that stops first has its batch delivered again,
   * and `pickUp` answers the ended message's report again.
   */
  async settle(attempt: number, verdict: Verdict, sentBy?: VendorSend): Promise<IndexReport | undefined> {
    const row = this.row();
    if (!row) return undefined;
    if (sentBy) this.recordVendorSend(sentBy.vendor, sentBy.ids);
    const now = Date.now();
    if (row.claim !== attempt || (row.state !== "sending" && row.state !== "queued")) {
      this.note(now, row.state, attempt, `a late answer (${verdict.state}) for an attempt already closed`, verdict.outcome);
      // The truth improves an `unknown`: the email did go out.
      if (row.state === "unknown" && verdict.state === "sent") return this.finish(row, now, "sent", verdict, undefined, { report: false });
      return undefined;
    }
    if (verdict.state === "queued") {
      const notBefore = now + (verdict.retryInSeconds ?? 0) * 1000;
      this.ctx.storage.sql.exec("UPDATE message SET state = 'queued', claim = 0, not_before = ?, updated_at = ? WHERE id = ?", notBefore, now, row.id);
      this.note(now, "queued", attempt, verdict.note ?? `retry in ${verdict.retryInSeconds ?? 0} s`, verdict.outcome);
      await this.rearm();
      return undefined;
    }
    return this.finish(row, now, verdict.state, verdict, attempt, { report: false });
  }

  /**
   * Cancels the message for `scope` if it has not started (`scheduled` or `queued`, picked up or not, but not yet
   * handed to the vendor): it ends `cancelled`, its content dropped, and nothing is sent; a consumer holding it
   * is refused at `startSending`. A message cancelled before answers the same again; one in any other state is
   * left as it is (`cancelled: false`). `undefined` for a message that does not exist or is someone else's.
   */
  async cancel(scope: string): Promise<Cancellation | undefined> {
    const row = this.row();
    if (!row || row.scope !== scope) return undefined;
    if (CANCELLABLE.includes(row.state)) {
      await this.finish(row, Date.now(), "cancelled", { note: "cancelled before it was sent; nothing was sent" });
      return { cancelled: true, view: this.render(this.row()!) };
    }
    return { cancelled: row.state === "cancelled", view: this.render(row) };
  }

  /**
   * Sends a message that ended again, for `scope` (`undefined` for anyone else): a `failed` one, whose failure
   * says nothing was sent; an `unknown` one only with `acceptDuplicateRisk`, since it may have gone out. It is
   * queued as a new attempt of the same message (its id, its history), and put on the queue at once.
   */
  async retry(scope: string, acceptDuplicateRisk: boolean): Promise<Retrial | undefined> {
    const row = this.row();
    if (!row || row.scope !== scope) return undefined;
    // A failure that went through no attempt's answer (refused, or the queue gave up before sending) has no delivery.
    const delivery = this.lastDelivery();
    const provenNotSent = row.state === "failed" && (delivery === undefined || delivery === "not_sent");
    if (row.body === null || !(provenNotSent || row.state === "unknown")) return { retried: false, reason: "state", view: this.render(row) };
    if (row.state === "unknown" && !acceptDuplicateRisk) return { retried: false, reason: "duplicate_risk", view: this.render(row) };
    const now = Date.now();
    this.ctx.storage.sql.exec("UPDATE message SET state = 'queued', claim = 0, requeued = 0, not_before = 0, result = NULL, updated_at = ? WHERE id = ?", now, row.id);
    this.note(now, "queued", undefined, row.state === "unknown" ? "retried by its caller, who accepted that it may arrive twice" : "retried by its caller: the failure said nothing was sent");
    await this.rearm();
    await this.report();
    // Not on the queue: the alarm puts it there when it is still queued 15 minutes on.
    await this.putOnQueue(row.id).catch(() => undefined);
    return { retried: true, view: this.render(this.row()!) };
  }

  /** The dead-letter queue's consumer: the message's final state, whichever way it got there. */
  async deadLettered(outcome: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    const row = this.row();
    if (!row) return;
    const now = Date.now();
    if (FINAL.includes(row.state)) {
      this.note(now, row.state, undefined, "in the dead-letter queue");
      return;
    }
    // Redelivered until the queue gave up: mid-send means the email may have gone out.
    const state = row.state === "sending" ? "unknown" : "failed";
    await this.finish(row, now, state, { outcome, note: "the queue gave up on it (in the dead-letter queue)" });
  }

  /** The message's state and history for `scope`; `undefined` for anyone else, as for a message that does not exist. */
  async view(scope: string): Promise<MessageView | undefined> {
    const row = this.row();
    if (!row || row.scope !== scope) return undefined;
    return this.render(row);
  }

  /** The view without the scope check, for the local sandbox's outbox page. */
  async peek(): Promise<MessageView | undefined> {
    const row = this.row();
    return row && this.render(row);
  }

  /**
   * Looks at the message when its next check is due (`nextCheck`): forgets a final one, puts a `queued` one
   * that no consumer took in time back on the queue, ends a `sending` one that never got its answer `unknown`.
   * Run early (a test, a state changed since it was set), it only sets itself again.
   */
  override async alarm(): Promise<void> {
    const row = this.row();
    const now = Date.now();
    if (!row) return this.forget();
    const due = nextCheck(row);
    if (due > now) return this.ctx.storage.setAlarm(due);
    if (FINAL.includes(row.state)) return this.forget();
    if (row.state === "scheduled" && row.alarm_enqueues) {
      // Its time has come, and the queue does not have it: it goes on the queue now.
      await this.putOnQueue(row.id);
      this.ctx.storage.sql.exec("UPDATE message SET state = 'queued', alarm_enqueues = 0, updated_at = ? WHERE id = ?", now, row.id);
      this.note(now, "queued", undefined, "its time came: put on the queue");
      await this.rearm();
      return;
    }
    if (row.state === "sending") {
      await this.finish(row, now, "unknown", {
        note: `no answer was recorded within ${STUCK_AFTER_MS / 60_000} minutes of the request being handed to the vendor; the email may have gone out, so it is not sent again`,
      });
      return;
    }
    if (row.requeued >= MAX_REQUEUES) {
      const outcome = { kind: "internal", delivery: "not_sent", retryable: false };
      await this.finish(row, now, "failed", { outcome, result: { ok: false, kind: "internal", delivery: "not_sent", retryable: false, detail: "the queue never delivered the message; nothing was sent" }, note: `put on the queue ${MAX_REQUEUES} times and never sent; nothing was sent` });
      return;
    }
    // Put back first: were it recorded first and the send to fail, the message would wait a whole period more.
    await this.putOnQueue(row.id);
    this.ctx.storage.sql.exec("UPDATE message SET state = 'queued', requeued = requeued + 1, updated_at = ? WHERE id = ?", now, row.id);
    const why = row.claim ? `attempt ${row.claim} was picked up and never reached the vendor` : "no consumer picked it up";
    this.note(now, "queued", undefined, `${why} within ${STUCK_AFTER_MS / 60_000} minutes: put on the queue again`);
    await this.rearm();
  }

  /**
   * Records which vendor sent the message and the ids its answer gave (`Sent.ids`), so an event naming one of
   * them (or carrying our id) can be checked against the send it claims to be about.
   */
  private recordVendorSend(vendor: VendorName, ids: readonly string[]): void {
    this.createEventTables();
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO vendor_send (one, vendor, ids) VALUES (1, ?, ?)", vendor, JSON.stringify(ids));
  }

  /**
   * Attaches a delivery event to the message, once per `dedupeKey` (delivery-events.ts says when an event is the
   * message's). A `sent` message's events are kept; an `unknown` one is settled `sent` by any event but `failed`,
   * since the vendor could only report on an email it took.
   */
  async recordEvent(event: RecordedEvent): Promise<EventRecording> {
    const row = this.row();
    if (!row) return { result: "unmatched" };
    this.createEventTables();
    const sent = this.ctx.storage.sql.exec<{ vendor: VendorName; ids: string }>("SELECT vendor, ids FROM vendor_send").toArray()[0];
    const ids: string[] = sent ? JSON.parse(sent.ids) : [];
    const vendorMatches = event.vendor === (sent?.vendor ?? row.vendor);
    const idsMatch = !event.vendorIds.length || !ids.length || event.vendorIds.some((id) => ids.includes(id));
    // Nothing went out for a message that never reached sending: an event about it is about someone else's email.
    if (!vendorMatches || !idsMatch || !EVENTFUL.includes(row.state)) return { result: "foreign" };
    const count = this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delivery_event").one().n;
    const known = this.ctx.storage.sql.exec("SELECT 1 FROM delivery_event WHERE dedupe_key = ?", event.dedupeKey).toArray().length > 0;
    if (known) return { result: "duplicate" };
    if (count >= MAX_EVENTS_PER_MESSAGE) return { result: "overflow" };
    const now = Date.now();
    this.ctx.storage.sql.exec(
      "INSERT INTO delivery_event (dedupe_key, kind, at, received_at, bounce, details) VALUES (?, ?, ?, ?, ?, ?)",
      event.dedupeKey,
      event.kind,
      event.at ?? null,
      now,
      event.kind === "bounced" ? (event.bounce ?? null) : null,
      JSON.stringify(event.details),
    );
    if (row.state === "unknown" && event.kind !== "failed") {
      await this.finish(row, now, "sent", {
        result: row.result === null ? undefined : JSON.parse(row.result),
        note: `settled by the vendor's ${event.kind} event: the email did go out`,
      });
    }
    return { result: "recorded", scope: row.scope, id: row.id };
  }

  /** Points this object (named `vendorIdObjectName(vendor, id)`) at our message id, for as long as events may come. */
  async pointTo(messageId: string): Promise<void> {
    this.createEventTables();
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO pointer (one, message_id) VALUES (1, ?)", messageId);
    // No message row here: when the alarm comes, it forgets the pointer (see `alarm`).
    await this.ctx.storage.setAlarm(Date.now() + POINTER_KEPT_MS);
  }

  /** The message id this object points to, if it is a pointer. */
  async pointee(): Promise<string | undefined> {
    this.createEventTables();
    return this.ctx.storage.sql.exec<{ message_id: string }>("SELECT message_id FROM pointer").toArray()[0]?.message_id;
  }

  /** Adds to the deployment's event counters (one object, `EVENT_COUNTERS_NAME`) and answers their totals. */
  async countEvents(counts: Readonly<Record<string, number>>): Promise<Record<string, number>> {
    this.createEventTables();
    for (const [name, value] of Object.entries(counts)) {
      if (value) this.ctx.storage.sql.exec("INSERT INTO event_counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value", name, value);
    }
    return Object.fromEntries(this.ctx.storage.sql.exec<{ name: string; value: number }>("SELECT name, value FROM event_counter").toArray().map((row) => [row.name, row.value]));
  }

  private createEventTables(): void {
    const { sql } = this.ctx.storage;
    sql.exec(`CREATE TABLE IF NOT EXISTS delivery_event (
      dedupe_key TEXT PRIMARY KEY, kind TEXT NOT NULL, at TEXT, received_at INTEGER NOT NULL, bounce TEXT, details TEXT NOT NULL)`);
    sql.exec("CREATE TABLE IF NOT EXISTS vendor_send (one INTEGER PRIMARY KEY, vendor TEXT NOT NULL, ids TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS pointer (one INTEGER PRIMARY KEY, message_id TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS event_counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
  }

  /** The message's events, oldest first, and its delivery summary; nothing before the first event. */
  private deliveryView(audience: Audience): Pick<MessageView, "events" | "delivery"> {
    this.createEventTables();
    const events = this.ctx.storage.sql
      .exec<{ kind: DeliveryEventKind; at: string | null; received_at: number; bounce: string | null; details: string }>("SELECT kind, at, received_at, bounce, details FROM delivery_event ORDER BY COALESCE(at, ''), received_at")
      .toArray()
      .map((event) => ({
        kind: event.kind,
        at: event.at ?? new Date(event.received_at).toISOString(),
        ...(event.bounce === null ? {} : { bounce: event.bounce as BounceKind }),
        // A vendor's own fields (a bounce reason) may quote an address: trusted callers only, as with outcomes.
        ...(audience === "caller" ? { details: JSON.parse(event.details) } : {}),
      }));
    if (!events.length) return {};
    return { events, delivery: deliverySummary(events) };
  }

  /** Deletes everything; this instance may still be asked (as for a message that does not exist). */
  private async forget(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.createTables();
  }

  /**
   * Tells the indexes (its caller scope's and the deployment's) the message's state. The message's own state is
   * the truth and is already stored: a report that fails leaves the index behind, never the message.
   */
  private async report(): Promise<void> {
    const row = this.row();
    const index = this.env.MESSAGE_INDEX;
    if (!row || !index) return;
    await reportToIndexes(index, [indexReport(row)]);
  }

  /** The `delivery` of the last attempt's recorded outcome, if any. */
  private lastDelivery(): unknown {
    const last = this.ctx.storage.sql.exec<{ outcome: string }>("SELECT outcome FROM history WHERE outcome IS NOT NULL ORDER BY seq DESC LIMIT 1").toArray()[0];
    return last ? (JSON.parse(last.outcome) as { delivery?: unknown }).delivery : undefined;
  }

  /** Sends the message's id to the send queue. */
  protected async putOnQueue(id: string): Promise<void> {
    const queue = this.env.DELIVERY_QUEUE;
    if (!queue) throw new Error("the MessageObject needs the DELIVERY_QUEUE binding to put a message back on the queue");
    await queue.send({ id }, { contentType: "json" });
  }

  /** Sets the alarm for the message's next check. */
  private async rearm(): Promise<void> {
    const row = this.row();
    if (row) await this.ctx.storage.setAlarm(nextCheck(row));
  }

  private render(row: Row): MessageView {
    const history = this.ctx.storage.sql
      .exec<{ at: number; state: MessageStateName; attempt: number | null; note: string | null; outcome: string | null }>("SELECT at, state, attempt, note, outcome FROM history ORDER BY seq")
      .toArray()
      .map((entry) => ({
        at: new Date(entry.at).toISOString(),
        state: entry.state,
        ...(entry.attempt === null ? {} : { attempt: entry.attempt }),
        ...(entry.note === null ? {} : { note: entry.note }),
        ...(entry.outcome === null ? {} : { outcome: JSON.parse(entry.outcome) }),
      }));
    return {
      id: row.id,
      vendor: row.vendor,
      state: row.state,
      attempts: row.attempts,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      ...(row.send_at === null ? {} : { sendAt: new Date(row.send_at).toISOString() }),
      ...(row.result === null ? {} : { result: JSON.parse(row.result) }),
      history,
      ...this.deliveryView(row.audience),
    };
  }

  private row(): Row | undefined {
    return this.ctx.storage.sql.exec<Row>("SELECT * FROM message").toArray()[0];
  }

  /**
   * A final state: the content is dropped at once, the rest kept for `MESSAGE_KEPT_MS`; a `failed` or `unknown`
   * message keeps its content as long, so that its caller can retry it.
   */
  private async finish(row: Row, now: number, state: MessageStateName, verdict: Partial<Verdict>, attempt?: number, { report = true } = {}): Promise<IndexReport> {
    this.ctx.storage.sql.exec(
      "UPDATE message SET state = ?, claim = 0, body = CASE WHEN ? IN ('failed', 'unknown') THEN body ELSE NULL END, result = ?, updated_at = ? WHERE id = ?",
      state,
      state,
      verdict.result === undefined ? null : JSON.stringify(verdict.result),
      now,
      row.id,
    );
    this.note(now, state, attempt, verdict.note, verdict.outcome);
    await this.rearm();
    // `report: false`: the caller hands the report to the indexes (`settle`).
    if (report) await this.report();
    return indexReport(this.row()!);
  }

  private note(at: number, state: MessageStateName, attempt?: number, note?: string, outcome?: Readonly<Record<string, unknown>>): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO history (at, state, attempt, note, outcome) VALUES (?, ?, ?, ?, ?)",
      at,
      state,
      attempt ?? null,
      note ?? null,
      outcome === undefined ? null : JSON.stringify(outcome),
    );
  }
}

/** The message's line in its caller scope's index and the deployment's. */
function indexReport(row: Row): IndexReport {
  return { scope: row.scope, entry: { id: row.id, vendor: row.vendor, state: row.state, createdAt: row.created_at, updatedAt: row.updated_at } };
}

/**
 * When the alarm must next look at a message: a final one when it is to be forgotten; a scheduled one beyond the
 * queue's reach at its time; a `queued` or `scheduled` one (picked up or not) `STUCK_AFTER_MS` after it was due
 * or last picked up; a `sending` one `STUCK_AFTER_MS` after the request
 * was handed to the vendor.
 */
function nextCheck(row: Row): number {
  if (FINAL.includes(row.state)) return row.updated_at + MESSAGE_KEPT_MS;
  if (row.state === "sending") return row.updated_at + STUCK_AFTER_MS;
  if (row.state === "scheduled" && row.alarm_enqueues) return row.not_before;
  return Math.max(row.not_before, row.updated_at) + STUCK_AFTER_MS;
}
