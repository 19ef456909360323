/**
 * Many messages in one call: every client's `sendMany` and the catalogue mailer's. Each message goes through the
 * same `send` as a single one, so validation, its idempotency key, the pacer, a vendor's token rules and retries
 * hold exactly as they do for one send; this module only decides when each starts and where its outcome goes.
 * Loaded with the first `sendMany`, so a bundle that never sends a batch does not carry it up front.
 */
import { invalid } from "./deliver.ts";
import { readCallOptions, type CallOptions } from "./options.ts";
import type { Failure, ValidationIssue, VendorName } from "./outcome.ts";
import { UNREADABLE } from "./validation.ts";

/** How many messages of a batch are being sent at once unless `concurrency` says otherwise. */
export const DEFAULT_SEND_MANY_CONCURRENCY = 8;
/** The most `concurrency` may be: a bound on open requests and timers, far above any vendor's rate. */
export const MAX_SEND_MANY_CONCURRENCY = 256;

/**
 * One message of a batch, with its own idempotency key if it has one.
 *
 * @example
 * const item: SendManyItem<AcmeMessage> = { message: { templateId: 2, to: "ada@example.com" }, idempotencyKey: "order-1234-confirmation" };
 */
export interface SendManyItem<M> {
  readonly message: M;
  /** As `CallOptions.idempotencyKey`, for this message alone. A key repeated in a batch is sent once (see `sendMany`). */
  readonly idempotencyKey?: string;
}

/**
 * Options for a whole batch.
 *
 * @example
 * const results = await client.sendMany(items, { concurrency: 4, signal: AbortSignal.timeout(60_000) });
 */
