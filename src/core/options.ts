/**
 * Options every vendor client takes, resolved once when the client is made, and the options each send takes,
 * read once when it is called.
 */
import type { Middleware } from "openapi-fetch";
import { holdsUserInfo, TxgateConfigError } from "./credentials.ts";
import type { IdempotencyLedger } from "./idempotency.ts";
import type { VendorName } from "./outcome.ts";
import type { Pacer } from "./pacing.ts";
import { resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from "./retry.ts";
import { UNREADABLE, type InputCheck } from "./validation.ts";

/**
 * A structured, credential-free log entry.
 *
 * @example
 * createAcmeClient({ baseUrl, apiKey, logger: (entry: LogEntry) => console.log(entry.vendor, entry.event, entry.attempt, entry.kind) });
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
 * const options: CommonClientOptions = { baseUrl: "https://api.acme.example", timeoutMs: 5_000, retry: { retries: 1 } };
 * createAcmeClient({ ...options, apiKey });
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
   * Default: unpaced (a vendor with a documented cap paces itself to it). Give one shared pacer, a Durable Object's for example,
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
 * await client.send(message, options);
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
   * refreshed token and a catalogue failover each call it again), never for a vendor's calls for a token.
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
   * echoes back in its delivery events (its capability table's `messageIdCarrier`: a custom header
   * `X-Txgate-Message-Id`, say), so an event can name the message even when the send's own answer was lost. A vendor
   * whose carrier is `"none"` sends the message unchanged. Carried after validation: it is never a field of yours
   * that a vendor refuses.
   *
   * @example
   * const outcome = await client.send(message, { messageId: order.emailId });
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

/** Where issues with a send's options (its second argument) point, apart from every path into the message. */
const CALL = "(call)";

/** Whether `value` is a real AbortSignal: its own `aborted` getter refuses anything else, a Proxy included. */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal === "undefined") return false;
  try {
    // Both can throw: `instanceof` on a revoked Proxy, the getter on anything but a signal.
    if (!(value instanceof AbortSignal)) return false;
    Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get?.call(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a send's options once, never throwing: a `signal` that is not an AbortSignal (rule `abort_signal`), a
 * `timeoutMs` that is not a number of milliseconds from 1 to 2^31-1 (rule `timeout_ms`) or options that throw
 * when read (rule `unreadable_input`) are issues at `(call)`, `(call).signal`, `(call).timeoutMs`. The send
 * goes on with `output`, the copy that was checked.
 *
 * @example
 * const options = readCallOptions(call);
 * if (!options.success) return invalid(vendor, options.issues);
 */
export function readCallOptions(call: unknown): InputCheck<CallOptions | undefined> {
  if (call === undefined) return { success: true, output: undefined };
  const issue = (key: string, rule: string, message: string): InputCheck<never> => ({
    success: false,
    issues: [{ path: key ? `${CALL}.${key}` : CALL, rule, message }],
  });
  if (typeof call !== "object" || call === null) return issue("", "call_options", "the send's options must be an object");
  let signal: unknown, timeoutMs: unknown, idempotencyKey: unknown, beforeFetch: unknown, messageId: unknown;
  try {
    ({ signal, timeoutMs, idempotencyKey, beforeFetch, messageId } = call as Record<string, unknown>);
  } catch {
    return issue("", "unreadable_input", UNREADABLE);
  }
  if (signal !== undefined && !isAbortSignal(signal)) return issue("signal", "abort_signal", "must be an AbortSignal");
  if (timeoutMs !== undefined && !isUsableTimeout(timeoutMs)) {
    return issue("timeoutMs", "timeout_ms", `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  if (beforeFetch !== undefined && typeof beforeFetch !== "function") return issue("beforeFetch", "function", "must be a function");
  if (messageId !== undefined && (typeof messageId !== "string" || !MESSAGE_ID_SYNTAX.test(messageId))) {
    return issue("messageId", "message_id", "must be 1 to 128 characters from A-Z a-z 0-9 . _ : -");
  }
  return {
    success: true,
    output: { signal, timeoutMs, idempotencyKey, ...(beforeFetch === undefined ? {} : { beforeFetch }), ...(messageId === undefined ? {} : { messageId }) } as CallOptions,
  };
}
