/**
 * One Durable Object per vendor account, named `<vendor>:<account key>` (see `accountObjectName`): what must be
 * one for the whole deployment, however many isolates run the worker, lives here.
 *
 * - The token record of a vendor that renews tokens (its descriptor's `sharedTokenStore`: the vendor's own JSON,
 *   such as a token pair and the hour's logins) in the object's SQLite storage, and
 *   `exclusive`, which runs the renewals isolates hand it one at a time per key: one login or refresh in flight
 *   across all of them, and each waiter reads the record its predecessor stored instead of logging in again.
 * - Pacers: a send slot per vendor call, at most `limit` in any window, first come first served, the same
 *   `createPacer` the library runs in one isolate, run here once for all of them. Each slot that still counts is
 *   also kept in storage, so a restarted object goes on counting it and the cap holds across the restart.
 *
 * Credentials never come here: the isolate that renews makes the token request with its own `env` and hands
 * back only the outcome; the object keeps the tokens the vendor issued.
 */
import { DurableObject } from "cloudflare:workers";
import { createPacer, type Pacer, type ReleaseSlot } from "../../core/pacing.ts";
import type { Env } from "../env.ts";

/** A request for one send slot. */
export interface SlotRequest {
  /** What the slot is for: the pacer's key (an account's sends, or its calls for tokens). */
  readonly lane: string;
  /** Slots per window. */
  readonly limit: number;
  /** The window in ms. */
  readonly windowMs: number;
  /** Names this request, so its caller can withdraw it or release the slot. */
  readonly ticket: string;
  /** The longest the slot is held: a caller that never releases it (its isolate ended) loses it then. */
  readonly holdMs: number;
}

/**
 * The account object. Its RPC methods are what `accountTokenStore` and `accountPacer` call.
 *
 * @example
 * const account = env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(accountObjectName(descriptor.name, accountKey(descriptor, settings))));
 * const record = await account.tokenRecord(key);
 */
export class VendorAccountObject extends DurableObject<Env> {
  /** The last renewal queued per token key: the next one starts when it has settled. */
  readonly #renewals = new Map<string, Promise<unknown>>();
  /** One pacer per limit and window; lanes are its keys. */
  readonly #pacers = new Map<string, Pacer>();
  /** Slot requests still waiting, by ticket, so they can be withdrawn. */
  readonly #waiting = new Map<string, AbortController>();
  /** Slots handed out and not yet released, by ticket. */
  readonly #held = new Map<string, { readonly release: ReleaseSlot; readonly expiry: ReturnType<typeof setTimeout>; readonly lane: string; readonly windowMs: number }>();

