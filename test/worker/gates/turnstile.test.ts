import { describe, expect, it, vi } from "vitest";
import { TURNSTILE_DUMMY_TOKEN, verifyTurnstile, type TurnstileCheck } from "../../../src/worker/gates/turnstile.ts";
import { Refusal } from "../../../src/worker/problem.ts";

const SECRET = "0x4AAAAAAAunit_turnstile_secret";
const refusal = async (run: Promise<unknown>) => ((await run.then(() => undefined, (error) => error)) as Refusal | undefined)?.problem;

/** A siteverify that answers `verdicts` in turn and records each form it got. */
function siteverify(...verdicts: (Record<string, unknown> | Response | Error)[]) {
  const forms: URLSearchParams[] = [];
  const fetch = vi.fn(async (request: Request) => {
    forms.push(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())));
    const verdict = verdicts.shift() ?? { success: false, "error-codes": ["internal-error"] };
    if (verdict instanceof Error) throw verdict;
    return verdict instanceof Response ? verdict : Response.json(verdict);
  });
  return { fetch, forms };
}
const check = (fetch: TurnstileCheck["fetch"], extra: Partial<TurnstileCheck> = {}): TurnstileCheck => ({
  secret: SECRET,
  verifyUrl: "https://challenges.example/siteverify",
  remoteIp: "203.0.113.9",
  hostnames: new Set(["shop.example"]),
  fetch,
  ...extra,
});
const token = () => `tok-${crypto.randomUUID()}`;

