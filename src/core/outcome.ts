/**
 * The one result type every txgate send returns. Sends never reject: every vendor answer, network failure,
 * timeout and abort becomes a value of `Outcome`, so a `switch (outcome.kind)` is the whole error handling.
 */

import type { RegisteredVendorName } from "../vendors/registry.ts";

/**
/**
 * The vendors txgate speaks to: the names in the registry (`src/vendors/registry.ts`). A type only: core imports
 * no vendor's code, and learns the names from the registry above it.
 *
 * @example
 * const vendors: VendorName[] = ["acme"];
 */
export type VendorName = RegisteredVendorName;

/**
 * Whether an email may have gone out.
 * - `not_sent`: the vendor certainly did not accept the message (validation, refused connection, 429, 503).
 * - `unknown`: the request may have reached the vendor; retrying could send the email twice.
 * - `partial`: the vendor accepted it for some recipients and refused it for others.
 *
 * @example
 * if (!outcome.ok && outcome.delivery === "unknown") console.warn("the email may have gone out: do not resend blindly");
 */
export type Delivery = "not_sent" | "unknown" | "partial";

/**
 * The vendor accepted the message. `data` is the vendor's parsed response body.
 *
 * @example
 * const outcome = await client.send(message);
 * if (outcome.kind === "sent") console.log(outcome.vendor, outcome.status, outcome.attempts);
 */
export interface Sent<T> {
  readonly ok: true;
  readonly kind: "sent";
  readonly vendor: VendorName;
  readonly status: number;
  readonly data: T;
  /**
   * The vendor's ids for what it accepted, where it returns any, whatever the vendor: a transaction id per
   * recipient, or one message id. Absent for a vendor whose answer names none (its docs page says which).
   */
  readonly ids?: readonly string[];
  /** How many HTTP attempts the send took (1 unless a retry happened). */
  readonly attempts: number;
}

/**
 * One field that broke one rule. `path` says where in the input: keys and array indexes joined by dots
 * (`subscriber_emails.1`), except a key that is empty or holds a `.`, `[`, `]`, `"`, `\`, a space or an invisible
 * character, which is written in brackets as a JSON string (`headers.0[""]`, `data["a.b"]`); `""` is the input itself.
 *
 * @example
 * if (outcome.kind === "validation") for (const issue of outcome.issues) console.error(`${issue.path}: ${issue.message} (${issue.rule})`);
 */
export interface ValidationIssue {
  readonly path: string;
  /** The rule's name: a valibot action type (`email`, `max_length`, ...) or a vendor rule (`<vendor>_mode`, ...). */
  readonly rule: string;
  readonly message: string;
}

interface FailureBase {
  readonly ok: false;
  readonly vendor: VendorName;
  /** A one-line, credential-free description, e.g. `400 template 9 not found`. */
  readonly message: string;
  /** Whether sending the same message again could succeed without risking a duplicate email. */
  readonly retryable: boolean;
  readonly delivery: Delivery;
  readonly attempts: number;
}

/** What the vendor said, kept as it said it (with any credential removed). */
interface VendorAnswer {
  readonly status: number;
  /** The vendor's own error code or name, where it gives one (`errorName`, `Code`, `reason`, ...). */
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  /** The vendor's parsed error body. */
  readonly details?: unknown;
}

/**
 * The input broke a documented rule; nothing was sent.
 *
 * @example
 * if (outcome.kind === "validation") showErrors(outcome.issues); // nothing was sent
 */
export interface ValidationFailure extends FailureBase {
  readonly kind: "validation";
  readonly issues: readonly ValidationIssue[];
  readonly delivery: "not_sent";
  readonly retryable: false;
}

/**
 * The vendor refused the credentials (or the account is suspended).
 *
 * @example
 * if (outcome.kind === "auth") alertOperator(`${outcome.vendor}: ${outcome.message}`);
 */
export interface AuthFailure extends FailureBase, VendorAnswer {
  readonly kind: "auth";
}

/**
 * The vendor asked us to slow down, or txgate held the request back to keep a limit the vendor documents.
 * `retryAfter` is in seconds when known.
 *
 * @example
 * if (outcome.kind === "rate_limited") await retryLater(outcome.retryAfter ?? 60);
 */
export interface RateLimited extends FailureBase, Omit<VendorAnswer, "status"> {
  readonly kind: "rate_limited";
  /** The vendor's HTTP status; absent when txgate held the request back itself and the vendor said nothing. */
  readonly status?: number;
  readonly retryAfter?: number;
}

/**
 * The vendor understood the request and refused it (bad template, suppressed recipient, ...).
 *
 * @example
 * if (outcome.kind === "rejected") console.error(outcome.status, outcome.message); // e.g. 400 template 9 not found
 */
export interface Rejected extends FailureBase, VendorAnswer {
  readonly kind: "rejected";
  /**
   * Recipients the vendor named as refused, spelled as you sent them; with `delivery: "partial"` the others were
   * accepted. Absent when the vendor refused without naming anyone: which recipients is then unknown, not none.
   */
  readonly failedRecipients?: readonly string[];
}