export interface SendManyOptions {
  /** How many messages are being sent at once, 1 to 256. Default 8. Pacers still hold each vendor's rate. */
  readonly concurrency?: number;
  /**
   * Stops the batch: a message whose send has not started is not started (`aborted`, `not_sent`,
   * `started: false`); one that has started ends as an aborted single send does (`not_sent` while it waited for a
   * slot or a token, `unknown` once its request may have left).
   */
  readonly signal?: AbortSignal;
  /** Each send's per-attempt timeout, as `CallOptions.timeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * What came of one message of a batch, at its message's index.
 *
 * @example
 * const unsent = results.filter((result) => !result.started).length;
 */
export interface SendManyOutcome<O> {
  /** The message's outcome, as `send` would have returned it alone. */
  readonly outcome: O;
  /** Whether its send started; `false` only for a message the batch's signal stopped first or that was refused as an item. */
  readonly started: boolean;
}

/** What `sendEach` needs from a client or a mailer. */
export interface BatchSender<O> {
  /** Sends one item, read once into a plain object; never rejects. */
  send(item: Readonly<Record<string, unknown>>, call: CallOptions): Promise<O>;
  /** The vendor a refusal of `item` is reported for (the item is `undefined` when it could not be read). */
  vendorOf(item: Readonly<Record<string, unknown>> | undefined): VendorName;
  /** A failure made here, as the sender's outcome (the mailer's carries `failover`). */
  lift(failure: Failure): O;
}

/**
 * Sends every item with `sender`, at most `concurrency` at a time, starting them in input order. An item whose
 * `idempotencyKey` an earlier item of the batch holds waits for that one to end and then asks the ledger, so it
 * gets the first one's outcome (or `idempotency_key_reused` for another message) rather than
 * `idempotency_in_flight`, and the key sends at most one email. Never rejects.
 *
 * @example
 * return sendEach(items, options, { send: (item, call) => send(item.message as M, call), vendorOf: () => vendor, lift: (failure) => failure });
 */
export async function sendEach<O>(items: unknown, options: unknown, sender: BatchSender<O>): Promise<SendManyOutcome<O>[]> {
  const refused = (item: Readonly<Record<string, unknown>> | undefined, issues: ValidationIssue[]): SendManyOutcome<O> => ({
    outcome: sender.lift(invalid(sender.vendorOf(item), issues) as Failure),
    started: false,
  });
  if (!Array.isArray(items)) return [refused(undefined, [{ path: "", rule: "send_many_items", message: "sendMany takes an array of { message, idempotencyKey? }" }])];
  const checked = readBatchOptions(options);
  if (!checked.success) return items.map((item) => refused(snapshot(item), checked.issues));
  const { concurrency, signal, timeoutMs } = checked;

  const results = new Array<SendManyOutcome<O>>(items.length);
  /** The send of the latest item holding each key, so the next one with that key waits for it. */
  const byKey = new Map<string, Promise<unknown>>();
  const stopped = (item: Readonly<Record<string, unknown>> | undefined): SendManyOutcome<O> => ({ outcome: sender.lift(notStarted(sender.vendorOf(item))), started: false });

  const start = async (item: Readonly<Record<string, unknown>>, earlier: Promise<unknown> | undefined): Promise<SendManyOutcome<O>> => {
    if (earlier) await earlier;
    if (signal?.aborted) return stopped(item);
    const key = item.idempotencyKey as string | undefined;
    try {
      return { outcome: await sender.send(item, { signal, timeoutMs, idempotencyKey: key }), started: true };
    } catch (error) {
      // Senders never reject; one that does anyway may have sent, so it is not reported as nothing sent.
      return { outcome: sender.lift(threw(sender.vendorOf(item), error)), started: true };
    }
  };

  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = snapshot(items[index]);
      if (!item) {
        results[index] = refused(undefined, [{ path: "", rule: "send_many_item", message: "each item must be an object { message, idempotencyKey? } that can be read" }]);
        continue;
      }
      if (signal?.aborted) {
        results[index] = stopped(item);
        continue;
      }
      const key = typeof item.idempotencyKey === "string" ? item.idempotencyKey : undefined;
      const sending = start(item, key === undefined ? undefined : byKey.get(key));
      if (key !== undefined) byKey.set(key, sending);
      results[index] = await sending;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** The item's own fields, read once (a getter runs once); `undefined` for a non-object or one whose reading threw. */
function snapshot(item: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  try {
    return { ...item };
  } catch {
    return undefined;
  }
}

type BatchOptions = { success: true; concurrency: number; signal?: AbortSignal; timeoutMs?: number } | { success: false; issues: ValidationIssue[] };

function readBatchOptions(options: unknown): BatchOptions {
  const issue = (path: string, rule: string, message: string): BatchOptions => ({ success: false, issues: [{ path, rule, message }] });
  if (options === undefined) return { success: true, concurrency: DEFAULT_SEND_MANY_CONCURRENCY };
  if (typeof options !== "object" || options === null) return issue("(options)", "send_many_options", "sendMany's options must be an object");
  let concurrency: unknown, signal: unknown, timeoutMs: unknown;
  try {
    ({ concurrency, signal, timeoutMs } = options as Record<string, unknown>);
  } catch {
    return issue("(options)", "unreadable_input", UNREADABLE);
  }
  concurrency ??= DEFAULT_SEND_MANY_CONCURRENCY;
  if (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_SEND_MANY_CONCURRENCY) {
    return issue("(options).concurrency", "concurrency", `must be a whole number from 1 to ${MAX_SEND_MANY_CONCURRENCY}`);
  }
  // The same checks as a single send's options, named as this call's.
  const call = readCallOptions({ signal, timeoutMs });
  if (!call.success) return { success: false, issues: call.issues.map((found) => ({ ...found, path: found.path.replace(/^\(call\)/, "(options)") })) };
  return { success: true, concurrency, signal: call.output?.signal, timeoutMs: call.output?.timeoutMs };
}

function notStarted(vendor: VendorName): Failure {
  return {
    ok: false,
    vendor,
    attempts: 0,
    kind: "aborted",
    retryable: false,
    delivery: "not_sent",
    message: "The batch was aborted before this message's send started; nothing was sent",
  };
}

function threw(vendor: VendorName, error: unknown): Failure {
  // Only the error's name: its text could quote a secret.
  const name = error instanceof Error ? error.name : typeof error;
  return {
    ok: false,
    kind: "network",
    vendor,
    message: `the send threw instead of returning an outcome (${name}); the email may have been sent`,
    cause: { name, message: "the send threw" },
    retryable: false,
    delivery: "unknown",
    attempts: 0,
  };
}
