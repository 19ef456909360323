/**
 * Credentials as they travel: checked once when a client is made (a value no HTTP header can carry would fail
 * every send, and `Headers` would quote it in the error), and encoded with every form they take registered for
 * redaction.
 */
import { textToBase64 } from "./base64.ts";

/**
 * A client was created with options it cannot work with. The message names the option, never its value.
 *
 * @example
 * try {
 *   createAcmeClient({ baseUrl: "not a url", apiKey });
 * } catch (error) {
 *   if (error instanceof TxgateConfigError) console.error(error.message); // names baseUrl, never the token
 * }
 */
export class TxgateConfigError extends TypeError {
  override name = "TxgateConfigError";
}

/** Printable ASCII without spaces: what a token may hold in a header. */
export const HEADER_TOKEN = /^[!-~]+$/;
/** Any text without control characters: what a user name may hold inside Basic credentials. */
export const HEADER_TEXT = /^[^\0-\x1F\x7F]+$/;

/** Any text at all, for a credential that travels encoded (a form field) and so only has to be there. */
export const ANY_TEXT = /^[^]+$/;

/**
 * Throws `TxgateConfigError` unless every named value is a string matching its pattern: the one credential check
 * of every client. The message names the options, never their values.
 */
export function requireCredentials(client: string, checks: Record<string, [unknown, RegExp]>): void {
  const bad = Object.entries(checks).filter(([, [value, pattern]]) => typeof value !== "string" || !pattern.test(value));
  if (bad.length) {
    throw new TxgateConfigError(`${client}: ${bad.map(([name]) => name).join(", ")} missing, or holding characters it cannot travel with`);
  }
}

/**
 * Whether a URL carries user info (`https://user:password@host`): a credential there would show wherever the URL
 * does (logs, traces, error messages), so clients and the worker refuse it and take credentials from their own
 * settings. Text that is not a URL is judged by its authority alone.
 *
 * @example
 * holdsUserInfo("https://api:s3cret@lists.example.com"); // true
 * holdsUserInfo("https://lists.example.com/api"); // false
 */
export function holdsUserInfo(url: unknown): boolean {
  if (typeof url !== "string") return false;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return true;
  } catch {
    // Not a URL: fall through to the authority's spelling, so no way of writing user info slips past.
  }
  return /^[a-z][a-z0-9+.-]*:\/*[^/?#]*@/i.test(url.trim());
}

/** `Authorization: Basic …` for `username:secret`, and every spelling of the secret to redact. */
export function basicAuthorization(username: string, secret: string): { header: string; secrets: string[] } {
  const pair = `${username}:${secret}`;
  const encoded = textToBase64(pair);
  return { header: `Basic ${encoded}`, secrets: [secret, pair, encoded] };
}