/**
 * The vendor failed on its side (5xx). A 503's `Retry-After`, in seconds, is kept in `retryAfter`.
 *
 * @example
 * if (outcome.kind === "server_error" && outcome.retryable) await retryLater(outcome.retryAfter ?? 30);
 */
export interface VendorServerError extends FailureBase, VendorAnswer {
  readonly kind: "server_error";
  readonly retryAfter?: number;
}

/**
 * The request never got an HTTP answer.
 *
 * @example
 * if (outcome.kind === "network" && outcome.delivery === "not_sent") await retryLater(5);
 */
export interface NetworkFailure extends FailureBase {
  readonly kind: "network";
  readonly cause: { readonly name: string; readonly message: string };
}

/**
 * No answer within the timeout. `delivery` says whether the email may have gone out (not when the request was for a token).
 *
 * @example
 * if (outcome.kind === "timeout") console.warn(outcome.delivery); // "unknown": the vendor may have sent it
 */
export interface TimeoutFailure extends FailureBase {
  readonly kind: "timeout";
  readonly timeoutMs: number;
}

/**
 * The token store you gave (a client's `tokenStore`, for a vendor that renews tokens) threw or rejected, so no token and nothing sent.
 *
 * @example
 * if (outcome.kind === "token_store") console.error("the token store failed:", outcome.message);
 */
export interface TokenStoreFailure extends FailureBase {
  readonly kind: "token_store";
  readonly delivery: "not_sent";
  readonly cause: { readonly name: string; readonly message: string };
}

/**
 * The caller's `AbortSignal` fired.
 *
 * @example
 * const controller = new AbortController();
 * const outcome = await client.send(message, { signal: controller.signal });
 * if (outcome.kind === "aborted") console.log("stopped; delivery:", outcome.delivery);
 */
export interface AbortedFailure extends FailureBase {
  readonly kind: "aborted";
}

/**
 * The first send with this `idempotencyKey` is still running (or the ledger could not be asked): nothing was
 * sent now; ask again after `retryAfter` seconds with the same key for the first send's outcome.
 *
 * @example
 * if (outcome.kind === "idempotency_in_flight") setTimeout(() => client.send(message, { idempotencyKey }), outcome.retryAfter * 1000);
 */
export interface IdempotencyInFlight extends FailureBase {
  readonly kind: "idempotency_in_flight";
  readonly retryable: true;
  readonly delivery: "not_sent";
  readonly retryAfter: number;
}

/**
 * This `idempotencyKey` was used for a different request; nothing was sent.
 *
 * @example
 * if (outcome.kind === "idempotency_key_reused") throw new Error(`key ${idempotencyKey} was used for another message`);
 */
export interface IdempotencyKeyReused extends FailureBase {
  readonly kind: "idempotency_key_reused";
  readonly retryable: false;
  readonly delivery: "not_sent";
}

/**
 * Every way a send can fail, told apart by `kind`; each says whether a retry is safe and whether the email may
 * have gone out.
 *
 * @example
 * function describe(failure: Failure): string {
 *   return `${failure.vendor} ${failure.kind}: ${failure.message} (retryable: ${failure.retryable})`;
 * }
 */
export type Failure =
  | ValidationFailure
  | AuthFailure
  | RateLimited
  | Rejected
  | VendorServerError
  | NetworkFailure
  | TimeoutFailure
  | TokenStoreFailure
  | AbortedFailure
  | IdempotencyInFlight
  | IdempotencyKeyReused;

/**
 * The `kind` of a failed send: `validation`, `auth`, `rate_limited`, `rejected`, `server_error`, `network`, ….
 *
 * @example
 * const kind: FailureKind = "rate_limited";
 */
export type FailureKind = Failure["kind"];

/**
 * The result of every send: `Sent<T>` or one of the `Failure` kinds.
 *
 * @example
 * switch (outcome.kind) {
 *   case "sent": break;
 *   case "validation": showErrors(outcome.issues); break;
 *   default: if (outcome.retryable) await retryLater(outcome.retryAfter ?? 30);
 * }
 */
export type Outcome<T> = Sent<T> | Failure;

/** Every failure kind, for exhaustive handling (the worker maps each to an HTTP status). */
export const failureKinds: readonly FailureKind[] = [
  "validation",
  "auth",
  "rate_limited",
  "rejected",
  "server_error",
  "network",
  "timeout",
  "token_store",
  "aborted",
  "idempotency_in_flight",
  "idempotency_key_reused",
];

/**
 * A vendor's answer, as mapped by its response mapper before the core adds `vendor` and `attempts`.
 * `ok: true` answers become `Sent`.
 */
export type Answer<T> =
  | { readonly ok: true; readonly status: number; readonly data: T; readonly ids?: readonly string[] }
  | DistributiveOmit<Exclude<Failure, ValidationFailure | IdempotencyInFlight | IdempotencyKeyReused>, "vendor" | "attempts" | "ok">;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
