/**
 * The index of queued messages: a per-message Durable Object cannot be listed, so each message also reports
 * itself here, to one SQLite Durable Object per caller scope (`caller:billing`, `user:…`, `ip:…`) that answers
 * `GET /v1/messages?state=…`, and to one for the whole deployment (`DEPLOYMENT_INDEX`) that answers the health
 * route's backlog and dead-letter counts and keeps each vendor's last success and last failure.
 *
 * A message reports itself when it is accepted and when it is retried, and when it ends by any way but an attempt's
 * answer; the ends the queue consumer records go to the indexes for its whole batch at once (`reportToIndexes`, one
 * call per index object), before its acks count. The message's own object stays the truth; a row here can lag it
 * (its report failed), and shows the message's id for the caller to look at. Rows go within the hour after the
 * message's object forgets it (24 hours after its end), or 40 days after acceptance whatever it says (the longest
 * a scheduled send waits is 30 days): the list can show a message for up to an hour after its own object has
 * forgotten it, and then answers 404 for it.
 */
import { DurableObject } from "cloudflare:workers";
import type { VendorName } from "../../core/public.ts";
import { MESSAGE_KEPT_MS, type MessageStateName } from "./message-state.ts";

/** The index object's name for the whole deployment; no caller scope has this form (they all have a colon). */
export const DEPLOYMENT_INDEX = "deployment";
/** The most messages one page of the list holds. */
export const MAX_PAGE_SIZE = 100;
const FINAL_STATES = "('sent', 'partial', 'failed', 'unknown', 'cancelled')";
/** States that are on their way: the queue's backlog. */
const BACKLOG_STATES = "('scheduled', 'queued', 'sending')";
/** States a message reaches through the dead-letter queue. */
const DEAD_LETTER_STATES = "('failed', 'partial')";
const ROW_KEPT_MS = 40 * 24 * 60 * 60 * 1000;
/** How often the rows of forgotten messages are dropped. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** One message as the index holds it: never its content, its scope or its addresses. */
export interface IndexedMessage {
  readonly id: string;
  readonly vendor: VendorName;
  readonly state: MessageStateName;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One page of the list: newest first, and the cursor of the next page when there is one. */
export interface MessagePage {
  readonly messages: readonly IndexedMessage[];
  readonly cursor?: string;
}

/** Where the list goes on from: the last message of the page before (its creation time and id). */
export interface PagePosition {
  readonly createdAt: number;
  readonly id: string;
}

/** A vendor's last outcomes, as the deployment's object has seen them. */
export interface VendorHealth {
  readonly lastSuccessAt?: string;
  readonly lastFailure?: { readonly at: string; readonly kind: string };
}

/** One message's state as the message reports it to an index (times in ms since the epoch). */
export interface IndexEntry {
  readonly id: string;
  readonly vendor: VendorName;
  readonly state: MessageStateName;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * A report for the indexes: the message's entry, and whose message it is (the caller scope's index gets it, and
 * the deployment's).
 */
export interface IndexReport {
  readonly scope: string;
  readonly entry: IndexEntry;
}

/**
 * Hands reports to the indexes: one call per caller scope's object and one to the deployment's, however many
 * messages they carry. A call that fails leaves that index behind, never a message (see the file's note).
 *
 * @example
 * await reportToIndexes(env.MESSAGE_INDEX, reports);
 */
export async function reportToIndexes(index: DurableObjectNamespace<MessageIndexObject>, reports: readonly IndexReport[]): Promise<void> {
  if (!reports.length) return;
  const byScope = new Map<string, IndexEntry[]>();
  for (const { scope, entry } of reports) byScope.set(scope, [...(byScope.get(scope) ?? []), entry]);
  byScope.set(DEPLOYMENT_INDEX, reports.map((report) => report.entry));
  await Promise.all([...byScope].map(([name, entries]) => index.get(index.idFromName(name)).recordMany(entries).catch(() => undefined)));
}

type IndexRow = { id: string; vendor: VendorName; state: MessageStateName; created_at: number; updated_at: number };

/**
 * @example
 * const index = env.MESSAGE_INDEX.get(env.MESSAGE_INDEX.idFromName("caller:billing"));
 * const page = await index.list(["failed", "unknown"], 50);
 */
export class MessageIndexObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    const { sql } = ctx.storage;
    sql.exec("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, vendor TEXT NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX IF NOT EXISTS messages_by_state ON messages (state, created_at DESC, id DESC)");
    sql.exec("CREATE INDEX IF NOT EXISTS messages_by_update ON messages (updated_at)");
    sql.exec("CREATE INDEX IF NOT EXISTS messages_by_creation ON messages (created_at)");
    sql.exec("CREATE TABLE IF NOT EXISTS vendors (vendor TEXT PRIMARY KEY, success_at INTEGER, failure_at INTEGER, failure_kind TEXT)");
  }