  /** Lanes whose stored slots this instance has taken over (once per lane, on its first request). */
  readonly #restored = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS token_records (key TEXT PRIMARY KEY, record TEXT NOT NULL)");
    // One row per slot that still counts: held, until its grant + holdMs; released, until its release + windowMs.
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS send_slots (ticket TEXT PRIMARY KEY, lane TEXT NOT NULL, held INTEGER NOT NULL, until REAL NOT NULL, window_ms REAL NOT NULL)");
  }

  /** The stored token record for `key`, if any. */
  tokenRecord(key: string): object | undefined {
    const [row] = this.ctx.storage.sql.exec<{ record: string }>("SELECT record FROM token_records WHERE key = ?", key).toArray();
    return row ? (JSON.parse(row.record) as object) : undefined;
  }

  /** Stores the token record for `key`, replacing the previous one. */
  keepTokenRecord(key: string, record: object): void {
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
   * Waits for a slot in `lane`: `true` once the caller may send, `false` if it withdrew the request first. The
   * slot is held until `releaseSlot`, or for `holdMs` at most, and counts for `windowMs` after that. Held and
   * counting slots are kept in storage: a restarted object counts them still, and a release for a slot granted
   * before the restart frees it. Requests still waiting when the object restarts are lost (their call fails, and
   * the caller asks again).
   */
  async acquireSlot({ lane, limit, windowMs, ticket, holdMs }: SlotRequest): Promise<boolean> {
    const shape = `${limit}/${windowMs}`;
    let pacer = this.#pacers.get(shape);
    if (!pacer) this.#pacers.set(shape, (pacer = createPacer({ limit, windowMs })));
    this.#restore(pacer, lane, limit, windowMs);
    const withdrawn = new AbortController();
    this.#waiting.set(ticket, withdrawn);
    let release: ReleaseSlot | false;
    try {
      release = await pacer.acquire(lane, withdrawn.signal);
    } finally {
      this.#waiting.delete(ticket);
    }
    if (!release) return false;
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM send_slots WHERE until <= ?", now);
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO send_slots (ticket, lane, held, until, window_ms) VALUES (?, ?, 1, ?, ?)",
      ticket,
      lane,
      now + holdMs,
      windowMs,
    );
    this.#hold(ticket, lane, release, holdMs, windowMs);
    return true;
  }

  /** The caller stopped waiting: its request leaves the queue, or, if the slot was already granted, frees it. */
  withdrawSlot(ticket: string): void {
    this.#waiting.get(ticket)?.abort();
    this.releaseSlot(ticket);
  }

  /** The send has its answer: the slot counts for one more window, then frees. Releasing twice does nothing. */
  releaseSlot(ticket: string): void {
    const held = this.#held.get(ticket);
    // Granted before a restart, and its lane not yet taken over by this instance: released in storage only, so
    // the lane starts counting it from its release.
    this.ctx.storage.sql.exec("UPDATE send_slots SET held = 0, until = ? + window_ms WHERE ticket = ? AND held = 1", Date.now(), ticket);
    if (!held) return;
    this.#held.delete(ticket);
    clearTimeout(held.expiry);
    held.release();
  }

  /** The tickets of the slots held now in `lane` (every lane's, without one): what a restart must not forget. */
  heldSlots(lane?: string): string[] {
    return [...this.#held].filter(([, held]) => lane === undefined || held.lane === lane).map(([ticket]) => ticket);
  }

  #hold(ticket: string, lane: string, release: ReleaseSlot, holdMs: number, windowMs: number): void {
    const expiry = setTimeout(() => this.releaseSlot(ticket), Math.max(0, holdMs));
    this.#held.set(ticket, { release, expiry, lane, windowMs });
  }

  /**
   * On a lane's first request since the object started, its stored slots that still count take their places in
   * the pacer before any new request: each is granted at once (the lane is empty, and at most `limit` are read),
   * synchronously, so no request can come between. A held one stays held until released or its holdMs ends; a
   * released one is released now, which counts it a whole window from now: later than it must, never earlier.
   */
  #restore(pacer: Pacer, lane: string, limit: number, windowMs: number): void {
    if (this.#restored.has(lane)) return;
    this.#restored.add(lane);
    const now = Date.now();
    const rows = this.ctx.storage.sql
      .exec<{ ticket: string; held: number; until: number }>(
        "SELECT ticket, held, until FROM send_slots WHERE lane = ? AND until > ? ORDER BY until DESC LIMIT ?",
        lane,
        now,
        limit,
      )
      .toArray();
    for (const { ticket, held, until } of rows) {
      // Granted without waiting: `acquire` takes the slot before its first await.
      const granted = pacer.acquire(lane);
      const slot: ReleaseSlot = () => void granted.then((release) => release && release());
      if (held) this.#hold(ticket, lane, slot, until - now, windowMs);
      else slot();
    }
  }
}

/**
 * The object's name for a vendor account: one object per name, so each account's tokens and caps are one.
 *
 * @example
 * env.VENDOR_ACCOUNTS.idFromName(accountObjectName("acme", "https://api.acme.example"));
 */
export function accountObjectName(vendor: string, accountKey: string): string {
  return `${vendor}:${accountKey}`;
}
