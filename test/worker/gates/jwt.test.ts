import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { bearerToken, verifyJwt } from "../../../worker/gates/jwt.ts";
import type { JwtConfig } from "../../../worker/env.ts";
import { Refusal } from "../../../worker/problem.ts";
import { JWT_AUDIENCE, JWT_ISSUER } from "../support/bindings.ts";
import { signJwt } from "../support/harness.ts";

const jwks = JSON.parse((env as unknown as { JWT_JWKS: string }).JWT_JWKS) as { keys: JsonWebKey[] };
const inline: JwtConfig = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, jwks };
const refusal = async (run: Promise<unknown>) => ((await run.then(() => undefined, (error) => error)) as Refusal | undefined)?.problem;

afterEach(() => vi.restoreAllMocks());

describe("tokens the identity provider signed", () => {
  it.each(["RS256", "ES256"] as const)("%s: gives the subject and the verified email", async (alg) => {
    const token = await signJwt({ sub: "user-1", email: "ada@example.com" }, { alg });
    expect(await verifyJwt(token, inline)).toEqual({ subject: "user-1", email: "ada@example.com" });
  });
  it("accepts an audience list that holds ours", async () => {
    expect((await verifyJwt(await signJwt({ sub: "u", aud: ["other", JWT_AUDIENCE] }), inline)).subject).toBe("u");
  });
  it("drops an email marked unverified, keeping the user", async () => {
    expect(await verifyJwt(await signJwt({ sub: "u", email_verified: false }), inline)).toEqual({ subject: "u" });
  });
  it("tolerates 30 s of clock difference, not more", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await verifyJwt(await signJwt({ exp: now - 10 }), inline)).toBeTruthy();
    expect(await refusal(verifyJwt(await signJwt({ exp: now - 31 }), inline))).toMatchObject({ kind: "unauthenticated", detail: "the token has expired" });
    expect(await refusal(verifyJwt(await signJwt({ iat: now + 120 }), inline))).toMatchObject({ detail: "the token was issued in the future (iat)" });
  });
});

describe("tokens that prove nothing", () => {
  it.each([
    ["no token", undefined],
    ["garbage", "not-a-jwt"],
    ["two parts", "a.b"],
    ["a huge token", "a".repeat(9000)],
  ])("refuses %s", async (_name, token) => {
    expect(await refusal(verifyJwt(token, inline))).toMatchObject({ kind: "unauthenticated", status: 401 });
  });
  it("refuses a token with critical extensions", async () => {
    expect(await refusal(verifyJwt(await signJwt({}, { header: { crit: ["exp"] } }), inline))).toMatchObject({ kind: "unauthenticated" });
  });
  it("refuses a token whose header names an RSA key but which is ES256", async () => {
    expect(await refusal(verifyJwt(await signJwt({}, { alg: "ES256", kid: "rsa-1" }), inline))).toMatchObject({ detail: "no key of the identity provider matches the token" });
  });
  it("refuses everything when sign-in is not configured", async () => {
    expect(await refusal(verifyJwt(await signJwt(), undefined))).toMatchObject({ kind: "not_configured" });
  });
});

describe("keys from a JWKS URL", () => {
  const url = `https://id.shop.example/jwks-${crypto.randomUUID()}.json`;
  const config: JwtConfig = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, jwksUrl: url };

  it("are fetched once and cached", async () => {
    const fetchJwks = vi.fn(async () => Response.json(jwks));
    await verifyJwt(await signJwt(), config, { fetch: fetchJwks });
    await verifyJwt(await signJwt({}, { alg: "ES256" }), config, { fetch: fetchJwks });
    expect(fetchJwks).toHaveBeenCalledTimes(1);
  });

  it("are not refetched for every unknown kid (at most every 30 s)", async () => {
    const fetchJwks = vi.fn(async () => Response.json(jwks));
    for (let n = 0; n < 3; n++) await refusal(verifyJwt(await signJwt({}, { kid: `rotated-${n}` }), config, { fetch: fetchJwks }));
    expect(fetchJwks).toHaveBeenCalledTimes(0);
  });

  it("fail closed when the provider cannot be reached", async () => {
    const down: JwtConfig = { ...config, jwksUrl: `https://id.shop.example/down-${crypto.randomUUID()}` };
    expect(await refusal(verifyJwt(await signJwt(), down, { fetch: async () => new Response("oops", { status: 500 }) }))).toMatchObject({ kind: "verification_unavailable", status: 503 });
    expect(await refusal(verifyJwt(await signJwt(), { ...down, jwksUrl: `${down.jwksUrl}-2` }, { fetch: async () => { throw new TypeError("network"); } }))).toMatchObject({ kind: "verification_unavailable" });
  });
});

describe("the Authorization header", () => {
  it("yields the bearer token, nothing else", () => {
    expect(bearerToken(new Request("https://x.test", { headers: { authorization: "Bearer a.b.c" } }))).toBe("a.b.c");
    expect(bearerToken(new Request("https://x.test", { headers: { authorization: "Basic abc" } }))).toBeUndefined();
  });
});