  /** Records a message's state (the newer report wins); the alarm drops the rows of forgotten messages. */
  async record(message: IndexEntry): Promise<void> {
    await this.recordMany([message]);
  }

  /** Records several messages' states at once, each as `record` would. */
  async recordMany(messages: readonly IndexEntry[]): Promise<void> {
    const { sql } = this.ctx.storage;
    for (const message of messages) {
      sql.exec(
        `INSERT INTO messages (id, vendor, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at WHERE excluded.updated_at >= messages.updated_at`,
        message.id,
        message.vendor,
        message.state,
        message.createdAt,
        message.updatedAt,
      );
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
  }

  /** Drops the rows of messages their objects have forgotten, and wakes again while any row is left. */
  override async alarm(): Promise<void> {
    const { sql } = this.ctx.storage;
    const now = Date.now();
    // Two statements, each on its own index: read only the rows that go.
    sql.exec(`DELETE FROM messages WHERE updated_at < ? AND state IN ${FINAL_STATES}`, now - MESSAGE_KEPT_MS);
    sql.exec("DELETE FROM messages WHERE created_at < ?", now - ROW_KEPT_MS);
    if (sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages LIMIT 1)").one().n) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
  }

  /** The messages in `states`, newest first, `limit` at most, after `after` (the page before's last). */
  async list(states: readonly MessageStateName[], limit: number, after?: PagePosition): Promise<MessagePage> {
    const marks = states.map(() => "?").join(", ");
    const from = after ? "AND (created_at < ? OR (created_at = ? AND id < ?))" : "";
    const rows = this.ctx.storage.sql
      .exec<IndexRow>(
        `SELECT id, vendor, state, created_at, updated_at FROM messages WHERE state IN (${marks}) ${from} ORDER BY created_at DESC, id DESC LIMIT ?`,
        ...states,
        ...(after ? [after.createdAt, after.createdAt, after.id] : []),
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      messages: page.map((row) => ({ id: row.id, vendor: row.vendor, state: row.state, createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString() })),
      ...(rows.length > limit && last ? { cursor: encodeCursor({ createdAt: last.created_at, id: last.id }) } : {}),
    };
  }

  /** How many messages are on their way (`scheduled`, `queued`, `sending`), and how many ended in the dead-letter queue. */
  async counts(): Promise<{ readonly backlog: number; readonly deadLettered: number }> {
    const { sql } = this.ctx.storage;
    const count = (states: string) => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM messages WHERE state IN ${states}`).one().n;
    return { backlog: count(BACKLOG_STATES), deadLettered: count(DEAD_LETTER_STATES) };
  }

  /** Notes one vendor answer: a success, or a failure of `kind`. */
  async noteVendor(vendor: VendorName, ok: boolean, kind: string): Promise<void> {
    const now = Date.now();
    if (ok) this.ctx.storage.sql.exec("INSERT INTO vendors (vendor, success_at) VALUES (?, ?) ON CONFLICT (vendor) DO UPDATE SET success_at = excluded.success_at", vendor, now);
    else {
      this.ctx.storage.sql.exec(
        "INSERT INTO vendors (vendor, failure_at, failure_kind) VALUES (?, ?, ?) ON CONFLICT (vendor) DO UPDATE SET failure_at = excluded.failure_at, failure_kind = excluded.failure_kind",
        vendor,
        now,
        kind.slice(0, 40),
      );
    }
  }

  /** Each vendor's last success and last failure. */
  async vendorHealth(): Promise<Partial<Record<VendorName, VendorHealth>>> {
    const rows = this.ctx.storage.sql.exec<{ vendor: VendorName; success_at: number | null; failure_at: number | null; failure_kind: string | null }>("SELECT * FROM vendors").toArray();
    return Object.fromEntries(
      rows.map((row) => [
        row.vendor,
        {
          ...(row.success_at === null ? {} : { lastSuccessAt: new Date(row.success_at).toISOString() }),
          ...(row.failure_at === null ? {} : { lastFailure: { at: new Date(row.failure_at).toISOString(), kind: row.failure_kind ?? "unknown" } }),
        },
      ]),
    );
  }
}

/** A page position as an opaque cursor (base64url JSON), so callers do not build their own. */
export function encodeCursor(position: PagePosition): string {
  return btoa(JSON.stringify([position.createdAt, position.id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The position a cursor names; `undefined` for anything this worker did not make. */
export function decodeCursor(cursor: string): PagePosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const [createdAt, id] = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as unknown[];
    if (typeof createdAt !== "number" || !Number.isSafeInteger(createdAt) || typeof id !== "string" || id.length > 64) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
