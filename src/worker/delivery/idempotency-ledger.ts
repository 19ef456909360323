/**
 * The worker's idempotency ledger: one SQLite Durable Object per caller scope (a caller key's id, a signed-in
 * user, or an anonymous browser's address), so every isolate everywhere sees one answer per key. It follows the
 * library's rule (`decideClaim` in src/core/idempotency.ts) and replays the HTTP answer the first request got.
 * Each key is kept 24 hours from its claim; an alarm deletes expired keys.
 */
import { DurableObject } from "cloudflare:workers";
import { decideClaim, IDEMPOTENCY_TTL_MS, type Claim, type IdempotencyLedger, type LedgerEntry } from "../../core/idempotency.ts";

/** The first request's answer, as replayed: status, the headers that matter to a client, and the body. */
export interface StoredAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

type Row = { fingerprint: string; state: "in_flight" | "done"; claimed_at: number; answer: string | null };

/**
 * @example
 * const ledger = env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName("caller:billing"));
 * const claim = await ledger.claim("order-1234-shipped", fingerprint);
 */
export class IdempotencyLedgerObject extends DurableObject implements IdempotencyLedger<StoredAnswer> {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, state TEXT NOT NULL, claimed_at INTEGER NOT NULL, answer TEXT)",
    );
  }

  async claim(key: string, fingerprint: string): Promise<Claim<StoredAnswer>> {
    const now = Date.now();
    // Synchronous SQL: nothing else runs in this object between reading the key and claiming it.
    const row = this.ctx.storage.sql.exec<Row>("SELECT fingerprint, state, claimed_at, answer FROM keys WHERE key = ?", key).toArray()[0];
    const entry: LedgerEntry<StoredAnswer> | undefined = row && {
      fingerprint: row.fingerprint,
      state: row.state,
      claimedAt: row.claimed_at,
      ...(row.answer === null ? {} : { result: JSON.parse(row.answer) as StoredAnswer }),
    };
    const claim = decideClaim(entry, fingerprint, now);
    if (claim.state === "claimed") {
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO keys (key, fingerprint, state, claimed_at, answer) VALUES (?, ?, 'in_flight', ?, NULL)", key, fingerprint, now);
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + IDEMPOTENCY_TTL_MS);
    }
    return claim;
  }

  async record(key: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
    this.ctx.storage.sql.exec("UPDATE keys SET state = 'done', answer = ? WHERE key = ? AND fingerprint = ?", JSON.stringify(answer), key, fingerprint);
  }

  async release(key: string, fingerprint: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM keys WHERE key = ? AND fingerprint = ? AND state = 'in_flight'", key, fingerprint);
  }

  /** Deletes the keys older than 24 hours and wakes again when the next one is due. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM keys WHERE claimed_at <= ?", now - IDEMPOTENCY_TTL_MS);
    const next = this.ctx.storage.sql.exec<{ oldest: number | null }>("SELECT MIN(claimed_at) AS oldest FROM keys").one().oldest;
    if (next !== null) await this.ctx.storage.setAlarm(next + IDEMPOTENCY_TTL_MS);
  }
}
