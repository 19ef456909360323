/**
 * `GET /v1/messages/{id}` from a page has the actions route's gates: an address whose JWTs keep failing is refused
 * before its next signature check (failures counted with those on the actions route), and reads are rate limited
 * per user or address, on keys of their own. The limiter here counts without a time window, so no test depends on
 * one rolling over.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ORIGIN } from "./support/bindings.ts";
import { browserHeaders, countingLimiter, fetchWithEnv, signJwt, uniqueIp } from "./support/harness.ts";

afterEach(() => vi.restoreAllMocks());

const location = () => `/v1/messages/${crypto.randomUUID()}`;

async function forgedJwt(): Promise<string> {
  const [header, payload] = (await signJwt()).split(".");
  return `${header}.${payload}.AAAA`;
}

function readAs(limiter: ReturnType<typeof countingLimiter>, ip: string, jwt?: string) {
  return fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, location(), { headers: { origin: ORIGIN, "cf-connecting-ip": ip, ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) } });
}

describe("a page reading a message's state", () => {
  it("with forged JWTs from one address gets 401 until the failures pass the limit, then 429 without a signature check", async () => {
    const limiter = countingLimiter(20);
    const ip = uniqueIp();
    const forged = await forgedJwt();
    const statuses: number[] = [];
    for (let n = 0; n < 21; n++) statuses.push((await readAs(limiter, ip, forged)).status);
    expect(statuses).toEqual(Array(21).fill(401));
    const verify = vi.spyOn(crypto.subtle, "verify");
    for (let n = 0; n < 4; n++) {
      const blocked = await readAs(limiter, ip, forged);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ kind: "rate_limited", retryable: true, delivery: "not_sent" });
      expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
      // The page can read why.
      expect(blocked.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    }
    expect(verify).not.toHaveBeenCalled();
    // A valid token from that address is held back too, as on the actions route.
    expect((await readAs(limiter, ip, await signJwt())).status).toBe(429);
  });

  it("counts failed sign-ins together with the actions route's", async () => {
    const limiter = countingLimiter(2);
    const ip = uniqueIp();
    const forged = await forgedJwt();
    const send = () =>
      fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ ip, jwt: forged }), body: JSON.stringify({ action: "order-shipped", variables: { orderNumber: "A-1" } }) });
    expect((await send()).status).toBe(401);
    expect((await send()).status).toBe(401);
    expect((await readAs(limiter, ip, forged)).status).toBe(401);
    expect((await readAs(limiter, ip, await signJwt())).status).toBe(429);
    expect((await send()).status).toBe(429);
  });

  it("is rate limited per signed-in user, on keys apart from the user's sends", async () => {
    const limiter = countingLimiter(2);
    const sub = `user-${crypto.randomUUID()}`;
    const ip = uniqueIp();
    expect((await readAs(limiter, ip, await signJwt({ sub }))).status).toBe(404);
    expect((await readAs(limiter, ip, await signJwt({ sub }))).status).toBe(404);
    const limited = await readAs(limiter, ip, await signJwt({ sub }));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ kind: "rate_limited", delivery: "not_sent" });
    expect(limiter.keys).toEqual(Array(3).fill(`read:user:${sub}`));
    // Another user at the same address has a budget of their own.
    expect((await readAs(limiter, ip, await signJwt())).status).toBe(404);
  });

  it("is rate limited per address without a JWT", async () => {
    const limiter = countingLimiter(1);
    const ip = uniqueIp();
    expect((await readAs(limiter, ip)).status).toBe(404);
    expect((await readAs(limiter, ip)).status).toBe(429);
    expect(limiter.keys).toEqual(Array(2).fill(`read:ip:${ip}`));
  });
});
