/**
 * The one error envelope of the worker (RFC 9457 `application/problem+json`). Every refusal by a gate and every
 * failed send answers with it, so a caller's error handling is one `switch (problem.kind)`.
 */
import type { Failure, FailureKind, ValidationIssue } from "../core/public.ts";
import type { GateKind, Problem, ProblemKind } from "../browser/problem.ts";

// The envelope's types are the wire contract, shared with the browser client that reads it.
export type { GateKind, Problem, ProblemKind };

const GATES: Record<GateKind, { status: number; title: string; retryable?: true }> = {
  forbidden_origin: { status: 403, title: "Origin not allowed" },
  unauthenticated: { status: 401, title: "Not authenticated" },
  forbidden_vendor: { status: 403, title: "Vendor not allowed for this key" },
  forbidden_recipient: { status: 403, title: "Recipient not allowed" },
  rate_limited: { status: 429, title: "Too many requests", retryable: true },
  payload_too_large: { status: 413, title: "Body too large" },
  unsupported_media_type: { status: 415, title: "Body must be application/json" },
  unknown_action: { status: 400, title: "Unknown action" },
  validation: { status: 422, title: "Invalid request" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  not_found: { status: 404, title: "Not found" },
  verification_unavailable: { status: 503, title: "Verification unavailable", retryable: true },
  not_configured: { status: 503, title: "Not configured" },
  misconfigured: { status: 500, title: "The worker's configuration is invalid" },
  internal: { status: 500, title: "Internal error" },
};

/**
 * The HTTP status of each library outcome. A vendor refusing *our* credentials is the deployment's fault, not
 * the caller's, so `auth` is 502, never 401 (which would tell a browser to sign in again).
 */
export const OUTCOME_STATUS: Record<FailureKind, number> = {
  validation: 422,
  rejected: 422,
  rate_limited: 429,
  auth: 502,
  server_error: 502,
  network: 502,
  timeout: 504,
  token_store: 503,
  aborted: 503,
  // The first request with the key is still being sent: the caller asks again later (RFC 9110 §15.5.10).
  idempotency_in_flight: 409,
  // The same key for another request: the request itself is wrong, not the server's state.
  idempotency_key_reused: 422,
};

const OUTCOME_TITLE: Record<FailureKind, string> = {
  validation: "Invalid message",
  rejected: "The email service refused the message",
  rate_limited: "The email service asked to slow down",
  auth: "The email service refused the worker's credentials",
  server_error: "The email service failed",
  network: "The email service could not be reached",
  timeout: "The email service did not answer in time",
  token_store: "The worker's token store failed",
  aborted: "The send was cancelled",
  idempotency_in_flight: "A request with this idempotency key is still being sent",
  idempotency_key_reused: "This idempotency key was used for a different request",
};

/** How to try the worker with nothing configured: said by the refusals a newcomer meets first. */
export const LOCAL_TRIAL = "To try the worker without credentials, run it with SANDBOX=true and no vendor credentials (npm start does)";

/**
 * A gate's refusal. Thrown by gates and turned into a response in one place (router.ts), so each route
 * reads as the list of its gates.
 *
 * @example
 * throw new Refusal("forbidden_origin", "https://evil.example is not an allowed origin");
 */
export class Refusal extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  /** Fields for the request's log line only (what an operator needs and the client must not see); never a secret. */
  readonly log: Record<string, unknown>;

  constructor(
    kind: GateKind,
    detail: string,
    extra: { issues?: readonly ValidationIssue[]; headers?: Record<string, string>; retryAfter?: number; log?: Record<string, unknown> } = {},
  ) {
    super(detail);
    const gate = GATES[kind];
    this.problem = {
      type: problemType(kind),
      title: gate.title,
      status: gate.status,
      detail,
      kind,
      retryable: gate.retryable ?? false,
      delivery: "not_sent",
      ...(extra.issues ? { issues: extra.issues } : {}),
      ...(extra.retryAfter === undefined ? {} : { retryAfter: extra.retryAfter }),
    };
    this.headers = extra.headers ?? {};
    this.log = extra.log ?? {};
  }
}

/** Who gets told how much about a vendor's failure. */
export type Audience = "caller" | "browser";

/**
 * The problem for a failed send. Trusted callers get the library's credential-free message and the vendor's
 * code; browsers get the kind and a generic detail only, since a vendor's words may name templates or
 * settings of the deployment. Vendor `details` (the raw body) reach nobody.
 *
 * @example
 * const problem = outcomeProblem(outcome, "browser");
 */
export function outcomeProblem(outcome: Failure, audience: Audience): Problem {
  const base = {
    type: problemType(outcome.kind),
    title: OUTCOME_TITLE[outcome.kind],
    status: OUTCOME_STATUS[outcome.kind],
    kind: outcome.kind,
    retryable: outcome.retryable,
    delivery: outcome.delivery,
    ...("retryAfter" in outcome && outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}),
  };
  if (audience === "browser") return { ...base, detail: OUTCOME_TITLE[outcome.kind] };
  return {
    ...base,
    detail: outcome.message,
    vendor: outcome.vendor,
    ...(outcome.kind === "validation" ? { issues: outcome.issues } : {}),
    ...("vendorCode" in outcome && outcome.vendorCode !== undefined ? { vendorCode: outcome.vendorCode } : {}),
    ...(outcome.kind === "rejected" && outcome.failedRecipients ? { failedRecipients: outcome.failedRecipients } : {}),
  };
}

/**
 * The `application/problem+json` response for a problem.
 *
 * @example
 * return problemResponse(new Refusal("not_found", "no route for GET /x").problem);
 */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const answer = problemAnswer(problem, headers);
  return new Response(answer.body, answer);
}

/**
 * What `problemResponse` answers, as data: its status, headers and body text (what an idempotency ledger stores).
 *
 * @example
 * const { status, headers, body } = problemAnswer(new Refusal("not_found", "no such route").problem);
 */
export function problemAnswer(problem: Problem, headers: Record<string, string> = {}): { readonly status: number; readonly headers: Record<string, string>; readonly body: string } {
  const all: Record<string, string> = { "content-type": "application/problem+json", "cache-control": "no-store", ...headers };
  if (problem.retryAfter !== undefined) all["retry-after"] = String(Math.ceil(problem.retryAfter));
  return { status: problem.status, headers: all, body: JSON.stringify(problem) };
}

function problemType(kind: ProblemKind): string {
  return `urn:txgate:problem:${kind}`;
}
