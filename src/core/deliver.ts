/**
 * The send loop every vendor shares: per-attempt timeout, the caller's abort signal, retries with backoff,
 * turning thrown fetch errors into outcomes, and redacting whatever goes back to the caller.
 */
import type { Answer, Failure, Outcome, ValidationIssue, VendorName } from "./outcome.ts";
import type { CallOptions, LogEntry, ResolvedOptions } from "./options.ts";
import { reachedFetch } from "./http-client.ts";
import type { ReleaseSlot } from "./pacing.ts";
import type { Redactor } from "./redact.ts";
import { retryDelayMs, sleep } from "./retry.ts";

/** One HTTP attempt: build a fresh request, send it with `signal`, map the answer. */
export type Attempt<T> = (signal: AbortSignal) => Promise<Answer<T>>;

/** Sends with retries. Never rejects: every way a send can end is an `Outcome`. */
export async function deliver<T>(
  options: ResolvedOptions,
  redactor: Redactor,
  call: CallOptions | undefined,
  attempt: Attempt<T>,
): Promise<Outcome<T>> {
  const { vendor, retry } = options;
  const timeoutMs = call?.timeoutMs ?? options.timeoutMs;
  const { logger } = options;
  // Called as `log?.(…)`, so without a logger no entry is even built.
  const log =
    logger &&
    ((entry: Omit<LogEntry, "vendor">) => {
      try {
        logger({ vendor, ...entry });
      } catch {
        // The caller's logger failing must neither reject the send nor strand its pacing slot.
      }
    });

  for (let attemptNumber = 1; ; attemptNumber++) {
    if (call?.signal?.aborted) return aborted(options, attemptNumber - 1);
    // Paced before the timeout starts: time spent queued is not time waiting for the vendor.
    let releaseSlot: ReleaseSlot | false | undefined;
    try {
      releaseSlot = await options.pace?.(call?.signal);
    } catch (error) {
      // A shared pacer out of reach (a Durable Object, say) grants no slot: nothing went, and a retry may get one.
      const cause = describeError(error);
      return redactOutcome(redactor, {
        ok: false,
        vendor,
        attempts: attemptNumber - 1,
        kind: "network",
        cause,
        retryable: true,
        delivery: "not_sent",
        message: `No send slot from the pacer, nothing sent: ${cause.message}`,
      });
    }
    if (releaseSlot === false) return aborted(options, attemptNumber - 1);
    // The signal may have fired in the same turn the slot was granted, before the attempt could listen for it.
    if (call?.signal?.aborted) {
      await settleRelease(releaseSlot, attemptNumber, log);
      return aborted(options, attemptNumber - 1);
    }
    const started = Date.now();
    log?.({ event: "attempt", attempt: attemptNumber });
    let outcome: Outcome<T>;
    try {
      outcome = redactOutcome(redactor, await attemptOnce(options, attemptNumber, timeoutMs, call?.signal, attempt));
    } finally {
      await settleRelease(releaseSlot, attemptNumber, log);
    }
    log?.({
      event: "outcome",
      attempt: attemptNumber,
      kind: outcome.kind,
      status: "status" in outcome ? outcome.status : undefined,
      durationMs: Date.now() - started,
      message: outcome.ok ? undefined : outcome.message,
    });
    if (outcome.ok || attemptNumber > retry.retries || !shouldRetry(retry, outcome)) return outcome;
    // A 503 may say when to come back as well as a 429 (RFC 9110 §10.2.3).
    const retryAfter = outcome.kind === "rate_limited" || outcome.kind === "server_error" ? outcome.retryAfter : undefined;
    const delayMs = retryDelayMs(retry, attemptNumber, retryAfter);
    if (delayMs === undefined) return outcome;
    log?.({ event: "retry", attempt: attemptNumber, kind: outcome.kind, delayMs });
    // An abort during the wait ends the send; the failure before it proved nothing was sent.
    if (!(await sleep(delayMs, call?.signal))) return aborted(options, attemptNumber);
  }
}

/** The longest a send waits for its slot's release to be taken: a shared pacer's store frees it later itself. */
export const RELEASE_WAIT_MS = 2000;

/**
 * Releases the slot and waits for a release that returns a promise (a shared pacer's call to its store), so it is
 * not dropped with the request that made it, but never longer than `RELEASE_WAIT_MS`: a slow or failing release
 * must not hold or fail a send that already has its outcome. A failure goes to the log, never to the caller.
 */
