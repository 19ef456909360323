import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../src/worker/env.ts";
import { clientIp, ipRateKey, limitRate } from "../../../src/worker/gates/rate-limit.ts";
import { Refusal } from "../../../src/worker/problem.ts";
import { countingLimiter } from "../support/harness.ts";

const limiter = (env as unknown as Env).BROWSER_RATE_LIMIT;

describe("limitRate", () => {
  // A limiter that counts without a window: the binding's windows are aligned to the wall clock, and a test that
  // counts to a limit through one can see the window roll over mid-count.
  it("lets a key through up to its limit, then refuses with Retry-After", async () => {
    const limiter = countingLimiter(20);
    const key = `test:${crypto.randomUUID()}`;
    for (let n = 0; n < 20; n++) await limitRate(limiter, key);
    const refused = await limitRate(limiter, key).catch((error: Refusal) => error);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).problem).toMatchObject({ kind: "rate_limited", status: 429, retryable: true, retryAfter: 60 });
  });

  it("counts keys apart", async () => {
    const limiter = countingLimiter(20);
    const [a, b] = [`test:${crypto.randomUUID()}`, `test:${crypto.randomUUID()}`];
    for (let n = 0; n < 21; n++) await limitRate(limiter, a).catch(() => undefined);
    await expect(limitRate(limiter, b)).resolves.toBeUndefined();
  });
});

describe("the Workers Rate Limiting binding (20 a minute for browsers)", () => {
  it("refuses one key's 41 requests in a row somewhere, even if its one-minute window rolls over once meanwhile", async () => {
    const key = `test:${crypto.randomUUID()}`;
    const results: boolean[] = [];
    for (let n = 0; n < 41; n++) results.push((await limiter.limit({ key })).success);
    // 41 requests over at most two windows put 21 in one of them: one is refused whenever the count rolls over.
    expect(results).toContain(false);
    expect(results.slice(0, 20)).not.toContain(false);
  });
});

describe("rate keys", () => {
  it("keys anonymous browsers by Cloudflare's client IP, and IP-less requests together", () => {
    expect(clientIp(new Request("https://x.test", { headers: { "cf-connecting-ip": "203.0.113.9" } }))).toBe("203.0.113.9");
    expect(clientIp(new Request("https://x.test"))).toBe("unknown");
  });

  it("keys an IPv4 address as it is", () => {
    expect(ipRateKey("203.0.113.9")).toBe("ip:203.0.113.9");
    expect(ipRateKey("unknown")).toBe("ip:unknown");
  });

  it("keys an IPv6 address by its /64, however it is written", () => {
    const key = "ip:2001:0db8:0a0b:0c0d::/64";
    for (const address of [
      "2001:db8:a0b:c0d::1",
      "2001:DB8:A0B:C0D:FFFF:FFFF:FFFF:FFFF",
      "2001:0db8:0a0b:0c0d:0000:0000:0000:0000",
      "2001:db8:a0b:c0d:1:2:3:4",
      "2001:db8:a0b:c0d::192.0.2.1",
    ]) {
      expect(ipRateKey(address)).toBe(key);
    }
    expect(ipRateKey("2001:db8:a0b:c0e::1")).toBe("ip:2001:0db8:0a0b:0c0e::/64");
    expect(ipRateKey("2001:db8::1")).toBe("ip:2001:0db8:0000:0000::/64");
    expect(ipRateKey("::1")).toBe("ip:0000:0000:0000:0000::/64");
  });

  it("keys an IPv4-mapped IPv6 address as its IPv4 address, and anything malformed as it is", () => {
    expect(ipRateKey("::ffff:203.0.113.9")).toBe("ip:203.0.113.9");
    expect(ipRateKey("::FFFF:cb00:7109")).toBe("ip:203.0.113.9");
    for (const bad of ["2001:db8::1::2", "2001:db8:1:2:3:4:5:6:7", "2001:db8:gggg::1", "::ffff:300.1.1.1"]) expect(ipRateKey(bad)).toBe(`ip:${bad}`);
  });
});
