/**
 * The worker's wire contract with callers: the `application/problem+json` body of every failure. Shared by the
 * worker, which writes it, and the browser client, which reads it.
 */
import type { Delivery, FailureKind, ValidationIssue } from "../core/public.ts";

/**
 * Why a worker gate refused a request before any vendor was called.
 *
 * @example
 * if (!outcome.ok && outcome.kind === "unauthenticated") resetTurnstileWidget(); // the token was refused
 */
export type GateKind =
  | "forbidden_origin"
  | "unauthenticated"
  | "forbidden_vendor"
  | "forbidden_recipient"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unknown_action"
  | "validation"
  | "method_not_allowed"
  | "not_found"
  | "verification_unavailable"
  | "not_configured"
  | "misconfigured"
  | "internal";

/**
 * Every `kind` a problem can carry: a gate's, or the library's outcome kind for a failed send.
 *
 * @example
 * const kind: ProblemKind = "rate_limited";
 */
export type ProblemKind = GateKind | FailureKind;

/**
 * The body of every failure the worker answers.
 *
 * @example
 * { "type": "urn:txgate:problem:rate_limited", "title": "Too many requests", "status": 429,
 *   "detail": "try again in 60 s", "kind": "rate_limited", "retryable": true, "delivery": "not_sent" }
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly kind: ProblemKind;
  /** Whether the same request may succeed later without risking a second email. */
  readonly retryable: boolean;
  /** Whether an email may have gone out: gates always answer `not_sent`. */
  readonly delivery: Delivery;
  /** Each field that broke a rule (validation only). */
  readonly issues?: readonly ValidationIssue[];
  /** Trusted callers only: what the library reported about a vendor's refusal. */
  readonly vendor?: string;
  readonly vendorCode?: string;
  readonly failedRecipients?: readonly string[];
  readonly retryAfter?: number;
}
