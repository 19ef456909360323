import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../worker/env.ts";
import { clientIp, ipRateKey, limitRate } from "../../../worker/gates/rate-limit.ts";
import { Refusal } from "../../../worker/problem.ts";

const limiter = (env as unknown as Env).BROWSER_RATE_LIMIT;

describe("the Workers Rate Limiting binding", () => {
  it("lets a key through up to its limit (20 a minute for browsers), then refuses with Retry-After", async () => {
    const key = `test:${crypto.randomUUID()}`;
    for (let n = 0; n < 20; n++) await limitRate(limiter, key);
    const refused = await limitRate(limiter, key).catch((error: Refusal) => error);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).problem).toMatchObject({ kind: "rate_limited", status: 429, retryable: true, retryAfter: 60 });
  });

  it("counts keys apart", async () => {
    const [a, b] = [`test:${crypto.randomUUID()}`, `test:${crypto.randomUUID()}`];
    for (let n = 0; n < 20; n++) await limitRate(limiter, a);
    await expect(limitRate(limiter, b)).resolves.toBeUndefined();
  });

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
