/**
 * Local development's pages and shortcuts (the outbox, the sandbox APIs, the demo, the Turnstile stand-in, the
 * local caller key) answer only to a request made to a loopback host. `request.url` alone cannot say so: under
 * `wrangler dev` a client's `MF-Original-URL` header rewrites both `request.url` and `Host` before the worker
 * sees them, so a page of a foreign site whose name resolves to 127.0.0.1 (DNS rebinding) could pass for
 * localhost. What such a page cannot forge are the headers its browser adds: `Origin` and `Referer` name the
 * page's own (foreign) origin, and `Sec-Fetch-Site` says a page sent the request. So a request from a page must
 * also name a loopback origin; one a person typed (`Sec-Fetch-Site: none`) or a command-line client sent is
 * judged by its URL and `Host`.
 */

const LOOPBACK_HOSTNAME = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/**
 * Whether `request` was made to a loopback host, by a command-line client or by a page on a loopback origin.
 *
 * @example
 * if (!isLoopbackRequest(request)) throw new Refusal("not_found", "no such route");
 */
export function isLoopbackRequest(request: Request): boolean {
  if (!isLoopbackUrl(request.url)) return false;
  const host = request.headers.get("host");
  if (host !== null && !isLoopbackUrl(`http://${host}`)) return false;
  // miniflare's routing headers (MF-Original-URL, MF-Route-Override, …) are consumed before a worker sees them;
  // one that reaches it was sent by a client trying to change what the request says about itself.
  for (const [name] of request.headers) if (name.startsWith("mf-")) return false;
  const origin = request.headers.get("origin");
  const referer = request.headers.get("referer");
  if (origin !== null && !isLoopbackUrl(origin)) return false;
  if (referer !== null && !isLoopbackUrl(referer)) return false;
  const site = request.headers.get("sec-fetch-site");
  // A page's request that names no origin at all (`referrerPolicy: "no-referrer"`) cannot show it is local.
  return site === null || site === "none" || origin !== null || referer !== null;
}

function isLoopbackUrl(text: string): boolean {
  try {
    return LOOPBACK_HOSTNAME.test(new URL(text).hostname);
  } catch {
    return false;
  }
}
