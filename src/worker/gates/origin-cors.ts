/**
 * Origins and CORS. Only the browser route speaks CORS, and only to origins on the exact-match allow-list
 * (`https://shop.example`, never a pattern): no wildcard, no reflected origin, no credentials mode.
 */
import { Refusal } from "../problem.ts";

/** Request headers a browser may send to the browser route. */
export const BROWSER_REQUEST_HEADERS = ["content-type", "authorization", "x-turnstile-token", "idempotency-key", "prefer"] as const;
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The request's `Origin`, when it is on the allow-list; otherwise a `forbidden_origin` refusal. A request
 * without `Origin` is refused too: every browser sends one with a cross-origin POST, so its absence means a
 * script, which has no business on the browser route.
 *
 * @example
 * const origin = requireAllowedOrigin(request, config.origins);
 */
export function requireAllowedOrigin(request: Request, origins: ReadonlySet<string>): string {
  const origin = request.headers.get("origin");
  if (origin === null) throw new Refusal("forbidden_origin", "the browser route needs an Origin header");
  if (!origins.has(origin)) throw new Refusal("forbidden_origin", `${printable(origin)} is not an allowed origin`);
  return origin;
}

/**
 * Refuses browsers on a trusted (server-to-server) route: a request with `Origin` comes from a page, and a
 * caller key in a page is a leaked key.
 *
 * @example
 * refuseBrowsers(request);
 */
export function refuseBrowsers(request: Request): void {
  if (request.headers.has("origin")) {
    throw new Refusal("forbidden_origin", "this route is for servers; browsers use POST /v1/actions");
  }
}

/**
 * Answers a CORS preflight for the browser route: 204 for an allowed origin asking for POST with allowed
 * headers, a refusal otherwise.
 *
 * @example
 * if (request.method === "OPTIONS") return preflight(request, config.origins);
 */
export function preflight(request: Request, origins: ReadonlySet<string>): Response {
  const origin = requireAllowedOrigin(request, origins);
  const method = request.headers.get("access-control-request-method");
  if (method !== "POST") throw new Refusal("method_not_allowed", `preflight for ${printable(method ?? "no method")}: only POST is allowed`, { headers: { allow: "POST, OPTIONS" } });
  const asked = (request.headers.get("access-control-request-headers") ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const refused = asked.filter((name) => !(BROWSER_REQUEST_HEADERS as readonly string[]).includes(name));
  if (refused.length) throw new Refusal("forbidden_origin", `request headers not allowed: ${printable(refused.join(", "))}`);
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": BROWSER_REQUEST_HEADERS.join(", "),
      "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: "Origin",
    },
  });
}

/**
 * `response` with the CORS headers that let an allowed origin read it (problems included, so the page can show
 * why); unchanged for any other origin.
 *
 * @example
 * return withCors(response, request, config.origins);
 */
export function withCors(response: Response, request: Request, origins: ReadonlySet<string>): Response {
  const origin = request.headers.get("origin");
  const headers = new Headers(response.headers);
  headers.append("vary", "Origin");
  if (origin !== null && origins.has(origin) && !headers.has("access-control-allow-origin")) {
    headers.set("access-control-allow-origin", origin);
    // Location names a queued message (202); Idempotent-Replayed tells a repeated send from a first one.
    headers.set("access-control-expose-headers", "retry-after, txgate-sandbox, location, idempotent-replayed");
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A header value quoted in a detail: shortened, and without control characters. */
export function printable(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