describe("siteverify decides", () => {
  it("passes a fresh token, sending the secret, token, client IP and an idempotency key", async () => {
    const { fetch, forms } = siteverify({ success: true, hostname: "shop.example" });
    const value = token();
    await verifyTurnstile(value, check(fetch));
    expect(Object.fromEntries(forms[0]!)).toEqual({ secret: SECRET, response: value, remoteip: "203.0.113.9", idempotency_key: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
  it("refuses what siteverify refuses", async () => {
    expect(await refusal(verifyTurnstile(token(), check(siteverify({ success: false, "error-codes": ["invalid-input-response"] }).fetch)))).toMatchObject({ kind: "unauthenticated", detail: "the Turnstile token is not valid" });
    expect(await refusal(verifyTurnstile(token(), check(siteverify({ success: false, "error-codes": ["timeout-or-duplicate"] }).fetch)))).toMatchObject({ detail: "the Turnstile token has expired or was already used" });
  });
  it("refuses a token solved on another site", async () => {
    expect(await refusal(verifyTurnstile(token(), check(siteverify({ success: true, hostname: "evil.example" }).fetch)))).toMatchObject({ kind: "unauthenticated" });
  });
  it.each([
    ["no hostname", { success: true }],
    ["a null hostname", { success: true, hostname: null }],
    ["a hostname that is not a string", { success: true, hostname: ["shop.example"] }],
  ])("refuses a verdict with %s: where the token was solved must be said, and ours", async (_name, verdict) => {
    expect(await refusal(verifyTurnstile(token(), check(siteverify(verdict).fetch)))).toMatchObject({ kind: "unauthenticated", detail: "the Turnstile token was solved on another site" });
    expect(await refusal(verifyTurnstile(token(), check(siteverify(verdict).fetch, { hostnames: new Set() })))).toMatchObject({ kind: "unauthenticated" });
  });
});

describe("the widget's action, when the policy names one", () => {
  it("must be the one siteverify reports", async () => {
    await expect(verifyTurnstile(token(), check(siteverify({ success: true, hostname: "shop.example", action: "contact" }).fetch, { action: "contact" }))).resolves.toBeUndefined();
    for (const verdict of [{ action: "newsletter" }, {}, { action: null }, { action: "Contact" }]) {
      expect(await refusal(verifyTurnstile(token(), check(siteverify({ success: true, hostname: "shop.example", ...verdict }).fetch, { action: "contact" })))).toMatchObject({
        kind: "unauthenticated",
        detail: "the Turnstile token was solved for another form",
      });
    }
  });
  it("is not asked for when the policy names none", async () => {
    await expect(verifyTurnstile(token(), check(siteverify({ success: true, hostname: "shop.example", action: "anything" }).fetch))).resolves.toBeUndefined();
  });
});

describe("a token works once", () => {
  it("refuses a replay in this isolate without asking siteverify again", async () => {
    const { fetch } = siteverify({ success: true, hostname: "shop.example" });
    const value = token();
    await verifyTurnstile(value, check(fetch));
    expect(await refusal(verifyTurnstile(value, check(fetch)))).toMatchObject({ detail: "the Turnstile token was already used" });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
  it("refuses the second of two concurrent uses", async () => {
    const { fetch } = siteverify({ success: true, hostname: "shop.example" }, { success: true, hostname: "shop.example" });
    const value = token();
    const results = await Promise.allSettled([verifyTurnstile(value, check(fetch)), verifyTurnstile(value, check(fetch))]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});

describe("it fails closed", () => {
  it("without a secret", async () => {
    expect(await refusal(verifyTurnstile(token(), check(undefined, { secret: undefined })))).toMatchObject({ kind: "not_configured" });
  });
  it("when siteverify is down twice, retrying once with the same idempotency key", async () => {
    const { fetch, forms } = siteverify(new Response("bad gateway", { status: 502 }), new TypeError("network"));
    expect(await refusal(verifyTurnstile(token(), check(fetch)))).toMatchObject({ kind: "verification_unavailable", retryable: true });
    expect(forms.map((form) => form.get("idempotency_key"))).toEqual([forms[0]!.get("idempotency_key"), forms[0]!.get("idempotency_key")]);
  });
  it("passes when the retry gets through", async () => {
    const { fetch } = siteverify(new TypeError("network"), { success: true, hostname: "shop.example" });
    await expect(verifyTurnstile(token(), check(fetch))).resolves.toBeUndefined();
  });
  it("when siteverify answers something that is not JSON", async () => {
    const { fetch } = siteverify(new Response("<html>challenge</html>"), new Response("<html>challenge</html>"));
    expect(await refusal(verifyTurnstile(token(), check(fetch)))).toMatchObject({ kind: "verification_unavailable" });
  });
  it("when siteverify refuses the worker's secret", async () => {
    expect(await refusal(verifyTurnstile(token(), check(siteverify({ success: false, "error-codes": ["invalid-input-secret"] }).fetch)))).toMatchObject({ kind: "verification_unavailable" });
  });
  it("for a missing or oversized token", async () => {
    expect(await refusal(verifyTurnstile(undefined, check(vi.fn())))).toMatchObject({ kind: "unauthenticated" });
    expect(await refusal(verifyTurnstile("x".repeat(2049), check(vi.fn())))).toMatchObject({ kind: "unauthenticated" });
  });
});

describe("the local stand-in (sandbox mode on a loopback host, no secret)", () => {
  it("accepts Cloudflare's dummy token, and only that, without any network", async () => {
    const fetch = vi.fn();
    await verifyTurnstile(TURNSTILE_DUMMY_TOKEN, check(fetch, { secret: undefined, localStandIn: true }));
    expect(await refusal(verifyTurnstile("XXXX.OTHER.TOKEN.XXXX", check(fetch, { secret: undefined, localStandIn: true })))).toMatchObject({ kind: "not_configured" });
    expect(fetch).not.toHaveBeenCalled();
  });
  it("answers as siteverify would for the page's own widget, through the same checks: any expected action passes", async () => {
    const fetch = vi.fn();
    await verifyTurnstile(TURNSTILE_DUMMY_TOKEN, check(fetch, { secret: undefined, localStandIn: true, action: "contact", hostnames: new Set(["localhost", "127.0.0.1"]) }));
    await verifyTurnstile(TURNSTILE_DUMMY_TOKEN, check(fetch, { secret: undefined, localStandIn: true, hostnames: new Set() }));
    expect(fetch).not.toHaveBeenCalled();
  });
  it("is ignored once a secret is set: the dummy token then goes to siteverify like any other", async () => {
    const { fetch } = siteverify({ success: false, "error-codes": ["invalid-input-response"] });
    expect(await refusal(verifyTurnstile(TURNSTILE_DUMMY_TOKEN, check(fetch, { localStandIn: true })))).toMatchObject({ kind: "unauthenticated" });
  });
});
