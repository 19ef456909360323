/**
 * The local sandbox's view of delivery: a switch that makes the sandbox vendors answer the next sends with
 * 429, 500 or 503 (so a queued message's retry, or its `unknown` end, can be watched), and the states of the
 * messages this isolate queued, for the outbox page.
 *
 *   POST   /sandbox/failures  {"status": 429, "count": 2, "retryAfter": 30, "vendor": "listmonk"}
 *   GET    /sandbox/failures  what is still to come
 *   DELETE /sandbox/failures  back to normal
 *   GET    /sandbox/queued    the queued messages' states, newest first (JSON)
 *   POST   /sandbox/receipts  start counting what the sandbox vendors accept (the queued-sends benchmark)
 *   GET    /sandbox/receipts  how many, how many distinct, and the busiest second per vendor
 */
import type { VendorName } from "../../src/core/public.ts";
import { isVendorName } from "../../src/vendors/registry.ts";
import type { Env } from "../../src/worker/env.ts";
import { Refusal } from "../../src/worker/problem.ts";
import type { SandboxVendor } from "../sandbox/http.ts";
import { queuedViews } from "../../src/worker/local/outbox-page.ts";

/** The answers the switch can force: rate limited and unavailable prove nothing was sent; 500 leaves it unknown. */
export type ForcedStatus = 429 | 500 | 503;

interface Failures {
  status: ForcedStatus;
  /** Sends still to be answered this way. */
  remaining: number;
  /** Seconds, sent as `Retry-After` with a 429 or 503. Above the library's own 10 s, the queue does the retrying. */
  retryAfter?: number;
  /** Only this vendor's sends; every vendor's when absent. */
  vendor?: VendorName;
}

let failures: Failures | undefined;

/** Every accepted send since counting started: when, and its body (which tells a duplicate from a new message). */
let receipts: { vendor: VendorName; at: number; body: string }[] | undefined;

/**
 * Makes the next `count` sends fail with `status`.
 *
 * @example
 * forceFailures({ status: 429, count: 1, retryAfter: 30 });
 */
export function forceFailures(next: { status: ForcedStatus; count?: number; retryAfter?: number; vendor?: VendorName } | undefined): void {
  failures = next && { status: next.status, remaining: next.count ?? 1, ...(next.retryAfter === undefined ? {} : { retryAfter: next.retryAfter }), ...(next.vendor ? { vendor: next.vendor } : {}) };
}

/**
 * `vendor`'s sandbox with the switch in front of it. Act-On's `POST /token` is never failed: the switch is about
 * sends.
 *
 * @example
 * const listmonk = withForcedFailures("listmonk", listmonkSandbox(outbox));
 */
export function withForcedFailures(vendor: VendorName, sandbox: SandboxVendor): SandboxVendor {
  return async (request) => {
    const pending = failures;
    const isSend = request.method === "POST" && !new URL(request.url).pathname.endsWith("/token");
    if (!pending || pending.remaining < 1 || !isSend || (pending.vendor && pending.vendor !== vendor)) {
      if (!receipts || !isSend) return sandbox(request);
      const body = await request.clone().text();
      const response = await sandbox(request);
      if (response.ok) receipts?.push({ vendor, at: Date.now(), body });
      return response;
    }
    pending.remaining--;
    if (pending.remaining < 1) failures = undefined;
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (pending.retryAfter !== undefined && pending.status !== 500) headers["retry-after"] = String(pending.retryAfter);
    const message = { 429: "Too Many Requests (sandbox switch)", 500: "Internal Server Error (sandbox switch)", 503: "Service Unavailable (sandbox switch)" }[pending.status];
    return new Response(JSON.stringify({ message }), { status: pending.status, headers });
  };
}

/**
 * `/sandbox/failures` and `/sandbox/queued`; the router calls it only for the local sandbox.
 *
 * @example
 * if (pathname === "/sandbox/failures" || pathname === "/sandbox/queued") return sandboxDelivery(request, env, pathname);
 */
export async function sandboxDelivery(request: Request, env: Env, pathname: string): Promise<Response> {
  const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });
  if (pathname === "/sandbox/receipts") {
    if (request.method === "POST") {
      receipts = [];
      return json({ counting: true }, 201);
    }
    if (request.method !== "GET") throw new Refusal("method_not_allowed", "GET or POST", { headers: { allow: "GET, POST" } });
    return json(receiptSummary());
  }
  if (pathname === "/sandbox/queued") {
    if (request.method !== "GET") throw new Refusal("method_not_allowed", "only GET is allowed here", { headers: { allow: "GET" } });
    return json({ messages: await queuedViews(env) });
  }
  if (request.method === "GET") return json({ failures: failures ?? null });
  if (request.method === "DELETE") {
    forceFailures(undefined);
    return json({ failures: null });
  }
  if (request.method !== "POST") throw new Refusal("method_not_allowed", "GET, POST or DELETE", { headers: { allow: "GET, POST, DELETE" } });
  const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const { status, count = 1, retryAfter, vendor } = body ?? {};
  const ok =
    (status === 429 || status === 500 || status === 503) &&
    Number.isInteger(count) &&
    (count as number) >= 1 &&
    (retryAfter === undefined || (Number.isInteger(retryAfter) && (retryAfter as number) >= 0)) &&
    (vendor === undefined || isVendorName(vendor));
  if (!ok) {
    throw new Refusal("validation", 'send {"status": 429 | 500 | 503, "count": n ≥ 1, "retryAfter": seconds, "vendor": optional}', {
      issues: [{ path: "status", rule: "sandbox_failures", message: "429, 500 or 503, with an optional count, retryAfter and vendor" }],
    });
  }
  forceFailures({ status, count: count as number, ...(retryAfter === undefined ? {} : { retryAfter: retryAfter as number }), ...(vendor ? { vendor: vendor as VendorName } : {}) });
  return json({ failures }, 201);
}

/** Per vendor: sends accepted, distinct bodies among them, the busiest 1-second window, and the first and last arrival. */
function receiptSummary(): Record<string, unknown> {
  const byVendor = new Map<VendorName, { at: number; body: string }[]>();
  for (const receipt of receipts ?? []) {
    const list = byVendor.get(receipt.vendor) ?? [];
    list.push(receipt);
    byVendor.set(receipt.vendor, list);
  }
  const vendors: Record<string, unknown> = {};
  for (const [vendor, list] of byVendor) {
    const times = list.map((receipt) => receipt.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start++;
      busiest = Math.max(busiest, end - start + 1);
    }
    vendors[vendor] = { accepted: list.length, distinct: new Set(list.map((receipt) => receipt.body)).size, busiestSecond: busiest, first: times[0], last: times.at(-1) };
  }
  return { counting: receipts !== undefined, vendors };
}
