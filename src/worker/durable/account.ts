/**
 * One Durable Object per vendor account, named `<vendor>:<account key>` (see `accountObjectName`): what must be
 * one for the whole deployment, however many isolates run the worker, lives here.
 *
 * - Act-On's token record (the token pair and the hour's password grants) in the object's SQLite storage, and
 *   `exclusive`, which runs the renewals isolates hand it one at a time per key: one login or refresh in flight
 *   across all of them, and each waiter reads the record its predecessor stored instead of logging in again.
 * - Send slots: a start time per vendor call, at most `limit` in any window, first come first served, kept in
 *   storage so the cap holds across a restart of the object as well as across isolates.
 *
 * Credentials never come here: the isolate that renews makes the token request with its own `env` and hands
 * back only the outcome; the object keeps the tokens Act-On issued.
 */
import { DurableObject } from "cloudflare:workers";
import type { ActOnTokenRecord } from "../../acton/tokens.ts";
import type { Env } from "../env.ts";

/** A request for one send slot. */
export interface SlotRequest {
  /** What the slot is for: the pacer's key (an account's sends, Act-On's `/token` calls). */
  readonly lane: string;
  /** Slots per window. */
  readonly limit: number;
  /** The window in ms. */
  readonly windowMs: number;
}

/** A send slot: the moment the caller may start, on the object's clock, and how long that is from now. */
export interface SlotGrant {
  /** The slot's start, in ms since the epoch: kept in storage, so a restarted object still counts it. */
  readonly at: number;
  /** Ms from the object's now until `at`; 0 when the caller may start at once. */
  readonly waitMs: number;
}

/**
 * The account object. Its RPC methods are what `accountTokenStore` and `accountPacer` call.
 *
 * @example
 * const account = env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(accountObjectName("acton", "1234567@api.actonsoftware.com")));
 * const record = await account.tokenRecord(key);
 */
export class VendorAccount extends DurableObject<Env> {
  /** The last renewal queued per token key: the next one starts when it has settled. */
  readonly #renewals = new Map<string, Promise<unknown>>();
  /** The last slot reserved per lane, as stored: read from storage once per lane after a restart. */
  readonly #lastSlots = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS token_records (key TEXT PRIMARY KEY, record TEXT NOT NULL)");
  }

  /** The stored token record for `key`, if any. */
  tokenRecord(key: string): ActOnTokenRecord | undefined {
    const [row] = this.ctx.storage.sql.exec<{ record: string }>("SELECT record FROM token_records WHERE key = ?", key).toArray();
    return row ? (JSON.parse(row.record) as ActOnTokenRecord) : undefined;
  }

  /** Stores the token record for `key`, replacing the previous one. */
  keepTokenRecord(key: string, record: ActOnTokenRecord): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO token_records (key, record) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET record = excluded.record",
      key,
      JSON.stringify(record),
    );
  }

  /**
   * Runs `renew` (a function in the calling isolate, reached over RPC) once every renewal queued before it for
   * `key` has settled, and answers with its result. If the caller's isolate goes away, the call fails and the
   * next renewal starts: nothing waits on a caller that cannot answer.
   */
  async exclusive(key: string, renew: () => Promise<unknown>): Promise<unknown> {
    const before = this.#renewals.get(key) ?? Promise.resolve();
    const turn = before.then(() => renew());
    // The queue moves on however this turn ends; the caller still gets its own result or failure.
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.#renewals.set(key, settled);
    try {
      return await turn;
    } finally {
      if (this.#renewals.get(key) === settled) this.#renewals.delete(key);
    }
  }

  /**
   * Reserves the next send slot in `lane`, first come first served: evenly spaced, one every `windowMs / limit`
   * and `SLOT_SLACK` more, so a window of `windowMs` holds `limit` slots with room for a send that starts a
   * little late (up to a fifth of the window) without crowding the window after it. A slot is a time, not a
   * lease: nothing is held, so nothing needs releasing, and a caller that never sends leaves a gap, never an
   * excess. Each slot's time is stored, so a restarted object goes on from the last one.
   */
  async reserveSlot({ lane, limit, windowMs }: SlotRequest): Promise<SlotGrant> {
    const last = await this.lastSlot(lane);
    const now = Date.now();
    const at = last === undefined ? now : Math.max(now, last + (windowMs * (1 + SLOT_SLACK)) / limit);
    this.#lastSlots.set(lane, at);
    // Stored without holding the answer until the write is confirmed: an answer held back for a moment that
    // varies from write to write arrives late by that much, and late answers bunch the sends they time. A restart
    // in the instant before the write lands loses only the slots of that instant.
    this.ctx.storage.put(slotKey(lane), at, { allowUnconfirmed: true }).catch(() => {
      // The object resets itself when its storage fails; the next instance reads the last slot that landed.
    });
    return { at, waitMs: at - now };
  }

  /** When the last slot reserved in `lane` starts (ms since the epoch), if one was. */
  async lastSlot(lane: string): Promise<number | undefined> {
    const known = this.#lastSlots.get(lane);
    if (known !== undefined) return known;
    // Other calls wait at the object's input gate meanwhile, so no two read the same slot.
    const stored = await this.ctx.storage.get<number>(slotKey(lane));
    if (stored !== undefined && !this.#lastSlots.has(lane)) this.#lastSlots.set(lane, stored);
    return this.#lastSlots.get(lane);
  }
}

/** The storage key of a lane's last slot. */
const slotKey = (lane: string) => `slot ${lane}`;

/**
 * How much wider than `windowMs / limit` slots are spaced, as a share of the window: a send may start this much
 * of the window late (a busy isolate, a slow path to the vendor) without crowding the window after it.
 */
export const SLOT_SLACK = 0.2;

/**
 * The object's name for a vendor account: one object per name, so each account's tokens and caps are one.
 *
 * @example
 * env.VENDOR_ACCOUNTS.idFromName(accountObjectName("listmonk", "https://lists.example.com"));
 */
export function accountObjectName(vendor: string, accountKey: string): string {
  return `${vendor}:${accountKey}`;
}
