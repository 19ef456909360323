/**
 * The OAuth token lifecycle: one login, tokens kept and refreshed before they expire, single-use refresh tokens
 * replaced on every refresh, one refresh however many sends wait, one refresh and one retry on a refused token,
 * and never more than 5 logins an hour.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnOptions, type ActOnTokenRecord, type ActOnTokenStore } from "../../src/acton/index.js";
import { createTokenSession, type TokenSessionOptions } from "../../src/acton/tokens.js";
import type { Pacer } from "../../src/core/pacing.js";
import { minimal } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
beforeAll(async () => {
  acton = await startActOnDouble();
});
afterEach(() => {
  vi.useRealTimers();
  acton.requests.length = 0;
  acton.tokenCalls.length = 0;
  acton.delivered.length = 0;
  // Each test logs in afresh, as a new hour would.
  acton.passwordGrants.length = 0;
});
afterAll(async () => {
  expect(acton.specViolations).toEqual([]);
  expect(acton.limitViolations).toEqual([]);
  await acton.close();
});

/** A client with its own token store, so each test starts logged out. */
const client = (options: Partial<ActOnOptions> = {}) =>
  createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore: memoryTokenStore(), ...options });
const grants = () => acton.tokenCalls.map((call) => call.grant);
const HOUR = 3_600_000;

/** A fetch that answers ETE requests with `answers` (in order) and passes everything else to the double. */
const refusingEte = (...answers: Response[]) => async (request: Request) =>
  request.url.includes("/ete/") && answers.length ? answers.shift()! : fetch(request);

describe("password grant once, then the cached token", () => {
  it("logs in on the first send and reuses the token for the next ones", async () => {
    const acton1 = client();
    for (let n = 0; n < 3; n++) expect((await acton1.send(minimal)).ok).toBe(true);
    expect(grants()).toEqual(["password"]);
    const bearers = new Set(acton.requests.filter((r) => r.path.startsWith("/ete/")).map((r) => r.headers.authorization));
    expect(bearers.size).toBe(1);
  });

  it("sends the password grant form-encoded with every documented field", async () => {
    await client().send(minimal);
    const login = acton.requests.find((r) => r.path === "/token")!;
    expect(login.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(acton.tokenCalls[0]!.form).toEqual({
      grant_type: "password",
      username: ACTON_CREDENTIALS.username,
      password: ACTON_CREDENTIALS.password,
      client_id: ACTON_CREDENTIALS.clientId,
      client_secret: ACTON_CREDENTIALS.clientSecret,
    });
  });

  it("shares tokens between clients of one store: a client per request still logs in once", async () => {
    const tokenStore = memoryTokenStore();
    for (let n = 0; n < 3; n++) expect((await client({ tokenStore }).send(minimal)).ok).toBe(true);
    expect(grants()).toEqual(["password"]);
  });

  it("uses tokens another isolate put in a shared store, without logging in", async () => {
    const tokenStore = memoryTokenStore();
    await client({ tokenStore }).send(minimal);
    const stored = await tokenStore.get(`${acton.url} ${ACTON_CREDENTIALS.clientId} ${ACTON_CREDENTIALS.username}`);
    const otherIsolate: ActOnTokenStore = { get: async () => stored, set: async () => {} };
    acton.tokenCalls.length = 0;
    expect((await client({ tokenStore: otherIsolate }).send(minimal)).ok).toBe(true);
    expect(grants()).toEqual([]);
  });
});

describe("refresh before expiry, storing the new pair", () => {
  it("refreshes a minute before the access token expires and stores both new tokens", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const records: ActOnTokenRecord[] = [];
    const memory = memoryTokenStore();
    const tokenStore: ActOnTokenStore = {
      get: memory.get,
      set: async (key, record) => {
        records.push(record);
        await memory.set(key, record);
      },
    };
    const acton1 = client({ tokenStore });
    await acton1.send(minimal);
    vi.setSystemTime(Date.now() + HOUR - 61_000);
    await acton1.send(minimal);
    expect(grants()).toEqual(["password"]);
    vi.setSystemTime(Date.now() + 2_000);
    await acton1.send(minimal);
    expect(grants()).toEqual(["password", "refresh_token"]);
    const [, login, refreshed] = records;
    expect(acton.tokenCalls[1]!.form.refresh_token).toBe(login!.tokens!.refreshToken);
    expect(refreshed!.tokens!.refreshToken).not.toBe(login!.tokens!.refreshToken);
    expect(refreshed!.tokens!.accessToken).not.toBe(login!.tokens!.accessToken);
    expect(refreshed!.tokens!.expiresAt).toBe(Date.now() + HOUR);

    // The stored (new) refresh token is the one the next refresh uses; the old one is spent.
    vi.setSystemTime(Date.now() + HOUR);
    expect((await acton1.send(minimal)).ok).toBe(true);
    expect(grants()).toEqual(["password", "refresh_token", "refresh_token"]);
    expect(acton.tokenCalls[2]!.form.refresh_token).toBe(refreshed!.tokens!.refreshToken);
  });

  it("makes a single refresh however many sends wait on it", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const tokenStore = memoryTokenStore();
    await client({ tokenStore }).send(minimal);
    vi.setSystemTime(Date.now() + HOUR);
    const clients = [client({ tokenStore }), client({ tokenStore })];
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => clients[n % 2]!.send(minimal)));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(grants()).toEqual(["password", "refresh_token"]);
  });

  it("falls back to one password grant when Act-On refuses the refresh token", async () => {
    const tokenStore = memoryTokenStore();
    const key = `${acton.url} ${ACTON_CREDENTIALS.clientId} ${ACTON_CREDENTIALS.username}`;
    await tokenStore.set(key, { tokens: { accessToken: "expired-access", refreshToken: "spent-refresh", expiresAt: Date.now() - 1 }, passwordGrantsAt: [] });
    expect((await client({ tokenStore }).send(minimal)).ok).toBe(true);
    expect(grants()).toEqual(["refresh_token", "password"]);
    expect((await tokenStore.get(key))!.passwordGrantsAt).toHaveLength(1);
  });
});

