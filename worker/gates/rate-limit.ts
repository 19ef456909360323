/**
 * The Workers Rate Limiting binding, keyed by who is asking: a signed-in user's subject, an anonymous
 * browser's IP address, or a trusted caller's key id.
 */
import type { RateLimiter } from "../env.ts";
import { Refusal } from "../problem.ts";

/**
 * Counts one request against `key`; a `rate_limited` refusal (with `Retry-After`) when the key is over its limit.
 *
 * @example
 * await limitRate(env.BROWSER_RATE_LIMIT, `user:${user.subject}`);
 */
export async function limitRate(limiter: RateLimiter, key: string, periodSeconds = 60): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new Refusal("rate_limited", `too many requests; try again in ${periodSeconds} s`, {
      retryAfter: periodSeconds,
    });
  }
}

/**
 * The client's IP address as Cloudflare reports it. Without the header (a local run without it) every such
 * request shares one key, which limits them together rather than not at all.
 *
 * @example
 * await limitRate(env.BROWSER_RATE_LIMIT, `ip:${clientIp(request)}`);
 */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}
