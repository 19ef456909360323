/**
 * What every vendor's response mapper starts from: the body as parsed as it can be, and the status classes
 * whose meaning does not depend on the vendor.
 */
import type { Answer } from "./outcome.ts";
import { parseRetryAfter } from "./retry.ts";

/** The result of an openapi-fetch call made with `parseAs: "text"`. */
export interface TextResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The response body: parsed JSON where it is JSON, else the text (an XML document, an HTML error page), else
 * `undefined` for an empty body. A leading UTF-8 byte-order mark is dropped.
 */
export function responseBody(result: TextResult): unknown {
  // openapi-fetch hands error bodies over already JSON-parsed when they parse.
  const raw = result.response.ok ? result.data : result.error;
  if (typeof raw !== "string") return raw;
  const text = raw.replace(/^\uFEFF/, "");
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a vendor said about a failure, for `defaultFailure`. */
export interface VendorSaid {
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  readonly details?: unknown;
}

/**
 * The failure an HTTP status means when the vendor's body says nothing more specific:
 * 401/403 auth; 429 rate limited and 503 unavailable (both retryable, nothing was sent); any other 5xx a
 * server error that may have sent the email; any other status a rejection.
 */
export function defaultFailure(status: number, said: VendorSaid, headers?: Headers): Answer<never> {
  const message = `${status} ${said.vendorCode ? `${said.vendorCode}: ` : ""}${said.vendorMessage ?? "(no message)"}`;
  const base = { status, ...said, message };
  if (status === 401 || status === 403) return { ...base, kind: "auth", retryable: false, delivery: "not_sent" };
  if (status === 429) {
    return {
      ...base,
      kind: "rate_limited",
      retryAfter: parseRetryAfter(headers?.get("retry-after") ?? null),
      retryable: true,
      delivery: "not_sent",
    };
  }
  if (status === 503) {
    const retryAfter = parseRetryAfter(headers?.get("retry-after") ?? null);
    return { ...base, kind: "server_error", retryable: true, delivery: "not_sent", ...(retryAfter === undefined ? {} : { retryAfter }) };
  }
  if (status >= 500 || (status >= 200 && status < 300)) {
    return { ...base, kind: "server_error", retryable: false, delivery: "unknown" };
  }
  return { ...base, kind: "rejected", retryable: false, delivery: "not_sent" };
}

/**
 * A refusal of named recipients: `partial` when the request went to the others, else `not_sent`. Never retryable:
 * the same recipients would be refused again.
 */
export function recipientsRefused(status: number, said: VendorSaid, failedRecipients: readonly string[], sentToOthers: boolean, message: string): Answer<never> {
  return { status, ...said, kind: "rejected", failedRecipients, retryable: false, delivery: sentToOthers ? "partial" : "not_sent", message };
}

/**
 * The recipients a vendor named, spelled as the caller sent them: vendors trim and lower-case an address before
 * they look it up, and name it that way. Each recipient answers for one name, in order, so the same address sent
 * twice in two spellings comes back as both; a name that matches no recipient stays as the vendor wrote it.
 */
export function asSentRecipients(named: readonly string[], recipients: readonly string[]): string[] {
  const unclaimed = [...recipients];
  return named.map((name) => {
    const index = unclaimed.findIndex((recipient) => recipient.trim().toLowerCase() === name.trim().toLowerCase());
    return index < 0 ? name : unclaimed.splice(index, 1)[0]!;
  });
}

/** The `message` string of a JSON error body, or the start of a text body. */
export function messageOf(body: unknown, field = "message"): string | undefined {
  if (typeof body === "string") return body.slice(0, 300);
  const value = body && typeof body === "object" ? (body as Record<string, unknown>)[field] : undefined;
  return typeof value === "string" ? value : undefined;
}