describe("a 401 on send: one refresh, one retry", () => {
  it("the gateway refuses a revoked token: refresh, then the send succeeds", async () => {
    const acton1 = client();
    await acton1.send(minimal);
    acton.revokeAccessTokens();
    const outcome = await acton1.send(minimal);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(grants()).toEqual(["password", "refresh_token"]);
  });

  it("the ETE service's Unauthorized Request: refresh, then retry", async () => {
    const fetch = refusingEte(Response.json({ message: "Unauthorized Request" }, { status: 401 }));
    expect(await client({ fetch }).send(minimal)).toMatchObject({ ok: true, attempts: 2 });
    expect(grants()).toEqual(["password", "refresh_token"]);
  });

  it("refused again after the refresh: the second 401 is the answer, no loop", async () => {
    const refused = () => Response.json({ httpCode: "401", httpMessage: "Unauthorized", moreInformation: "" }, { status: 401 });
    const fetch = refusingEte(refused(), refused(), refused());
    const outcome = await client({ fetch }).send(minimal);
    expect(outcome).toMatchObject({ kind: "auth", status: 401, vendorMessage: "Unauthorized", attempts: 2, delivery: "not_sent" });
    expect(grants()).toEqual(["password", "refresh_token"]);
  });

  it("a late 401 for a token already replaced does not hand out again the token Act-On refused since", async () => {
    // A session whose token requests answer T1, T2, T3 in turn; the third waits until released.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let issued = 0;
    const session = createTokenSession({
      store: memoryTokenStore(),
      key: "k",
      maxPasswordGrantsPerHour: 5,
      onSecret: () => {},
      requestToken: async () => {
        const n = ++issued;
        if (n === 3) await held;
        return { ok: true, kind: "sent", vendor: "acton", status: 200, attempts: 1, data: { access_token: `T${n}`, refresh_token: `R${n}`, expires_in: 3600 } as never };
      },
    });
    expect(await session.accessToken()).toBe("T1");
    session.refuse("T1", Date.now());
    expect(await session.accessToken()).toBe("T2");
    // T2 refused in turn: its renewal is under way when a send that still held T1 gets its 401.
    session.refuse("T2", Date.now());
    const renewing = session.accessToken();
    session.refuse("T1", Date.now());
    const next = session.accessToken();
    release();
    expect(await renewing).toBe("T3");
    expect(await next).toBe("T3");
  });
});

