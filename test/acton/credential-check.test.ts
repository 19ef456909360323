/**
 * `checkCredentials` for Act-On, which documents no read for ETE credentials: its token endpoint is the check.
 * A held access token that has not expired answers `ok` with nothing asked; without one, a refresh grant (no
 * login), or a password grant only while the hour's logins leave `ACTON_CHECK_KEEPS_LOGINS` for sends; otherwise
 * `skipped` with nothing asked. What it obtains is stored and used by the next send.
 */
import { describe, expect, it } from "vitest";
import { ACTON_CHECK_KEEPS_LOGINS, createActOnClient, memoryTokenStore, type ActOnOptions, type ActOnTokenRecord } from "../../src/acton/index.js";
import { ACTON_PASSWORD_GRANTS_PER_HOUR, actOnTokenKey } from "../../src/acton/tokens.js";
import { ACTON_FAKE_ACCOUNT, createActOnFake } from "../../src/testing/index.js";
import { operationErrors, recordingFetch } from "../support/spec-request.js";
import { minimal } from "./fixtures.js";

const BASE_URL = "https://api.actonsoftware.com";
const HOUR = 3_600_000;
const KEY = actOnTokenKey(BASE_URL, ACTON_FAKE_ACCOUNT.credentials);

const setup = async (record?: ActOnTokenRecord, options: Partial<ActOnOptions> = {}) => {
  const fake = createActOnFake();
  const wire = recordingFetch(fake.fetch);
  const tokenStore = memoryTokenStore();
  if (record) await tokenStore.set(KEY, record);
  const client = createActOnClient({ baseUrl: BASE_URL, ...ACTON_FAKE_ACCOUNT, tokenStore, fetch: wire.fetch, ...options });
  return { fake, wire, tokenStore, client };
};
/** `count` logins spread over the last hour. */
const loginsThisHour = (count: number) => Array.from({ length: count }, (_, n) => Date.now() - (n + 1) * 60_000).reverse();

describe("a held access token", () => {
  it("is ok with nothing asked: Act-On issued it for these credentials", async () => {
    const obtainedAt = Date.now() - 10 * 60_000;
    const { wire, client } = await setup({ tokens: { accessToken: "at-held", refreshToken: "rt-held", expiresAt: Date.now() + HOUR, obtainedAt }, passwordGrantsAt: loginsThisHour(5) });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "ok", vendor: "acton", requests: 0, message: expect.stringContaining(new Date(obtainedAt).toISOString()) });
    expect(wire.exchanges).toEqual([]);
    expect(JSON.stringify(check)).not.toContain("at-held");
  });
});

describe("no valid token held", () => {
  it("logs in when the hour's logins leave room, as the spec's POST /token, and the next send uses that token", async () => {
    const { fake, wire, tokenStore, client } = await setup({ passwordGrantsAt: loginsThisHour(ACTON_PASSWORD_GRANTS_PER_HOUR - ACTON_CHECK_KEEPS_LOGINS - 1) });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "ok", vendor: "acton", requests: 1 });
    expect(fake.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
    expect(operationErrors("acton", wire.exchanges[0]!.request, wire.exchanges[0]!.status)).toEqual([]);
    expect((await tokenStore.get(KEY))?.passwordGrantsAt).toHaveLength(ACTON_PASSWORD_GRANTS_PER_HOUR - ACTON_CHECK_KEEPS_LOGINS);
    expect((await client.send(minimal)).ok).toBe(true);
    expect(fake.tokenCalls).toHaveLength(1);
    for (const token of fake.issuedTokens) expect(JSON.stringify(check)).not.toContain(token);
  });

  it(`is skipped with no request when a login would leave fewer than ${ACTON_CHECK_KEEPS_LOGINS} of the hour's for sends; a send may still log in`, async () => {
    const used = ACTON_PASSWORD_GRANTS_PER_HOUR - ACTON_CHECK_KEEPS_LOGINS;
    const { fake, wire, tokenStore, client } = await setup({ passwordGrantsAt: loginsThisHour(used) });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "skipped", vendor: "acton", requests: 0, retryAfter: expect.any(Number) });
    expect(check.message).toContain(`fewer than ${ACTON_CHECK_KEEPS_LOGINS}`);
    expect(wire.exchanges).toEqual([]);
    expect((await tokenStore.get(KEY))?.passwordGrantsAt).toHaveLength(used);
    // The check's share is its own: sends keep Act-On's whole limit.
    expect((await client.send(minimal)).ok).toBe(true);
    expect(fake.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
  });

  it("refreshes (no login) even when no login is to spare, and stores the new pair", async () => {
    // A refresh token the fake issued: log in once with room, then let the access token lapse in the store.
    const { fake, tokenStore, client } = await setup();
    expect((await client.send(minimal)).ok).toBe(true);
    const record = (await tokenStore.get(KEY))!;
    // Another isolate's view: a store holding the lapsed pair, and no token in memory.
    const elsewhere = memoryTokenStore();
    await elsewhere.set(KEY, { ...record, tokens: { ...record.tokens!, expiresAt: Date.now() - 1 }, passwordGrantsAt: loginsThisHour(ACTON_PASSWORD_GRANTS_PER_HOUR) });
    const fresh = createActOnClient({ baseUrl: BASE_URL, ...ACTON_FAKE_ACCOUNT, tokenStore: elsewhere, fetch: fake.fetch });
    expect(await fresh.checkCredentials()).toMatchObject({ kind: "ok", requests: 1 });
    expect(fake.tokenCalls.map((call) => call.grant)).toEqual(["password", "refresh_token"]);
    expect((await elsewhere.get(KEY))?.tokens?.expiresAt).toBeGreaterThan(Date.now());
  });

  it("is refused (403 Wrong email or password.) for a wrong password, and never shows it", async () => {
    const password = "wrong-acton-password-71c3";
    const { client } = await setup(undefined, { credentials: { ...ACTON_FAKE_ACCOUNT.credentials, password } });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "refused", vendor: "acton", status: 403, requests: 1, vendorMessage: "Wrong email or password." });
    expect(JSON.stringify(check)).not.toContain(password);
  });

  it("is refused (401) for a wrong client secret, and never shows it", async () => {
    const clientSecret = "wrong-client-secret-2b9e";
    const { client } = await setup(undefined, { credentials: { ...ACTON_FAKE_ACCOUNT.credentials, clientSecret } });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "refused", status: 401, requests: 1 });
    expect(JSON.stringify(check)).not.toContain(clientSecret);
  });

  it("says refused without asking when Act-On refused the last login and no login is to spare", async () => {
    const { wire, client } = await setup({
      passwordGrantsAt: loginsThisHour(ACTON_PASSWORD_GRANTS_PER_HOUR - ACTON_CHECK_KEEPS_LOGINS),
      passwordGrantRefused: { status: 403, vendorCode: "invalid_grant", vendorMessage: "Wrong email or password." },
    });
    expect(await client.checkCredentials()).toMatchObject({ kind: "refused", status: 403, requests: 0 });
    expect(wire.exchanges).toEqual([]);
  });

  it("is unreachable when the token endpoint does not answer within the check's timeout", async () => {
    const hanging = (request: Request) => new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const client = createActOnClient({ baseUrl: BASE_URL, ...ACTON_FAKE_ACCOUNT, tokenStore: memoryTokenStore(), fetch: hanging });
    // The deadline covers the wait for a token-call slot too, not only the request.
    expect(await client.checkCredentials({ timeoutMs: 20 })).toMatchObject({ kind: "unreachable", vendor: "acton", message: expect.stringContaining("within 20 ms") });
  });
});
