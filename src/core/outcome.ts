/**
 * The one result type every txgate send returns. Sends never reject: every vendor answer, network failure,
 * timeout and abort becomes a value of `Outcome`, so a `switch (outcome.kind)` is the whole error handling.
 */

import type { RegisteredVendorName } from "../vendors/registry.ts";

/**
 * The vendors txgate speaks to: the names in the registry (`src/vendors/registry.ts`). A type only: core imports
 * no vendor's code, and learns the names from the registry above it.
 */
export type VendorName = RegisteredVendorName;

/**
 * Whether an email may have gone out.
 * - `not_sent`: the vendor certainly did not accept the message (validation, refused connection, 429, 503).
 * - `unknown`: the request may have reached the vendor; retrying could send the email twice.
 * - `partial`: the vendor accepted it for some recipients and refused it for others.
 */
export type Delivery = "not_sent" | "unknown" | "partial";

/** The vendor accepted the message. `data` is the vendor's parsed response body. */
export interface Sent<T> {
  readonly ok: true;
  readonly kind: "sent";
  readonly vendor: VendorName;
  readonly status: number;
  readonly data: T;
  /**
   * The vendor's ids for what it accepted, where it returns any, whatever the vendor: Everlytic's transaction ids
   * (one per recipient), ExpertSender's message GUID (when `ReturnGuid` was set). Absent for Act-On and listmonk.
   */
  readonly ids?: readonly string[];
  /** How many HTTP attempts the send took (1 unless a retry happened). */
  readonly attempts: number;
}

/**
 * One field that broke one rule. `path` says where in the input: keys and array indexes joined by dots
 * (`subscriber_emails.1`), except a key that is empty or holds a `.`, `[`, `]`, `"`, `\`, a space or an invisible
 * character, which is written in brackets as a JSON string (`headers.0[""]`, `data["a.b"]`); `""` is the input itself.
 */
export interface ValidationIssue {
  readonly path: string;
  /** The rule's name: a valibot action type (`email`, `max_length`, ...) or a vendor rule (`listmonk_mode`, ...). */
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

/** The input broke a documented rule; nothing was sent. */
export interface ValidationFailure extends FailureBase {
  readonly kind: "validation";
  readonly issues: readonly ValidationIssue[];
  readonly delivery: "not_sent";
  readonly retryable: false;
}

/** The vendor refused the credentials (or the account is suspended). */
export interface AuthFailure extends FailureBase, VendorAnswer {
  readonly kind: "auth";
}

/**
 * The vendor asked us to slow down, or txgate held the request back to keep a limit the vendor documents.
 * `retryAfter` is in seconds when known.
 */
export interface RateLimited extends FailureBase, Omit<VendorAnswer, "status"> {
  readonly kind: "rate_limited";
  /** The vendor's HTTP status; absent when txgate held the request back itself and the vendor said nothing. */
  readonly status?: number;
  readonly retryAfter?: number;
}

/** The vendor understood the request and refused it (bad template, suppressed recipient, ...). */
export interface Rejected extends FailureBase, VendorAnswer {
  readonly kind: "rejected";
  /**
   * Recipients the vendor named as refused, spelled as you sent them; with `delivery: "partial"` the others were
   * accepted. Absent when the vendor refused without naming anyone: which recipients is then unknown, not none.
   */
  readonly failedRecipients?: readonly string[];
}

/** The vendor failed on its side (5xx). A 503's `Retry-After`, in seconds, is kept in `retryAfter`. */
export interface VendorServerError extends FailureBase, VendorAnswer {
  readonly kind: "server_error";
  readonly retryAfter?: number;
}

/** The request never got an HTTP answer. */
export interface NetworkFailure extends FailureBase {
  readonly kind: "network";
  readonly cause: { readonly name: string; readonly message: string };
}

/** No answer within the timeout. `delivery` says whether the email may have gone out (not when the request was for a token). */
export interface TimeoutFailure extends FailureBase {
  readonly kind: "timeout";
  readonly timeoutMs: number;
}

/** The token store you gave (Act-On's `tokenStore`) threw or rejected, so no token and nothing sent. */
export interface TokenStoreFailure extends FailureBase {
  readonly kind: "token_store";
  readonly delivery: "not_sent";
  readonly cause: { readonly name: string; readonly message: string };
}

/** The caller's `AbortSignal` fired. */
export interface AbortedFailure extends FailureBase {
  readonly kind: "aborted";
}

/**
 * The first send with this `idempotencyKey` is still running (or the ledger could not be asked): nothing was
 * sent now; ask again after `retryAfter` seconds with the same key for the first send's outcome.
 */
export interface IdempotencyInFlight extends FailureBase {
  readonly kind: "idempotency_in_flight";
  readonly retryable: true;
  readonly delivery: "not_sent";
  readonly retryAfter: number;
}

/** This `idempotencyKey` was used for a different request; nothing was sent. */
export interface IdempotencyKeyReused extends FailureBase {
  readonly kind: "idempotency_key_reused";
  readonly retryable: false;
  readonly delivery: "not_sent";
}

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

export type FailureKind = Failure["kind"];

/** The result of every send: `Sent<T>` or one of the `Failure` kinds. */
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
