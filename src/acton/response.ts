/**
 * Act-On's answers to typed outcomes. Three body shapes carry errors: the ETE service's `{errorName, message}`,
 * the API gateway's `{httpCode, httpMessage, moreInformation}` and the token endpoint's `{error,
 * error_description}`. Suppressed recipients come back as a list, in a 400 (nothing sent) or a 200.
 */
import type { Answer, Outcome } from "../core/outcome.ts";
import { asSentRecipients, defaultFailure, messageOf, recipientsRefused, type VendorSaid } from "../core/response.ts";
import type { components } from "../../generated/acton.ts";

/**
 * Act-On's answer to an accepted send: `{success, message, suppressedRecipients}`.
 *
 * @example
 * if (outcome.ok) console.log(outcome.data.message); // "Email Sent Successfully"
 */
export type EteSuccess = components["schemas"]["EteSuccess"];
export type TokenResponse = components["schemas"]["TokenResponse"];

/** What any of Act-On's error bodies says. */
function said(body: unknown): VendorSaid {
  if (!body || typeof body !== "object") return { vendorMessage: messageOf(body), details: body };
  const { errorName, error } = body as Record<string, unknown>;
  const code = typeof errorName === "string" ? errorName.replace(/:$/, "") : error;
  return {
    vendorCode: typeof code === "string" ? code : undefined,
    vendorMessage: messageOf(body) ?? messageOf(body, "error_description") ?? messageOf(body, "httpMessage"),
    details: body,
  };
}

/**
 * An ETE answer. A non-empty `suppressedRecipients` is a rejection naming those addresses: `not_sent` in a
 * 400 or when it covers every recipient, `partial` in a 200 that went to the others.
 */
export function mapEteResponse(
  status: number,
  body: unknown,
  headers: Headers,
  recipients: readonly string[],
): Answer<EteSuccess> {
  const answer = (body && typeof body === "object" ? body : {}) as Partial<EteSuccess>;
  // Whatever the list holds is named (JSON, so it can be shown): a malformed entry must not hide a suppression.
  const listed: unknown[] = Array.isArray(answer.suppressedRecipients) ? answer.suppressedRecipients : [];
  const suppressed = listed.map((address) => (typeof address === "string" ? address : JSON.stringify(address)));
  if (status === 200 && body === answer && !suppressed.length && answer.success !== false) {
    return { ok: true, status, data: answer as EteSuccess };
  }
  if ((status === 200 || status === 400) && suppressed.length) {
    const refused = new Set(suppressed.map((address) => address.toLowerCase()));
    const sentToOthers = status === 200 && answer.success !== false && recipients.some((r) => !refused.has(r.toLowerCase()));
    const vendorMessage = messageOf(body);
    // As the caller spelled them, whatever case Act-On answers in.
    const failedRecipients = asSentRecipients(suppressed, recipients);
    const others = sentToOthers ? "; sent to the other recipients" : "";
    const message = `${status} ${vendorMessage ?? "suppressed"}: ${failedRecipients.join(", ")}${others}`;
    return recipientsRefused(status, { vendorMessage, details: body }, failedRecipients, sentToOthers, message);
  }
  // 401 auth, 429 and 503 retryable, 500 (EmailServiceException) and other 5xx not retryable, 400s rejected.
  return defaultFailure(status, said(body), headers);
}

/**
 * A token answer: a token pair, or Act-On's `{error, error_description}` (401 client, 403 grant). No email
 * travels with a token request, so every failure here is `not_sent`, and a retry risks no duplicate: it is
 * retryable unless the answer proves the credentials or the configuration wrong.
 */
export function mapTokenResponse(status: number, body: unknown, headers: Headers): Answer<TokenResponse> {
  const token = body as Partial<TokenResponse> | undefined;
  if (status === 200 && typeof token?.access_token === "string" && typeof token.refresh_token === "string") {
    return { ok: true, status, data: token as TokenResponse };
  }
  const failure = defaultFailure(status, said(body), headers) as Exclude<Answer<never>, { ok: true }>;
  if (failure.kind === "auth" || failure.kind === "rate_limited") return failure;
  // Act-On's token endpoint answers a token pair or one of its documented errors; a 2xx without a pair, a
  // redirect or another 4xx (a 404 from a wrong `baseUrl`) says this is not that endpoint, or not a request it
  // takes: the same request can only get the same answer.
  const misconfigured = status < 500;
  const elsewhere = status < 400 || status === 404 || status === 405;
  return {
    ...failure,
    ...(elsewhere ? { message: `${failure.message} (is baseUrl Act-On's API gateway?)` } : {}),
    retryable: !misconfigured,
    delivery: "not_sent",
  } as Answer<TokenResponse>;
}

/**
 * A 401 a new access token may fix: the gateway's bad-token answer or the ETE service's "Unauthorized
 * Request". "Account Temporarily Suspended" is not: a new token cannot lift a suspension.
 */
export function isRefusedToken(outcome: Outcome<unknown>): boolean {
  return !outcome.ok && outcome.kind === "auth" && outcome.status === 401 && !/suspended/i.test(outcome.vendorMessage ?? "");
}

/** Act-On refused the refresh token (unknown, expired or already used): only a password grant can help. */
export function isRefusedGrant(outcome: Outcome<unknown>): boolean {
  return !outcome.ok && outcome.kind === "auth" && outcome.vendorCode === "invalid_grant";
}
