/**
 * What a send says when it gets no access token. No email travels with a token request, so every one of these
 * is `not_sent`; it is `retryable` when a later try can get a token, never when the answer proves the
 * credentials or the configuration wrong; an `auth` outcome carries Act-On's own status; and a failing token
 * store says so.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnOptions, type ActOnTokenStore } from "../../src/acton/index.js";
import { minimal } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
beforeAll(async () => {
  acton = await startActOnDouble();
});
afterEach(() => {
  acton.requests.length = 0;
  acton.tokenCalls.length = 0;
  acton.delivered.length = 0;
  acton.passwordGrants.length = 0;
});
afterAll(async () => {
  expect(acton.specViolations).toEqual([]);
  expect(acton.limitViolations).toEqual([]);
  await acton.close();
});

const client = (options: Partial<ActOnOptions> = {}) =>
  createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore: memoryTokenStore(), ...options });
const key = () => `${acton.url} ${ACTON_CREDENTIALS.clientId} ${ACTON_CREDENTIALS.username}`;
const eteRequests = () => acton.requests.filter((request) => request.path.startsWith("/ete/"));
const message = (outcome: { ok: boolean; message?: string }) => outcome.message ?? "";
/** A fetch whose token requests fail with `error`; everything else reaches the double. */
const tokenFetchThrows = (error: unknown) => async (request: Request) => {
  if (request.url.endsWith("/token")) throw error;
  return fetch(request);
};

describe("token endpoint answers that prove the configuration wrong: never retryable", () => {
  it("404 from a baseUrl that is not Act-On's gateway", async () => {
    const outcome = await client({ baseUrl: `${acton.url}/not-the-gateway` }).send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", status: 404, delivery: "not_sent", retryable: false, attempts: 0 });
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: 404 Not Found (is baseUrl Act-On's API gateway?)");
    expect(eteRequests()).toHaveLength(0);
  });

  it("400 unsupported_grant_type", async () => {
    acton.answerNext({ status: 400, body: { error: "unsupported_grant_type", error_description: "Unsupported grant type" } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, vendorCode: "unsupported_grant_type", delivery: "not_sent", retryable: false });
    // Act-On's own endpoint answered: no hint at the base URL.
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: 400 unsupported_grant_type: Unsupported grant type");
  });

  it("200 without a token pair (a page, not the token endpoint)", async () => {
    acton.answerNext({ status: 200, body: "<html>Welcome</html>" });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "server_error", status: 200, delivery: "not_sent", retryable: false, attempts: 0 });
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: 200 <html>Welcome</html> (is baseUrl Act-On's API gateway?)");
    expect(eteRequests()).toHaveLength(0);
  });
});

describe("token endpoint answers a later try can get past: retryable, nothing sent", () => {
  it("429: slow down", async () => {
    acton.answerNext({ status: 429, headers: { "retry-after": "7" } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "rate_limited", status: 429, retryAfter: 7, delivery: "not_sent", retryable: true, attempts: 0 });
  });

  it("500: Act-On failed, but no email went with the request", async () => {
    acton.answerNext({ status: 500, body: "Internal Server Error" });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, delivery: "not_sent", retryable: true, attempts: 0 });
    expect(eteRequests()).toHaveLength(0);
  });

  it("a refused connection", async () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    const outcome = await client({ fetch: tokenFetchThrows(refused) }).send(minimal);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true, attempts: 0 });
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: the token request failed: fetch failed: connect ECONNREFUSED 127.0.0.1:1");
  });

  it("a connection lost after the token request went out", async () => {
    acton.answerNext({ status: 200, reset: true });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true, attempts: 0 });
    expect(eteRequests()).toHaveLength(0);
  });

  it("no answer to the token request within timeoutMs", async () => {
    const hanging = (request: Request) =>
      request.url.endsWith("/token")
        ? new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)))
        : fetch(request);
    const outcome = await client({ fetch: hanging }).send(minimal, { timeoutMs: 5 });
    expect(outcome).toMatchObject({ kind: "timeout", timeoutMs: 5, delivery: "not_sent", retryable: true, attempts: 0 });
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: no answer from the token endpoint within 5 ms");
  });
});

describe("a token request that cannot start", () => {
  it("a tokenPacer that rejects is not blamed on the token store: nothing sent, retryable", async () => {
    const tokenPacer = { acquire: () => Promise.reject(new Error("pacer out of reach")) };
    const outcome = await client({ tokenPacer }).send(minimal);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true, attempts: 0, cause: { message: "pacer out of reach" } });
    expect(message(outcome)).toBe("No Act-On access token, nothing sent: the token request could not start: pacer out of reach");
    expect(acton.requests).toHaveLength(0);
  });
});

