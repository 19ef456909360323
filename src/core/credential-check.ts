/**
 * Whether a vendor accepts a client's credentials, learned without sending an email: each vendor reads the
 * cheapest authenticated thing it documents (a GET that needs the send's credentials and changes nothing), or
 * says why it cannot. Never rejects, never throws, never holds a secret.
 */
import { deliver } from "./deliver.ts";
import { createVendorHttpClient, type Authorize } from "./http-client.ts";
import { resolveOptions, type CommonClientOptions } from "./options.ts";
import type { Answer, Outcome, VendorName } from "./outcome.ts";
import type { Redactor } from "./redact.ts";
import { defaultFailure, responseBody, type TextResult } from "./response.ts";

/**
 * The result of a credential check, told apart by `kind`:
 * - `ok`: the vendor accepted the credentials.
 * - `refused`: the vendor refused them (401/403): a send would be refused too.
 * - `unreachable`: no answer (timeout, network failure, aborted): nothing is known of the credentials.
 * - `error`: an answer that says nothing of the credentials (5xx, 404, 429, a token store that failed).
 * - `skipped`: the check would have cost what sends need (a rationed login the hour cannot spare); nothing was asked.
 * - `unsupported`: the vendor documents no read the check could make without sending.
 *
 * `requests` counts the HTTP requests the check made to the vendor (0 when it answered from what it holds).
 *
 * @example
 * const check = await client.checkCredentials({ timeoutMs: 5_000 });
 * if (check.kind === "refused") alertOperator(`${check.vendor}: ${check.message}`);
 */
export type CredentialCheck = CredentialsAccepted | CredentialsRefused | CredentialCheckFailed | CredentialCheckSkipped | CredentialCheckUnsupported;

interface CheckBase {
  readonly vendor: VendorName;
  /** One credential-free line: what was asked and what the vendor said. */
  readonly message: string;
  /** HTTP requests made to the vendor for this check. */
  readonly requests: number;
}

/**
 * The vendor accepted the credentials.
 *
 * @example
 * if (check.kind === "ok") console.log(check.vendor, check.message); // "GET /api/profile answered 200: credentials accepted"
 */
export interface CredentialsAccepted extends CheckBase {
  readonly kind: "ok";
  /** The vendor's HTTP status, when a request was made. */
  readonly status?: number;
}

/**
 * The vendor refused the credentials (401 or 403).
 *
 * @example
 * if (check.kind === "refused") console.error(check.status, check.vendorMessage);
 */
export interface CredentialsRefused extends CheckBase {
  readonly kind: "refused";
  readonly status: number;
  readonly vendorMessage?: string;
}

/**
 * The check got no answer about the credentials: `unreachable` (timeout, network, aborted) or `error` (any other
 * answer: a 5xx, a 404 from a wrong base URL, a 429).
 *
 * @example
 * if (check.kind === "unreachable") console.warn(`${check.vendor} did not answer: ${check.message}`);
 */
export interface CredentialCheckFailed extends CheckBase {
  readonly kind: "unreachable" | "error";
  readonly status?: number;
}

/**
 * The check asked nothing, because asking would spend what sends need; `retryAfter` (seconds) says when it could.
 *
 * @example
 * if (check.kind === "skipped") console.log(check.message, check.retryAfter);
 */
export interface CredentialCheckSkipped extends CheckBase {
  readonly kind: "skipped";
  readonly retryAfter?: number;
  readonly requests: 0;
}

/**
 * The vendor documents no read that needs the send's credentials: checking would mean sending an email.
 *
 * @example
 * if (check.kind === "unsupported") console.log(check.message);
 */
export interface CredentialCheckUnsupported extends CheckBase {
  readonly kind: "unsupported";
  readonly requests: 0;
}

/**
 * What a credential check takes: the caller's signal and a timeout in ms for the whole check (default
 * `CREDENTIAL_CHECK_TIMEOUT_MS`, or the client's `timeoutMs` when that is shorter).
 *
 * @example
 * await client.checkCredentials({ signal: request.signal, timeoutMs: 3_000 });
 */
export interface CheckCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** A check's default timeout: an operator waits on it, and a read that takes longer says little of the credentials. */
export const CREDENTIAL_CHECK_TIMEOUT_MS = 5_000;

/** The check's timeout: the caller's, else the shorter of the client's and the default. */
export function checkTimeoutMs(client: Pick<CommonClientOptions, "timeoutMs">, call: CheckCallOptions | undefined): number {
  return call?.timeoutMs ?? Math.min(client.timeoutMs ?? CREDENTIAL_CHECK_TIMEOUT_MS, CREDENTIAL_CHECK_TIMEOUT_MS);
}

/** A check's whole span: the caller's signal, and its timeout over everything (a pacer's or token store's wait too). */
export interface CheckDeadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** The check as it ended, told as a timeout when the deadline (not the caller) stopped it. */
  settle(check: CredentialCheck): CredentialCheck;
}

/**
 * The deadline of one check: `timeoutMs` bounds each request as a send's timeout does, and the signal aborts
 * whatever the check still waits on when it runs out.
 *
 * @example
 * const deadline = checkDeadline(options, call);
 * return deadline.settle(await check(deadline.signal, deadline.timeoutMs));
 */
