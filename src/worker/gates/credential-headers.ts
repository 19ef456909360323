/**
 * A credential header sent twice reaches the worker as one value: `Headers.get` (and iterating the headers)
 * joins the copies with ", ". None of the credentials the worker reads can hold a comma (a Bearer token, a
 * Turnstile token, a caller key: CALLER_KEYS refuses keys with one), so a comma in one means it came more than
 * once, and which copy to believe is not for the worker to guess: it is refused, never forwarded.
 */
import { Refusal } from "../problem.ts";

/** The headers that carry a credential, as the client spells them in the refusal. */
export const CREDENTIAL_HEADERS = ["Authorization", "X-Turnstile-Token"] as const;

/** `Bearer <credentials>`: the scheme name is case-insensitive, and more than one space may follow it (RFC 9110 §11). */
const BEARER = /^bearer +(\S+)$/i;

/**
 * The credentials of `Authorization: Bearer <credentials>` (any case of `Bearer`), or `undefined`.
 *
 * @example
 * const presented = bearerCredentials(request);
 */
export function bearerCredentials(request: Request): string | undefined {
  return BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
}

/**
 * Refuses (401) a request that sends any credential header more than once.
 *
 * @example
 * refuseRepeatedCredentials(request);
 */
export function refuseRepeatedCredentials(request: Request): void {
  for (const name of CREDENTIAL_HEADERS) {
    if (request.headers.get(name)?.includes(",")) {
      throw new Refusal("unauthenticated", `send ${name} once, with one credential`, { headers: { "www-authenticate": 'Bearer realm="txgate"' } });
    }
  }
}
