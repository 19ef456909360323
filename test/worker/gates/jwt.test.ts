import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { bearerToken, verifyJwt } from "../../../src/worker/gates/jwt.ts";
import type { JwtConfig } from "../../../src/worker/env.ts";
import { Refusal } from "../../../src/worker/problem.ts";
import { JWT_AUDIENCE, JWT_ISSUER } from "../support/bindings.ts";
import { base64url, browserHeaders, fetchWithEnv, signJwt } from "../support/harness.ts";

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
  it.each([
    ["missing", undefined],
    ['"False"', "False"],
    ["0", 0],
    ['"true" (a string)', "true"],
    ["1", 1],
    ["null", null],
  ])("drops an email whose email_verified is %s: only true verifies it", async (_name, emailVerified) => {
    expect(await verifyJwt(await signJwt({ sub: "u", email_verified: emailVerified }), inline)).toEqual({ subject: "u" });
  });
  it("with trustUnverifiedEmail (JWT_TRUST_UNVERIFIED_EMAIL), also takes an email without the claim, never one marked otherwise", async () => {
    const trusting: JwtConfig = { ...inline, trustUnverifiedEmail: true };
    expect(await verifyJwt(await signJwt({ sub: "u", email_verified: undefined }), trusting)).toEqual({ subject: "u", email: "ada@example.com" });
    expect(await verifyJwt(await signJwt({ sub: "u", email_verified: true }), trusting)).toEqual({ subject: "u", email: "ada@example.com" });
    for (const emailVerified of [false, "false", "False", 0]) {
      expect(await verifyJwt(await signJwt({ sub: "u", email_verified: emailVerified }), trusting)).toEqual({ subject: "u" });
    }
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
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])("refuses alg %j (an inherited name, not an algorithm) before looking for a key", async (alg) => {
    const fetchJwks = vi.fn(async () => Response.json(jwks));
    const byUrl: JwtConfig = { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, jwksUrl: `https://id.shop.example/jwks-${crypto.randomUUID()}.json` };
    const token = await signJwt({}, { header: { alg } });
    expect(await refusal(verifyJwt(token, inline))).toMatchObject({ kind: "unauthenticated", detail: "the token's alg must be RS256 or ES256" });
    expect(await refusal(verifyJwt(token, byUrl, { fetch: fetchJwks }))).toMatchObject({ kind: "unauthenticated", detail: "the token's alg must be RS256 or ES256" });
    expect(fetchJwks).not.toHaveBeenCalled();
  });
  it("refuses a token with critical extensions", async () => {
    expect(await refusal(verifyJwt(await signJwt({}, { header: { crit: ["exp"] } }), inline))).toMatchObject({ kind: "unauthenticated" });
  });
  it("refuses crit b64 too, an extension jose itself would accept", async () => {
    expect(await refusal(verifyJwt(await signJwt({}, { header: { crit: ["b64"], b64: true } }), inline))).toMatchObject({
      kind: "unauthenticated",
      detail: "the token names critical extensions this worker does not know",
    });
  });
  it("refuses HS256 signed with the provider's RSA public key as the HMAC secret (alg confusion)", async () => {
    const rsa = jwks.keys.find((key) => key.kty === "RSA")!;
    const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
    const now = Math.floor(Date.now() / 1000);
    const input = `${encode({ alg: "HS256", typ: "JWT", kid: (rsa as { kid?: string }).kid })}.${encode({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: "u", email: "victim@example.com", email_verified: true, exp: now + 600 })}`;
    for (const secret of [JSON.stringify(rsa), rsa.n!]) {
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const token = `${input}.${base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input))))}`;
      expect(await refusal(verifyJwt(token, inline))).toMatchObject({ kind: "unauthenticated", detail: "the token's alg must be RS256 or ES256" });
    }
  });
  it("checks a token without kid against the first key that fits, not against every one", async () => {
    const other = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const otherJwk = { ...((await crypto.subtle.exportKey("jwk", other.publicKey)) as JsonWebKey), kid: "rsa-other" };
    const token = await signJwt({ sub: "u" }, { header: { kid: undefined } });
    expect((await verifyJwt(token, { ...inline, jwks: { keys: [...jwks.keys, otherJwk] } })).subject).toBe("u");
    expect(await refusal(verifyJwt(token, { ...inline, jwks: { keys: [otherJwk, ...jwks.keys] } }))).toMatchObject({ detail: "the token's signature is not valid" });
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

  it("are fetched once for many concurrent tokens with unknown kids, and then not again for 30 s", async () => {
    const fresh: JwtConfig = { ...config, jwksUrl: `https://id.shop.example/jwks-${crypto.randomUUID()}.json` };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchJwks = vi.fn(async () => {
      await gate;
      return Response.json(jwks);
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, n) => signJwt({}, { kid: `rotated-${n}` })));
    const pending = tokens.map((token) => refusal(verifyJwt(token, fresh, { fetch: fetchJwks })));
    release();
    expect(await Promise.all(pending)).toEqual(tokens.map(() => expect.objectContaining({ detail: "no key of the identity provider matches the token" })));
    expect(fetchJwks).toHaveBeenCalledTimes(1);

    // A genuine token still verifies from the cache meanwhile; an unknown kid waits for the refetch interval.
    await verifyJwt(await signJwt(), fresh, { fetch: fetchJwks });
    await refusal(verifyJwt(await signJwt({}, { kid: "rotated-again" }), fresh, { fetch: fetchJwks }));
    expect(fetchJwks).toHaveBeenCalledTimes(1);
    const later = Date.now() + 31_000;
    vi.spyOn(Date, "now").mockReturnValue(later);
    await Promise.all([1, 2, 3].map(async (n) => refusal(verifyJwt(await signJwt({}, { kid: `rotated-later-${n}` }), fresh, { fetch: fetchJwks }))));
    expect(fetchJwks).toHaveBeenCalledTimes(2);
  });

  it("share one failed fetch, and do not retry it at once", async () => {
    const down: JwtConfig = { ...config, jwksUrl: `https://id.shop.example/down-${crypto.randomUUID()}` };
    const fetchJwks = vi.fn(async () => new Response("oops", { status: 500 }));
    const answers = await Promise.all([1, 2, 3].map(async () => refusal(verifyJwt(await signJwt(), down, { fetch: fetchJwks }))));
    expect(answers).toEqual([1, 2, 3].map(() => expect.objectContaining({ kind: "verification_unavailable" })));
    expect(await refusal(verifyJwt(await signJwt(), down, { fetch: fetchJwks }))).toMatchObject({ kind: "verification_unavailable" });
    expect(fetchJwks).toHaveBeenCalledTimes(1);
  });

  it("start a new fetch once one another request started has hung past its timeout (a cancelled request on Workers)", async () => {
    const stuck: JwtConfig = { ...config, jwksUrl: `https://id.shop.example/stuck-${crypto.randomUUID()}` };
    let asked!: () => void;
    const fetched = new Promise<void>((resolve) => (asked = resolve));
    const hanging = vi.fn(() => {
      asked();
      return new Promise<Response>(() => {});
    });
    const first = refusal(verifyJwt(await signJwt(), stuck, { fetch: hanging }));
    await fetched;
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 6_000);
    const answering = vi.fn(async () => Response.json(jwks));
    expect((await verifyJwt(await signJwt({ sub: "u" }), stuck, { fetch: answering })).subject).toBe("u");
    expect(answering).toHaveBeenCalledTimes(1);
    void first;
  });

  it.each([
    ["in one piece", () => Response.json({ ...jwks, padding: "x".repeat(100_000) })],
    [
      "streamed without Content-Length",
      () => {
        // A valid JWKS padded with 160 KiB of whitespace, in chunks: only a count of the bytes read can refuse it.
        const text = JSON.stringify(jwks);
        const parts = [text.slice(0, -1), ...Array.from({ length: 10 }, () => " ".repeat(16_384)), "}"];
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const part = parts.shift();
            if (part === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(part));
          },
        });
        return new Response(body, { headers: { "content-type": "application/json" } });
      },
    ],
  ])("refuse a JWKS answer over 64 KiB (%s)", async (_name, answer) => {
    const big: JwtConfig = { ...config, jwksUrl: `https://id.shop.example/big-${crypto.randomUUID()}` };
    expect(await refusal(verifyJwt(await signJwt(), big, { fetch: async () => answer() }))).toMatchObject({ kind: "verification_unavailable" });
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

describe("through the worker: JWT_TRUST_UNVERIFIED_EMAIL", () => {
  const welcome = async (claims: Record<string, unknown>, overrides: Record<string, string | undefined> = {}) =>
    fetchWithEnv(overrides, "/v1/actions", {
      method: "POST",
      headers: browserHeaders({ jwt: await signJwt(claims) }),
      body: JSON.stringify({ action: "welcome", variables: { firstName: "Pat" } }),
    });

  it("by default a token without email_verified gives no address to send to", async () => {
    expect((await welcome({ email_verified: undefined })).body).toMatchObject({ kind: "forbidden_recipient" });
  });
  it("set to true, such a token's address is used; an explicit false still is not", async () => {
    expect((await welcome({ email_verified: undefined }, { JWT_TRUST_UNVERIFIED_EMAIL: "true" })).body).toEqual({ ok: true, kind: "sent", sandbox: true });
    expect((await welcome({ email_verified: false }, { JWT_TRUST_UNVERIFIED_EMAIL: "true" })).body).toMatchObject({ kind: "forbidden_recipient" });
  });
});
