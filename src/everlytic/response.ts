/**
 * Everlytic's answers to typed outcomes. Every documented error body is `{code, message, error: {errors: [...]}}`;
 * the `reason` of its errors says more than the status (the page lists reasons without their status codes),
 * so reasons are read first and the status decides the rest.
 */
import type { Answer } from "../core/outcome.ts";
import { defaultFailure, messageOf } from "../core/response.ts";
import { parseRetryAfter } from "../core/retry.ts";
import type { components } from "../../generated/everlytic.ts";

/**
 * The 200 body: one transaction id per recipient (to, cc and bcc). Ids look like UUIDs but are not strictly hex.
 *
 * @example
 * const outcome = await everlytic.sendMessage(message);
 * if (outcome.ok) console.log(outcome.ids); // the same transaction ids, one per recipient
 */
export type SendMailSuccess = components["schemas"]["SendMailSuccess"];
type ErrorDetail = Partial<components["schemas"]["ErrorDetail"]>;

/** A 412's `message` is `{errors: {"headers.from.email": ["The headers.from.email format is invalid."]}}`. */
function readable(message: unknown): string | undefined {
  if (typeof message === "string") return message;
  const fields = (message as { errors?: unknown } | undefined)?.errors;
  if (!fields || typeof fields !== "object") return undefined;
  return Object.entries(fields)
    .flatMap(([field, texts]) =>
      (Array.isArray(texts) ? texts : [texts]).map((text) => (String(text).includes(field) ? String(text) : `${field}: ${text}`)),
    )
    .join("; ");
}

/** The addresses a text names, lower-cased: whole words only, so `ounced@example.com` is not read out of `bounced@example.com`. */
function addressesIn(text: string): Set<string> {
  const words = text.toLowerCase().split(/[\s,;:<>()[\]"]+/);
  return new Set(words.map((word) => word.replace(/^'+|['.]+$/g, "")).filter((word) => word.includes("@")));
}

/**
 * Maps one HTTP answer. `recipients` are the request's to, cc and bcc addresses, for naming the suppressed ones.
 *
 * @example
 * mapEverlyticResponse(200, { transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] }, new Headers(), ["joe@example.com"]);
 */
export function mapEverlyticResponse(
  status: number,
  body: unknown,
  headers: Headers,
  recipients: readonly string[],
): Answer<SendMailSuccess> {
  if (status === 200 && Array.isArray((body as Partial<SendMailSuccess> | undefined)?.transactions)) {
    const data = body as SendMailSuccess;
    return { ok: true, status, data, ids: data.transactions.flatMap((transaction) => (typeof transaction?.id === "string" ? [transaction.id] : [])) };
  }
  const listed = (body as { error?: { errors?: unknown } } | undefined)?.error?.errors;
  const errors: ErrorDetail[] = Array.isArray(listed) ? listed : [];
  const find = (reason: string) => errors.find((error) => error.reason === reason || error.domain === reason);
  const said = {
    vendorCode: errors[0]?.reason,
    vendorMessage: readable((body as { message?: unknown } | undefined)?.message) ?? readable(errors[0]?.message) ?? messageOf(body),
    details: body,
  };
  const failure = defaultFailure(status, said, headers);
  // Out of credits: the account owner has to top up, so waiting and retrying cannot help (and a
  // rate_limited outcome would invite exactly that). RequestLimit is the vendor's "slow down": nothing was
  // sent and a later attempt can succeed.
  const quota = find("NoQuota");
  const limit = find("RequestLimit") ?? find("usageLimit");
  const forbidden = find("ForbiddenAccess");
  const suppressed = find("Suppressed");
  const hit = quota ?? limit ?? forbidden ?? suppressed;
  if (status < 400 || !hit) return failure;
  // Suppression is checked before sending ("suppressionValidation") and no transaction id comes back, so nobody
  // got the email; the recipients the error names are the ones to drop before sending again. An error that
  // names none leaves which ones unknown: no `failedRecipients`, and the message says so.
  const named = hit === suppressed ? addressesIn(`${readable(hit.message)} ${hit.location}`) : new Set<string>();
  const failedRecipients = recipients.filter((email) => named.has(email.toLowerCase()));
  const { message } = failure as { message: string };
  return {
    ...said,
    status,
    vendorCode: hit.reason,
    message: hit === suppressed && !failedRecipients.length ? `${message}; Everlytic did not say which recipient is suppressed` : message,
    kind: hit === limit ? "rate_limited" : hit === forbidden ? "auth" : "rejected",
    retryable: hit === limit,
    delivery: "not_sent",
    ...(hit === limit ? { retryAfter: parseRetryAfter(headers.get("retry-after")) } : {}),
    ...(failedRecipients.length ? { failedRecipients } : {}),
  } as Answer<SendMailSuccess>;
}