describe("two isolates sharing one store: the token is read once the send's slot is granted", () => {
  /** One isolate's own view of the shared store: its own tokens in memory, as a separate isolate has. */
  const isolateView = (shared: ActOnTokenStore): ActOnTokenStore => ({ get: (key) => shared.get(key), set: (key, record) => shared.set(key, record) });

  it("sends waiting for a slot go with the token another isolate renewed after a revocation, not the dead one", async () => {
    const shared = memoryTokenStore();
    let openSlots!: () => void;
    const slotsOpen = new Promise<void>((resolve) => (openSlots = resolve));
    let waiting = 0;
    const heldPacer: Pacer = {
      acquire: async () => {
        waiting++;
        await slotsOpen;
        return () => {};
      },
    };
    const isolateA = client({ tokenStore: isolateView(shared) });
    const isolateB = client({ tokenStore: isolateView(shared), pacer: heldPacer });
    expect((await isolateA.send(minimal)).ok).toBe(true);
    // Isolate B has the token in hand; its sends wait for their slots.
    const queued = Array.from({ length: 10 }, (_, n) => isolateB.send({ ...minimal, envelope: { toAddress: `waiting-${n}@example.com` } }));
    await vi.waitFor(() => expect(waiting).toBe(10));
    // Act-On revokes it; isolate A's next send is refused, refreshes and stores the next pair.
    acton.revokeAccessTokens();
    expect(await isolateA.send(minimal)).toMatchObject({ ok: true, attempts: 2 });
    const refusedBefore = acton.requests.filter((request) => request.path.startsWith("/ete/")).length;
    openSlots();
    const outcomes = await Promise.all(queued);
    expect(outcomes).toMatchObject(Array(10).fill({ ok: true, attempts: 1 }));
    // Ten sends, ten requests: not one went out with the dead token.
    expect(acton.requests.filter((request) => request.path.startsWith("/ete/")).length - refusedBefore).toBe(10);
    expect(grants()).toEqual(["password", "refresh_token"]);
  });

  it("a store that cannot be read once the slot is granted: the send goes with the token in hand", async () => {
    const memory = memoryTokenStore();
    let failing = false;
    const tokenStore: ActOnTokenStore = { get: (key) => (failing ? Promise.reject(new Error("KV unavailable")) : memory.get(key)), set: memory.set };
    const acton1 = client({ tokenStore });
    expect((await acton1.send(minimal)).ok).toBe(true);
    failing = true;
    expect(await acton1.send(minimal)).toMatchObject({ ok: true, attempts: 1 });
  });
});

describe("after a 401: refresh, unless the stored token is newer than the refused send", () => {
  const issuedBy = (log: string[]): TokenSessionOptions["requestToken"] => async (grant) => {
    log.push(grant.grant_type === "refresh_token" ? `refresh ${grant.refresh_token}` : "password");
    return { ok: true, kind: "sent", vendor: "acton", status: 200, attempts: 1, data: { access_token: `T${log.length + 2}`, refresh_token: `R${log.length + 2}`, expires_in: 3600 } as never };
  };
  const pair = (n: number, obtainedAt: number) => ({ accessToken: `T${n}`, refreshToken: `R${n}`, expiresAt: obtainedAt + HOUR, obtainedAt });

  it("a stored token issued before the refused send went out may be revoked too: a refresh is made, and the send does not end `auth`", async () => {
    const now = Date.now();
    const store = memoryTokenStore();
    await store.set("k", { tokens: pair(1, now - 2_000), passwordGrantsAt: [] });
    const log: string[] = [];
    const isolateB = createTokenSession({ store, key: "k", maxPasswordGrantsPerHour: 5, onSecret: () => {}, requestToken: issuedBy(log) });
    expect(await isolateB.accessToken()).toBe("T1");
    // Another isolate refreshed a second ago; then Act-On revoked every token, and refused B's send with T1.
    await store.set("k", { tokens: pair(2, now - 1_000), passwordGrantsAt: [] });
    isolateB.refuse("T1", now);
    expect(await isolateB.accessToken()).toBe("T3");
    expect(log).toEqual(["refresh R2"]);
  });

  it("a stored token issued after the refused send went out is used, without a token request", async () => {
    const now = Date.now();
    const store = memoryTokenStore();
    await store.set("k", { tokens: pair(1, now - 2_000), passwordGrantsAt: [] });
    const log: string[] = [];
    const isolateB = createTokenSession({ store, key: "k", maxPasswordGrantsPerHour: 5, onSecret: () => {}, requestToken: issuedBy(log) });
    expect(await isolateB.accessToken()).toBe("T1");
    // Another isolate, refused as well, renewed after B's send went out.
    await store.set("k", { tokens: pair(2, now + 1), passwordGrantsAt: [] });
    isolateB.refuse("T1", now);
    expect(await isolateB.accessToken()).toBe("T2");
    expect(log).toEqual([]);
  });
});