describe("the hour's password grants spent: Act-On's last word, or when to come back", () => {
  it("after refused logins: auth with Act-On's status and words, not retryable", async () => {
    const options = { tokenStore: memoryTokenStore(), maxPasswordGrantsPerHour: 2, credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } };
    await client(options).send(minimal);
    await client(options).send(minimal);
    const outcome = await client(options).send(minimal);
    expect(acton.tokenCalls).toHaveLength(2);
    expect(outcome).toMatchObject({
      kind: "auth",
      status: 403,
      vendorCode: "invalid_grant",
      vendorMessage: "Wrong email or password.",
      retryable: false,
      delivery: "not_sent",
      attempts: 0,
    });
    expect(message(outcome)).toMatch(
      /^No Act-On access token, nothing sent: Act-On refused the last password grant \(403 invalid_grant: Wrong email or password\.\); 2 password grants in the last hour \(the limit\); the next is allowed at /,
    );
  });

  it("after logins lost to an outage: rate_limited until the oldest is an hour old, with no made-up status", async () => {
    const tokenStore = memoryTokenStore();
    const unavailable = async (request: Request) =>
      request.url.endsWith("/token") ? new Response("Service Unavailable", { status: 503 }) : fetch(request);
    await client({ tokenStore, fetch: unavailable, maxPasswordGrantsPerHour: 1 }).send(minimal);
    const outcome = await client({ tokenStore, maxPasswordGrantsPerHour: 1 }).send(minimal);
    expect(acton.tokenCalls).toHaveLength(0);
    expect(outcome).toMatchObject({ kind: "rate_limited", retryable: true, delivery: "not_sent", attempts: 0 });
    expect(outcome).not.toHaveProperty("status");
    const retryAfter = outcome.ok || outcome.kind !== "rate_limited" ? undefined : outcome.retryAfter;
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });

  it("a successful login forgets the earlier refusal", async () => {
    const tokenStore = memoryTokenStore();
    await client({ tokenStore, credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } }).send(minimal);
    expect((await tokenStore.get(key()))!.passwordGrantRefused).toMatchObject({ status: 403, vendorCode: "invalid_grant" });
    expect((await client({ tokenStore }).send(minimal)).ok).toBe(true);
    expect(await tokenStore.get(key())).not.toHaveProperty("passwordGrantRefused");
  });
});

describe("a token answer without a usable lifetime", () => {
  it("is kept for Act-On's documented hour, not refreshed on every send", async () => {
    const tokenStore = memoryTokenStore();
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      if (!request.url.endsWith("/token")) return response;
      return Response.json({ ...((await response.json()) as object), expires_in: "soon" });
    };
    expect((await client({ tokenStore, fetch }).send(minimal)).ok).toBe(true);
    expect((await client({ tokenStore, fetch }).send(minimal)).ok).toBe(true);
    expect(acton.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
    expect(typeof (await tokenStore.get(key()))!.tokens!.expiresAt).toBe("number");
  });
});

describe("a failing token store: token_store, nothing sent", () => {
  const failing = (overrides: Partial<ActOnTokenStore>): ActOnTokenStore => ({ ...memoryTokenStore(), ...overrides });

  it("get throws synchronously", async () => {
    const tokenStore = failing({
      get: () => {
        throw new Error("KV binding missing");
      },
    });
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({ kind: "token_store", cause: { name: "Error", message: "KV binding missing" }, delivery: "not_sent", retryable: true, attempts: 0 });
    expect(acton.requests).toHaveLength(0);
  });

  it("set rejects before a login: no login is made that the store could not count", async () => {
    const tokenStore = failing({ set: () => Promise.reject(new Error("KV write limit")) });
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({ kind: "token_store", delivery: "not_sent", retryable: true });
    expect(message(outcome)).toBe("The Act-On token store failed (set), nothing sent: KV write limit");
    expect(acton.tokenCalls).toHaveLength(0);
  });

  it("set rejects after a login: this send fails, and the retry uses the token already in hand", async () => {
    const memory = memoryTokenStore();
    let calls = 0;
    const tokenStore: ActOnTokenStore = { get: memory.get, set: (k, record) => (++calls === 2 ? Promise.reject(new Error("KV write limit")) : memory.set(k, record)) };
    const acton1 = client({ tokenStore });
    expect(await acton1.send(minimal)).toMatchObject({ kind: "token_store", delivery: "not_sent", retryable: true });
    expect(eteRequests()).toHaveLength(0);
    expect(await acton1.send(minimal)).toMatchObject({ ok: true });
    expect(acton.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
  });

  it("a record whose token is not a string: token_store, not retryable (the store answers the same again), never a token sent", async () => {
    const record = { passwordGrantsAt: [], tokens: { accessToken: 5, refreshToken: "stored-refresh", expiresAt: Date.now() + 3_600_000 } };
    const tokenStore = failing({ get: async () => record as never });
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({ ok: false, kind: "token_store", delivery: "not_sent", retryable: false, attempts: 0 });
    expect(message(outcome)).toBe(
      "The Act-On token store failed (get), nothing sent: it returned a record whose tokens are not {accessToken, refreshToken, expiresAt}",
    );
    expect(acton.requests).toHaveLength(0);
  });

  it("a record without its login times: token_store, and no login the limit cannot count", async () => {
    const tokenStore = failing({ get: async () => ({}) as never });
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({ kind: "token_store", retryable: false, message: "The Act-On token store failed (get), nothing sent: it returned a record whose passwordGrantsAt is not a list of times" });
    expect(acton.tokenCalls).toHaveLength(0);
  });

  it("exclusive rejects (a Durable Object out of reach)", async () => {
    const tokenStore = failing({ exclusive: () => Promise.reject(new Error("Durable Object reset")) });
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({ kind: "token_store", delivery: "not_sent", retryable: true, message: "The Act-On token store failed (exclusive), nothing sent: Durable Object reset" });
    expect(acton.requests).toHaveLength(0);
  });

  it("a thrown non-Error value is described, not lost", async () => {
    const tokenStore = failing({ get: () => Promise.reject("quota exceeded") });
    expect(await client({ tokenStore }).send(minimal)).toMatchObject({ kind: "token_store", cause: { name: "Error", message: "quota exceeded" } });
  });
});
