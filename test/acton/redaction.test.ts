/**
 * No Act-On credential ever reaches the caller: not the password (raw or form-encoded), the client secret, or
 * any access or refresh token the double issued, in any outcome, message, cause, log entry or middleware view.
 * Middleware sees the token request with every secret `[redacted]` and the send without its Authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchForSecrets } from "../support/secret-watch.js";
import { createActOnClient, memoryTokenStore, type ActOnOptions } from "../../src/acton/index.js";
import { minimal } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
const watch = watchForSecrets();
const { record, seen, logs, hookViews } = watch;

const client = (options: Partial<ActOnOptions> = {}) =>
  createActOnClient({
    baseUrl: acton.url,
    accountId: ACTON_ACCOUNT,
    credentials: ACTON_CREDENTIALS,
    tokenStore: memoryTokenStore(),
    middleware: [watch.middleware],
    logger: watch.logger,
    retry: { baseDelayMs: 1 },
    ...options,
  });

/** Echoes whatever secret the request carried back in an error, as a careless server might. */
const echoing = (status: number) => async (request: Request) => {
  const carried = request.headers.get("authorization") ?? (await request.text());
  return Response.json({ message: `refused ${carried}`, error: "invalid_grant", error_description: `refused ${carried}` }, { status });
};

beforeAll(async () => {
  acton = await startActOnDouble();
});
afterAll(async () => {
  await acton.close();
});

describe("credentials never leave the client", () => {
  it("sends them to Act-On, where they belong", async () => {
    const acton1 = client();
    expect((await record(acton1.send(minimal))).ok).toBe(true);
    acton.revokeAccessTokens();
    expect((await record(acton1.send(minimal))).ok).toBe(true); // a refresh grant too
    expect(acton.tokenCalls.map((call) => call.form.client_secret)).toEqual([ACTON_CREDENTIALS.clientSecret, ACTON_CREDENTIALS.clientSecret]);
    expect(acton.tokenCalls[0]!.form.password).toBe(ACTON_CREDENTIALS.password);
  });

  it("removes a token the send's answer echoes back", async () => {
    const outcome = await record(client({ fetch: async (request) => (request.url.endsWith("/token") ? fetch(request) : echoing(400)(request)) }).send(minimal));
    expect(outcome).toMatchObject({ kind: "rejected", vendorMessage: "refused Bearer [redacted]" });
  });

  it("removes the password, encoded as it travelled, from a token answer that echoes the form", async () => {
    const outcome = await record(client({ fetch: echoing(403) }).send(minimal));
    expect(outcome).toMatchObject({ kind: "auth", status: 403 });
    expect(JSON.stringify(outcome)).toContain("password=[redacted]");
  });

  it("removes a client secret, form-encoded as it travelled, from a token answer that echoes the form", async () => {
    const credentials = { ...ACTON_CREDENTIALS, clientSecret: "cl/ient+secret=7d1e" };
    const outcome = await record(client({ credentials, fetch: echoing(401) }).send(minimal));
    expect(outcome).toMatchObject({ kind: "auth", status: 401 });
    expect(JSON.stringify(outcome)).toContain("client_secret=[redacted]");
    expect(JSON.stringify(outcome)).not.toContain(new URLSearchParams({ s: credentials.clientSecret }).toString().slice(2));
  });

  it("removes the refresh token from a failed refresh's echo", async () => {
    const tokenStore = memoryTokenStore();
    const key = `${acton.url} ${ACTON_CREDENTIALS.clientId} ${ACTON_CREDENTIALS.username}`;
    await tokenStore.set(key, { tokens: { accessToken: "stale-access-token", refreshToken: "stored-refresh-token", expiresAt: 0 }, passwordGrantsAt: [] });
    const outcome = await record(client({ tokenStore, fetch: echoing(500) }).send(minimal));
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, delivery: "not_sent" });
    expect(JSON.stringify(outcome)).toContain("refresh_token=[redacted]");
    expect(JSON.stringify(outcome)).not.toContain("stored-refresh-token");
  });

  it("removes credentials from a network error's message and cause", async () => {
    const fetch = async (request: Request) => {
      throw new TypeError(`fetch failed for ${await request.text()}`, { cause: new Error(`socket closed after ${ACTON_CREDENTIALS.clientSecret}`) });
    };
    const outcome = await record(client({ fetch }).send(minimal));
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent" });
    expect(JSON.stringify(outcome)).toContain("[redacted]");
  });

  it("keeps credentials out of every other failure kind", async () => {
    const acton1 = client();
    await record(acton1.send(minimal));
    acton.answerNext({ status: 500, body: { message: ACTON_CREDENTIALS.password } }, { status: 503, body: ACTON_CREDENTIALS.clientSecret });
    await record(acton1.send(minimal));
    await record(acton1.send(minimal));
    await record(acton1.send({ ...minimal, templateId: "t-unknown" }));
    await record(acton1.send({ ...minimal, envelope: { toAddress: ACTON_CREDENTIALS.password } }));
    await record(acton1.send(minimal, { signal: AbortSignal.abort() }));
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const loginTimesOut = await record(client({ fetch: hanging }).send(minimal, { timeoutMs: 5 }));
    expect(loginTimesOut).toMatchObject({ kind: "timeout", delivery: "not_sent", message: "No Act-On access token, nothing sent: no answer from the token endpoint within 5 ms" });
    // The token is fetched by a first send, so the 50 ms that follow are the send's alone, however slow the machine.
    let hang = false;
    const hangingSend = (request: Request) => (hang && !request.url.endsWith("/token") ? hanging(request) : fetch(request));
    const sendAfterToken = client({ fetch: hangingSend });
    await record(sendAfterToken.send(minimal));
    hang = true;
    const sendTimesOut = await record(sendAfterToken.send(minimal, { timeoutMs: 50 }));
    expect(sendTimesOut).toMatchObject({ kind: "timeout", delivery: "unknown" });
    expect(seen.length).toBeGreaterThanOrEqual(13);
  });

  it("shows middleware the token form with its secrets redacted, and no Authorization header", () => {
    const tokenViews = hookViews.filter((view) => view.startsWith("POST") && view.includes("/token"));
    expect(tokenViews.length).toBeGreaterThan(0);
    expect(tokenViews[0]).toContain("password=%5Bredacted%5D");
    expect(tokenViews[0]).toContain("client_secret=%5Bredacted%5D");
    expect(tokenViews.join("\n")).toContain("refresh_token=%5Bredacted%5D");
    expect(hookViews.join("\n")).not.toMatch(/authorization/i);
  });

  it("has no secret in any outcome, log entry or hook view above", () => {
    const everything = JSON.stringify({ seen, logs, hookViews });
    const secrets = [
      ACTON_CREDENTIALS.password,
      encodeURIComponent(ACTON_CREDENTIALS.password),
      new URLSearchParams({ p: ACTON_CREDENTIALS.password }).toString().slice(2),
      ACTON_CREDENTIALS.clientSecret,
      ...acton.issuedTokens,
    ];
    expect(logs.length).toBeGreaterThan(0);
    expect(acton.issuedTokens.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