export function checkDeadline(client: Pick<CommonClientOptions, "timeoutMs">, call: CheckCallOptions | undefined): CheckDeadline {
  const timeoutMs = checkTimeoutMs(client, call);
  const timer = AbortSignal.timeout(timeoutMs);
  const signal = call?.signal ? AbortSignal.any([call.signal, timer]) : timer;
  return {
    signal,
    timeoutMs,
    settle: (check) =>
      check.kind === "unreachable" && timer.aborted && !call?.signal?.aborted ? { ...check, message: `${check.message.replace(/ was aborted by the caller$/, "")} got no answer within ${timeoutMs} ms` } : check,
  };
}

/**
 * A send's outcome (or a token request's) as a credential check: accepted, refused, or why neither is known.
 *
 * @example
 * return credentialCheckOf(await deliver(...), "GET /api/profile");
 */
export function credentialCheckOf(outcome: Outcome<unknown>, asked: string, requests = outcome.attempts): CredentialCheck {
  const { vendor } = outcome;
  if (outcome.ok) return { kind: "ok", vendor, status: outcome.status, requests, message: `${asked} answered ${outcome.status}: credentials accepted` };
  switch (outcome.kind) {
    case "auth":
      return {
        kind: "refused",
        vendor,
        status: outcome.status,
        ...(outcome.vendorMessage === undefined ? {} : { vendorMessage: outcome.vendorMessage }),
        requests,
        message: `${asked} was refused: ${outcome.message}`,
      };
    // A send's wording ("nothing was sent") would mislead here: the check says what stopped it.
    case "timeout":
      return { kind: "unreachable", vendor, requests, message: `${asked} got no answer within ${outcome.timeoutMs} ms` };
    case "network":
      return { kind: "unreachable", vendor, requests, message: `${asked} could not reach the vendor: ${outcome.cause.message}` };
    case "aborted":
      return { kind: "unreachable", vendor, requests, message: `${asked} was aborted by the caller` };
    default:
      return {
        kind: "error",
        vendor,
        ...("status" in outcome && typeof outcome.status === "number" ? { status: outcome.status } : {}),
        requests,
        message: `${asked} said nothing of the credentials (${outcome.kind}): ${outcome.message}`,
      };
  }
}

/** One authenticated read, as a vendor's client describes it to `checkByRead`; `Paths` is its generated `paths`. */
export interface CredentialRead<Paths> {
  readonly vendor: VendorName;
  /** The client's options: base URL, fetch, middleware. Its retries and logger are not used: a check is one request. */
  readonly options: CommonClientOptions;
  readonly redactor: Redactor;
  /** Puts the send's credentials on the request, as the client's sends do. */
  readonly authorize: Authorize;
  /** A path of the vendor's spec (its generated `paths`) that answers `GET`. */
  readonly path: keyof Paths & string;
  readonly query?: Readonly<Record<string, string>>;
  /** The vendor's answer as an outcome; by default 2xx is accepted and the rest is `defaultFailure`. */
  readonly mapResponse?: (status: number, body: unknown, headers: Headers) => Answer<unknown> | Promise<Answer<unknown>>;
}

/**
 * Makes one authenticated `GET` and says what it proves of the credentials. One attempt (a check that is not
 * answered says `unreachable`; the operator asks again), unpaced (a read sends nothing), never logged as a send.
 *
 * @example
 * checkCredentials: (call) => checkByRead<paths>({ vendor, options, redactor, authorize, path: "/api/profile" }, call),
 */
export async function checkByRead<Paths extends {}>(read: CredentialRead<Paths>, call?: CheckCallOptions): Promise<CredentialCheck> {
  const resolved = resolveOptions(read.vendor, read.options);
  const once = { ...resolved, retry: { ...resolved.retry, retries: 0 }, logger: undefined, pace: undefined };
  const http = createVendorHttpClient<Record<string, unknown>>(read.options);
  const map = read.mapResponse ?? ((status: number, body: unknown, headers: Headers) => (status >= 200 && status < 300 ? { ok: true as const, status, data: undefined } : defaultFailure(status, { vendorMessage: messageText(body) }, headers)));
  const deadline = checkDeadline(read.options, call);
  const outcome = await deliver<unknown>(once, read.redactor, { signal: deadline.signal, timeoutMs: deadline.timeoutMs }, async (signal) => {
    const { GET } = http.authorizedBy(read.authorize) as unknown as { GET: (path: string, init: object) => Promise<TextResult> };
    const result = await GET(read.path, { params: { query: read.query }, parseAs: "text", signal });
    return map(result.response.status, responseBody(result), result.response.headers);
  });
  return deadline.settle(credentialCheckOf(outcome, `GET ${read.path}`));
}

/** A JSON error body's `message` when it is text, else the start of a text body. */
function messageText(body: unknown): string | undefined {
  if (typeof body === "string") return body.replace(/\s+/g, " ").trim().slice(0, 200) || undefined;
  const message = body && typeof body === "object" ? (body as Record<string, unknown>).message : undefined;
  return typeof message === "string" ? message : undefined;
}
