import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../worker/env.ts";
import { clientIp, limitRate } from "../../../worker/gates/rate-limit.ts";
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
});