describe("a refresh token Act-On refuses is dropped", () => {
  it("once the hour's logins are spent, later sends do not spend a token call on it", async () => {
    const tokenStore = memoryTokenStore();
    const key = `${acton.url} ${ACTON_CREDENTIALS.clientId} ${ACTON_CREDENTIALS.username}`;
    const now = Date.now();
    const spent = [5, 4, 3, 2, 1].map((minutes) => now - minutes * 60_000);
    await tokenStore.set(key, { tokens: { accessToken: "expired-access", refreshToken: "refused-refresh", expiresAt: now - 1 }, passwordGrantsAt: spent });
    for (let n = 0; n < 3; n++) {
      expect(await client({ tokenStore }).send(minimal)).toMatchObject({ ok: false, kind: "rate_limited", delivery: "not_sent" });
    }
    expect(grants()).toEqual(["refresh_token"]);
    expect(await tokenStore.get(key)).toEqual({ passwordGrantsAt: spent });
  });
});

describe("secrets holding +, / and = travel form-encoded, and never come back", () => {
  const clientSecret = "cs+/9Qw=Zx==";
  const refreshToken = "rt+/4kL=Mn==";
  const spellings = (secret: string) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];

  it("the client secret and a refresh token arrive as they are, and an echo of the form is redacted", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const bodies: string[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (!request.url.endsWith("/token")) return Response.json({ success: true, message: "Email Sent Successfully" });
      const body = await request.text();
      bodies.push(body);
      const form = new URLSearchParams(body);
      if (form.get("grant_type") === "password") return Response.json({ access_token: "at+/1=", refresh_token: refreshToken, token_type: "Bearer", expires_in: 3600 });
      // A gateway that quotes the request it could not handle, as sent and as decoded.
      return Response.json({ error: "invalid_request", error_description: `cannot handle ${body} (${[...form].map(([name, value]) => `${name}: ${value}`).join(", ")})` }, { status: 400 });
    };
    const acton1 = createActOnClient({ baseUrl: "https://acton.test", accountId: ACTON_ACCOUNT, credentials: { ...ACTON_CREDENTIALS, clientSecret }, tokenStore: memoryTokenStore(), fetch });
    expect((await acton1.send(minimal)).ok).toBe(true);
    vi.setSystemTime(Date.now() + HOUR);
    const outcome = await acton1.send(minimal);
    expect(outcome).toMatchObject({ ok: false, delivery: "not_sent" });

    const [login, refresh] = bodies.map((body) => new URLSearchParams(body));
    expect(login!.get("client_secret")).toBe(clientSecret);
    expect(refresh!.get("client_secret")).toBe(clientSecret);
    expect(refresh!.get("refresh_token")).toBe(refreshToken);
    // `+` is a space in a form: only its percent-encoded spelling keeps it a plus.
    expect(bodies[1]).toContain("refresh_token=rt%2B%2F4kL%3DMn%3D%3D");
    expect(bodies[1]).toContain("client_secret=cs%2B%2F9Qw%3DZx%3D%3D");
    const shown = JSON.stringify(outcome);
    expect(shown).toContain("[redacted]");
    for (const spelling of [...spellings(clientSecret), ...spellings(refreshToken)]) expect(shown).not.toContain(spelling);
  });
});