async function settleRelease(releaseSlot: ReleaseSlot | undefined, attempt: number, log: ((entry: Omit<LogEntry, "vendor">) => void) | undefined): Promise<void> {
  if (!releaseSlot) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const released = releaseSlot();
    if (!released) return;
    await Promise.race([released, new Promise<void>((resolve) => (timer = setTimeout(resolve, RELEASE_WAIT_MS)))]);
  } catch (error) {
    log?.({ event: "release", attempt, message: `The pacer's slot was not released: ${describeError(error).message}` });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** The caller's `shouldRetry`; one that throws means "do not retry", so the send still ends in its outcome. */
function shouldRetry(retry: ResolvedOptions["retry"], failure: Failure): boolean {
  try {
    return retry.shouldRetry(failure);
  } catch {
    return false;
  }
}

async function attemptOnce<T>(
  options: ResolvedOptions,
  attempts: number,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  attempt: Attempt<T>,
): Promise<Outcome<T>> {
  const { vendor } = options;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const forwardAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    const answer = await attempt(controller.signal);
    return ("ok" in answer
      ? { ...answer, kind: "sent", vendor, attempts }
      : { ...answer, ok: false, vendor, attempts }) as Outcome<T>;
  } catch (error) {
    const base = { ok: false as const, vendor, attempts };
    // Building the request can fail or stop too (a path segment `encodeURIComponent` refuses, a throwing hook,
    // a timeout while a credential is written in): until `fetch` was called, nothing left.
    const mayHaveLeft = reachedFetch(controller.signal);
    const delivery = mayHaveLeft ? "unknown" : "not_sent";
    if (timedOut) {
      return {
        ...base,
        kind: "timeout",
        timeoutMs,
        retryable: false,
        delivery,
        message: mayHaveLeft
          ? `No answer from ${vendor} within ${timeoutMs} ms; the email may have been sent`
          : `The request to ${vendor} was not ready within ${timeoutMs} ms; nothing was sent`,
      };
    }
    if (callerSignal?.aborted) {
      return {
        ...base,
        kind: "aborted",
        retryable: false,
        delivery,
        message: mayHaveLeft
          ? `Aborted while the request to ${vendor} was in flight; the email may have been sent`
          : "Aborted before the request was sent",
      };
    }
    const cause = describeError(error);
    if (!mayHaveLeft) {
      return {
        ...base,
        kind: "network",
        cause,
        retryable: false,
        delivery,
        message: `The request to ${vendor} could not be made, so nothing was sent: ${cause.name}: ${cause.message}`,
      };
    }
    const refused = isRefusedBeforeSending(error);
    return {
      ...base,
      kind: "network",
      cause,
      retryable: refused,
      delivery: refused ? "not_sent" : "unknown",
      message: refused
        ? `Could not connect to ${vendor}; nothing was sent`
        : `The connection to ${vendor} failed; the email may have been sent`,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    callerSignal?.removeEventListener("abort", forwardAbort);
  }
}

/** The outcome for a send aborted before (another) attempt started. */
export function aborted<T>(options: ResolvedOptions, attempts: number): Outcome<T> {
  return {
    ok: false,
    vendor: options.vendor,
    attempts,
    kind: "aborted",
    retryable: false,
    delivery: "not_sent",
    message: "Aborted before the request was sent",
  };
}

/**
 * The validation outcome: nothing was sent. valibot's messages quote the input, so a credential pasted into a
 * message field would come back in them: the outcome is redacted like every other.
 */
export function invalid<T>(vendor: Outcome<T>["vendor"], issues: readonly ValidationIssue[], redactor?: Redactor): Outcome<T> {
  const detail = issues.map((issue) => `${issue.path || "(input)"}: ${issue.message}`).join("; ");
  const outcome: Outcome<T> = {
    ok: false,
    vendor,
    attempts: 0,
    kind: "validation",
    issues,
    retryable: false,
    delivery: "not_sent",
    message: `Invalid input, nothing sent: ${detail}`,
  };
  return redactor ? redactor.value(outcome) : outcome;
}

/**
 * A module a send loads on first use (a converter, the idempotency ledger, a body writer) could not load: a missing
 * chunk, a lost connection. Nothing was sent, and trying again can work.
 */
export function notLoaded<T>(vendor: VendorName, what: string, error: unknown): Outcome<T> {
  const name = error instanceof Error ? error.name : typeof error;
  return {
    ok: false,
    kind: "network",
    vendor,
    message: `the ${vendor} ${what} could not be loaded (${name}); nothing was sent`,
    cause: { name, message: `the ${what} could not be loaded` },
    retryable: true,
    delivery: "not_sent",
    attempts: 0,
  };
}

/**
 * Errors whose connection never opened, so no byte of the request reached the vendor. Runtimes spell this
 * differently: undici puts `ECONNREFUSED` on `cause.code`, Bun uses `ConnectionRefused`, Deno and workerd
 * say it in the message. DNS failures are included: no host, no send.
 */
function isRefusedBeforeSending(error: unknown): boolean {
  const refused = /ECONNREFUSED|ConnectionRefused|connection refused|ENOTFOUND|EAI_AGAIN|dns error/i;
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if ((typeof code === "string" && refused.test(code)) || (typeof message === "string" && refused.test(message))) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A plain, serialisable description of a thrown value, with the innermost cause's detail. */
function describeError(error: unknown): { name: string; message: string } {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
  const inner = cause && typeof cause === "object" ? (cause as { message?: unknown }).message : undefined;
  return {
    name: typeof name === "string" ? name : "Error",
    message: [message, inner].filter((part) => typeof part === "string" && part).join(": ") || String(error),
  };
}

/** Failures and successes alike: a vendor can echo a credential in a 2xx body too, and `data` is that body. */
function redactOutcome<T>(redactor: Redactor, outcome: Outcome<T>): Outcome<T> {
  return redactor.value(outcome);
}
