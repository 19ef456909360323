/**
 * The Workers Rate Limiting binding, keyed by who is asking: a signed-in user's subject, an anonymous
 * browser's IP address (an IPv6 client by its /64, which one subscriber usually holds whole), or a trusted
 * caller's key id.
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

/** How long a client whose failed sign-ins went over the limit is refused without its token being looked at. */
const FAILURE_BLOCK_MS = 60_000;
/** Rate keys blocked for failing, and until when; in the order blocked, so the expired ones are at the front. */
const blockedUntil = new Map<string, number>();

/**
 * Refuses (429) a client whose failures (`countFailure`) went over the limit, until its block ends. Checked
 * before the work a failure costs (a JWT's RSA signature check), so a client sending bad tokens pays for at
 * most the limiter's limit of them per block.
 *
 * @example
 * refuseWhileBlocked(ipRateKey(ip));
 */
export function refuseWhileBlocked(key: string, now = Date.now()): void {
  for (const [blocked, until] of blockedUntil) {
    if (until > now) break;
    blockedUntil.delete(blocked);
  }
  const until = blockedUntil.get(key);
  if (until !== undefined && until > now) {
    throw new Refusal("rate_limited", "too many failed sign-ins; try again later", { retryAfter: Math.ceil((until - now) / 1000) });
  }
}

/**
 * Counts one failure (a token that did not verify) against `key` with `limiter`; once the limiter refuses, the
 * key is blocked (`refuseWhileBlocked`) for a minute in this isolate.
 *
 * @example
 * await countFailure(env.BROWSER_RATE_LIMIT, ipRateKey(ip));
 */
export async function countFailure(limiter: RateLimiter, key: string, now = Date.now()): Promise<void> {
  const { success } = await limiter.limit({ key: `failures:${key}` });
  if (!success) {
    blockedUntil.delete(key);
    blockedUntil.set(key, now + FAILURE_BLOCK_MS);
  }
}

/**
 * The client's IP address as Cloudflare reports it. Without the header (a local run without it) every such
 * request shares one key, which limits them together rather than not at all.
 *
 * @example
 * await limitRate(env.BROWSER_RATE_LIMIT, ipRateKey(clientIp(request)));
 */
export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}

/**
 * The rate-limit key of a client address: an IPv4 address as it is; an IPv6 address by its /64 prefix (one
 * subscriber or host usually holds a whole /64, so its 2^64 addresses would otherwise be 2^64 keys), written
 * out in full and lower-case so every spelling of one prefix is one key. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) is its IPv4 address. Anything else (`unknown`) is used as it is.
 *
 * @example
 * ipRateKey("2001:DB8::1") // "ip:2001:0db8:0000:0000::/64"
 */
export function ipRateKey(ip: string): string {
  const groups = ip.includes(":") ? expandIpv6(ip) : undefined;
  if (!groups) return `ip:${ip}`;
  if (groups.slice(0, 5).every((group) => group === "0000") && groups[5] === "ffff") {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return `ip:${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return `ip:${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, four lower-case hex digits each; `undefined` when it is not one. */
function expandIpv6(address: string): string[] | undefined {
  let text = address.trim().toLowerCase().replace(/%.*$/, "");
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const octets = dotted.slice(2).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    text = `${dotted[1]}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (![...head, ...tail].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((group) => group.padStart(4, "0"));
}