describe("password grants are rationed: 5 an hour, never a loop", () => {
  it("a wrong password is an auth failure with Act-On's words", async () => {
    const outcome = await client({ credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } }).send(minimal);
    expect(outcome).toMatchObject({
      kind: "auth",
      status: 403,
      vendorCode: "invalid_grant",
      vendorMessage: "Wrong email or password.",
      delivery: "not_sent",
      retryable: false,
      attempts: 0,
      message: "No Act-On access token, nothing sent: 403 invalid_grant: Wrong email or password.",
    });
  });

  it("after 5 logins in an hour, sends fail without calling Act-On, across clients of one store", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const tokenStore = memoryTokenStore();
    const wrong = { tokenStore, credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } };
    const outcomes = [];
    for (let n = 0; n < 8; n++) outcomes.push(await client(wrong).send(minimal));
    expect(grants()).toEqual(Array(5).fill("password"));
    // Act-On's own refusal of the last login, not a made-up status: a wrong password stays wrong.
    expect(outcomes.slice(5)).toMatchObject(
      Array(3).fill({ kind: "auth", status: 403, vendorCode: "invalid_grant", vendorMessage: "Wrong email or password.", attempts: 0, delivery: "not_sent", retryable: false }),
    );
    expect(outcomes[7]!.ok ? "" : outcomes[7]!.message).toMatch(/5 password grants in the last hour \(the limit\); the next is allowed at /);

    // An hour after the first login, one more is allowed.
    vi.setSystemTime(Date.now() + HOUR);
    await client({ tokenStore }).send(minimal);
    expect(grants()).toHaveLength(6);
    expect(acton.limitViolations).toEqual([]);
  });

  it("a lower maxPasswordGrantsPerHour is respected, 0 included", async () => {
    const options = { tokenStore: memoryTokenStore(), maxPasswordGrantsPerHour: 1, credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } };
    await client(options).send(minimal);
    await client(options).send(minimal);
    expect(grants()).toEqual(["password"]);
    const never = await client({ maxPasswordGrantsPerHour: 0 }).send(minimal);
    expect(never).toMatchObject({ kind: "rate_limited", retryable: false, message: "No Act-On access token, nothing sent: 0 password grants in the last hour (the limit)" });
    expect(never).not.toHaveProperty("status");
    expect(grants()).toEqual(["password"]);
  });
});

describe("token errors", () => {
  it("401 access_denied: wrong client ID or secret", async () => {
    const outcome = await client({ credentials: { ...ACTON_CREDENTIALS, clientSecret: "wrong-secret" } }).send(minimal);
    expect(outcome).toMatchObject({ kind: "auth", status: 401, vendorCode: "access_denied", vendorMessage: "Unauthorized", retryable: false });
  });

  it("the token endpoint unavailable: not sent, retryable, not retried by the client", async () => {
    acton.answerNext({ status: 503, body: "Service Unavailable" });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "server_error", status: 503, delivery: "not_sent", retryable: true, attempts: 0 });
    expect(outcome.ok ? "" : outcome.message).toMatch(/^No Act-On access token, nothing sent: 503/);
    expect(acton.requests).toHaveLength(1);
  });

  it("a failing token store: not sent, with the store's error", async () => {
    const tokenStore: ActOnTokenStore = { get: async () => Promise.reject(new Error("KV unavailable")), set: async () => {} };
    const outcome = await client({ tokenStore }).send(minimal);
    expect(outcome).toMatchObject({
      kind: "token_store",
      delivery: "not_sent",
      retryable: true,
      cause: { message: "KV unavailable" },
      message: "The Act-On token store failed (get), nothing sent: KV unavailable",
    });
    expect(acton.requests).toHaveLength(0);
  });

  it("a refused login the store cannot record: Act-On's refusal, and the store's own words", async () => {
    const memory = memoryTokenStore();
    const tokenStore: ActOnTokenStore = {
      get: memory.get,
      set: (key, record) => (record.passwordGrantRefused ? Promise.reject(new Error("KV write limit")) : memory.set(key, record)),
    };
    const outcome = await client({ tokenStore, credentials: { ...ACTON_CREDENTIALS, password: "wrong-password" } }).send(minimal);
    expect(outcome).toMatchObject({ kind: "auth", status: 403, retryable: false, delivery: "not_sent" });
    expect(outcome.ok ? "" : outcome.message).toBe(
      "No Act-On access token, nothing sent: 403 invalid_grant: Wrong email or password. (and the token store failed to record it: KV write limit)",
    );
  });

  it("an abort while waiting for a login ends the send, nothing sent", async () => {
    let release!: () => void;
    const tokenStore: ActOnTokenStore = { get: () => new Promise((resolve) => (release = () => resolve(undefined))), set: async () => {} };
    const controller = new AbortController();
    const pending = client({ tokenStore }).send(minimal, { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ kind: "aborted", delivery: "not_sent", attempts: 0 });
    release();
  });
});
