/**
 * Retry policy. By default txgate retries only answers that prove the email was not sent (a refused
 * connection, 429, 503): a retry after a timeout or a 500 could deliver the same email twice, and none of
 * the four vendors offers an idempotency key to prevent that.
 */
import type { Failure } from "./outcome.ts";

/**
 * How a client retries a failed send: how often, how long it waits, and which failures.
 *
 * @example
 * const retry: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 5_000 };
 * createAcmeClient({ baseUrl, apiKey, retry });
 */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2; 0 turns retrying off. */
  readonly retries?: number;
  /** First backoff delay in ms, doubled each retry. Default 300. */
  readonly baseDelayMs?: number;
  /** Longest single wait in ms, `Retry-After` included; a longer `Retry-After` ends the retries. Default 10000. */
  readonly maxDelayMs?: number;
  /**
   * Which failures to retry. The default retries `failure.retryable` failures, which are only those with
   * `delivery: "not_sent"`. Widen it only for a vendor call you know to be idempotent.
   */
  readonly shouldRetry?: (failure: Failure) => boolean;
  /** Source of randomness for jitter, in [0, 1). Injected by tests. */
  readonly random?: () => number;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

export function resolveRetryPolicy(policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  return {
    retries: Math.max(0, Math.floor(policy?.retries ?? 2)),
    baseDelayMs: policy?.baseDelayMs ?? 300,
    maxDelayMs: policy?.maxDelayMs ?? 10_000,
    shouldRetry: policy?.shouldRetry ?? ((failure) => failure.retryable),
    random: policy?.random ?? Math.random,
  };
}

/**
 * The wait before retry number `retry` (1-based): full jitter over an exponential ceiling, or the vendor's
 * `Retry-After` when it gave one. Returns `undefined` when the wait would exceed `maxDelayMs`.
 */
export function retryDelayMs(
  policy: ResolvedRetryPolicy,
  retry: number,
  retryAfterSeconds: number | undefined,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    const wait = retryAfterSeconds * 1000;
    return wait <= policy.maxDelayMs ? wait : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into seconds from `now`. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form starts with the day's name. Without this check `Date.parse` reads "1.5" or "-1" as a
  // date long past, which would mean "retry at once".
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Waits `ms`, or resolves `false` early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
