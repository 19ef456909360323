/**
 * Options every vendor client takes, resolved once when the client is made.
 */
import type { Middleware } from "openapi-fetch";
import { holdsUserInfo, TxgateConfigError } from "./credentials.ts";
import type { IdempotencyLedger } from "./idempotency.ts";
import type { VendorName } from "./outcome.ts";
import type { Pacer } from "./pacing.ts";
import { resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from "./retry.ts";

/**
 * A structured, credential-free log entry.
 *
 * @example
 * createListmonkClient({ baseUrl, username, token, logger: (entry: LogEntry) => console.log(entry.vendor, entry.event, entry.attempt, entry.kind) });
 */
export interface LogEntry {
  readonly vendor: VendorName;
  /** `release`: a shared pacer's slot could not be given back (its store frees it later itself). */
  readonly event: "attempt" | "retry" | "outcome" | "release";
  readonly attempt: number;
  readonly status?: number;
  readonly kind?: string;
  readonly delayMs?: number;
  readonly durationMs?: number;
  readonly message?: string;
}

/**
 * What every vendor client takes, beside its own credentials.
 *
 * @example
 * const options: CommonClientOptions = { baseUrl: "https://lists.example.com", timeoutMs: 5_000, retry: { retries: 1 } };
 * createListmonkClient({ ...options, username: "api_user", token });
 */
export interface CommonClientOptions {
  /**
   * The vendor's API origin (and base path, if any), without user info: `https://user:password@host` is refused
   * with `TxgateConfigError`, since the URL shows in logs and traces; credentials go in the credential options.
   */
  readonly baseUrl: string;
  /**
   * The `fetch` to send with. It is called with one argument, a `Request` per attempt, complete: after every
   * middleware, with the credentials, its `signal` carrying the attempt's timeout and the caller's abort. Without
   * it the global `fetch`, looked up at call time, is called as hand-written code calls it, with the URL and
   * `{ method, headers, body, signal }` (headers a plain record, a JSON or XML body a string): no `Request` is
   * built, which saves a good part of a send's CPU. The bytes on the wire are the same either way.
   */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Per-attempt timeout in ms, covering the request and reading its response. Default 15000. */
  readonly timeoutMs?: number;
  /** Retry policy; by default only failures that prove nothing was sent are retried. */
  readonly retry?: RetryPolicy;
  /**
   * openapi-fetch middleware: observe or adjust each request and response. Middleware runs before
   * credentials are attached, so it never sees a token, password or API key. txgate runs the hooks as
   * openapi-fetch 0.17 does (`onRequest` in order, `onError` and `onResponse` last first, with the same
   * arguments and refusals), on a real `Request`; the `options.querySerializer` a hook is handed always returns
   * `""`, since no vendor request has a query string.
   */
  readonly middleware?: readonly Middleware[];
  /** Receives a log entry per attempt, retry and outcome. Entries never contain credentials. */
  readonly logger?: (entry: LogEntry) => void;
  /**
   * Paces the sends: every attempt waits for a slot, keyed by vendor and `baseUrl`, and frees it once answered.
   * Default: unpaced (Act-On paces itself to its rate). Give one shared pacer, a Durable Object's for example,
   * to hold a vendor's cap across isolates; `createPacer` holds it within one.
   */
  readonly pacer?: Pacer;
  /**
   * Where `idempotencyKey`s are remembered. Default: memory shared by every client in this process, which
   * protects retries within one process only; give a shared ledger when several processes send.
   */
  readonly idempotencyLedger?: IdempotencyLedger;
}

/**
 * Options for one send.
 *
 * @example
 * const options: CallOptions = { signal: AbortSignal.timeout(10_000), idempotencyKey: `order-${orderId}` };
 * await listmonk.send(message, options);
 */
export interface CallOptions {
  /** Aborts the send, including a backoff wait or a wait for pacing. */
  readonly signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this send. */
  readonly timeoutMs?: number;
  /**
   * Makes the send safe to repeat: the same key with the same message returns the first outcome and sends
   * nothing, for 24 hours (see `core/idempotency.ts` for what is and is not guaranteed). 8 to 255 characters
   * from `A-Z a-z 0-9 . _ : ~ + / = -`, e.g. a UUID per message.
   */
  readonly idempotencyKey?: string;
  /**
   * Awaited right before each attempt's request is handed to `fetch`, after pacing and credentials: the last
   * moment at which nothing has gone out, so a queue can record "about to go out" there and know that a send
   * which never got this far can be tried again. It runs once per attempt that reaches `fetch` (a retry, a
   * refreshed Act-On token and a catalogue failover each call it again), never for Act-On's `/token` calls.
   * If it throws or rejects, that request is not sent: the send ends `kind: "network"`,
   * `delivery: "not_sent"`, not retried, with the error's message in `cause`. The attempt's timeout runs
   * while it is awaited.
   *
   * @example
   * const outcome = await client.send(message, { beforeFetch: () => queue.markSending(id) });
   */
  readonly beforeFetch?: () => void | Promise<void>;
  /**
   * Your id for this message (1 to 128 characters from `A-Z a-z 0-9 . _ : -`), carried in the field the vendor
   * echoes back in its delivery events (its capability table's `messageIdCarrier`: Everlytic's custom header
   * `X-Txgate-Message-Id`), so an event can name the message even when the send's own answer was lost. A vendor
   * whose carrier is `"none"` sends the message unchanged. Carried after validation: it is never a field of yours
   * that a vendor refuses.
   *
   * @example
   * const outcome = await everlytic.send(message, { messageId: order.emailId });
   */
  readonly messageId?: string;
}

/** What a `CallOptions.messageId` may be: text every vendor's header or metadata field takes as it is. */
export const MESSAGE_ID_SYNTAX = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ResolvedOptions {
  readonly vendor: VendorName;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryPolicy;
  readonly logger?: (entry: LogEntry) => void;
  /**
   * Waits for a send slot before each attempt, for vendors that cap sends per second (see `core/pacing.ts`),
   * and gives back the function that frees it once the attempt is answered. `false` when the caller's signal
   * aborted the wait: the send then ends `aborted`, nothing sent.
   */
  readonly pace?: (signal: AbortSignal | undefined) => Promise<(() => void | Promise<void>) | false>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** The longest timer every runtime keeps as given (a longer or non-numeric one fires at once). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Whether `value` is a timeout every runtime's timer honours: milliseconds from 1 to 2^31-1. */
export function isUsableTimeout(value: unknown): value is number {
  return typeof value === "number" && value >= 1 && value <= MAX_TIMEOUT_MS;
}

export function resolveOptions(vendor: VendorName, options: CommonClientOptions): ResolvedOptions {
  const { pacer, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  // A timer that fires at once would end every send `timeout` after its request went out: refuse it up front.
  if (!isUsableTimeout(timeoutMs)) throw new TxgateConfigError(`${vendor}: timeoutMs must be milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  // The URL is not quoted: the point is that it holds a secret.
  if (holdsUserInfo(options.baseUrl)) {
    throw new TxgateConfigError(`${vendor}: baseUrl holds a user name or password (user:password@host); take them out of the URL and pass them in the client's credential options`);
  }
  return {
    vendor,
    timeoutMs,
    retry: resolveRetryPolicy(options.retry),
    logger: options.logger,
    ...(pacer ? { pace: (signal: AbortSignal | undefined) => pacer.acquire(`${vendor} ${options.baseUrl}`, signal) } : {}),
  };
}
