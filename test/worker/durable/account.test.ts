/**
 * The account Durable Object holds what Act-On limits per account for the whole deployment, not per isolate:
 * one login or refresh in flight, at most 5 password grants an hour, each refresh token used once, and at most
 * 20 Event-Triggered Emails in any second.
 *
 * Every send here is a separate invocation of the worker with its own copy of the environment, so it builds its
 * own configuration, clients, token session and pacer: nothing of txgate's is shared in memory between two
 * sends, as between two isolates. Only the account object is shared. The sandbox vendor (one per isolate, like a
 * real vendor is one for everyone) records each token request and the moment each email arrived.
 */
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActOnTokenRecord } from "../../../src/acton/index.ts";
import { accountObjectName, type SlotRequest, type VendorAccountObject } from "../../../src/worker/durable/account.ts";
import { accountPacer } from "../../../src/worker/durable/account-pacer.ts";
import { VENDORS } from "../../../src/vendors/registry.ts";
import { SANDBOX_BASE_URL, sandboxVendors } from "../../../worker/sandbox/index.ts";
import { CALLER_KEY_BILLING } from "../support/bindings.ts";
import type { Env } from "../../../src/worker/env.ts";
import { fetchWithEnv, fetchWorker, type Answer } from "../support/harness.ts";

const ACTON_RATE = 20;
const { accountId, credentials } = VENDORS.acton.sandbox.settings;
/** The sandbox account's object, and the key its token record is kept under (base URL, client ID, username). */
const accounts = (env as unknown as Env).VENDOR_ACCOUNTS;
const account = () => accounts.get(accounts.idFromName(accountObjectName("acton", `${accountId} ${SANDBOX_BASE_URL}`)));
const tokenKey = `${SANDBOX_BASE_URL} ${credentials.clientId} ${credentials.username}`;

const email = (n: number) => ({
  templateId: "t-0099",
  envelope: { toAddress: `customer-${n}@example.com` },
  content: { personalizationDataMap: { orderNumber: `A-${n}` } },
  metadata: { transactional: true, externalId: `A-${n}` },
  actions: { trackOpens: false, trackClicks: false },
});

/** One send through the trusted route, as its own invocation (its own copy of the environment). */
function send(n: number, settings: Record<string, string> = {}): Promise<Answer> {
  return fetchWithEnv(settings, "/v1/send/acton", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
    body: JSON.stringify(email(n)),
  });
}

function sendMany(count: number): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, (_, n) => send(n)));
}

interface ActOnTraffic {
  /** `grant_type` of every `POST /token`, in order. */
  readonly grants: string[];
  /** When each `POST /token` reached the sandbox. */
  readonly tokenCalls: number[];
  /** When each email reached the sandbox (ms since the epoch). */
  readonly arrivals: number[];
}

/** The sandbox vendors themselves, before any test watches them. */
const { acton: actOnSandbox, listmonk: listmonkSandbox } = sandboxVendors;

/** Watches the Act-On sandbox (from now on, replacing any earlier watch); `answer` may stand in for it on a token request. */
function watchActOn(answer?: (grantType: string) => Response | undefined): ActOnTraffic {
  const traffic: ActOnTraffic = { grants: [], tokenCalls: [], arrivals: [] };
  vi.spyOn(sandboxVendors, "acton").mockImplementation(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/token") {
      const form = new URLSearchParams(new TextDecoder().decode(await request.clone().arrayBuffer()));
      const grantType = form.get("grant_type") ?? "";
      traffic.grants.push(grantType);
      traffic.tokenCalls.push(Date.now());
      const stand = answer?.(grantType);
      if (stand) return stand;
    } else {
      traffic.arrivals.push(Date.now());
    }
    return actOnSandbox(request);
  });
  return traffic;
}

/** The most arrivals within any 1-second window [t, t + 1000). */
function busiestSecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const storedRecord = () => account().tokenRecord(tokenKey) as Promise<ActOnTokenRecord | undefined>;
const storeRecord = (record: ActOnTokenRecord) => account().keepTokenRecord(tokenKey, record);

beforeEach(async () => {
  // A fresh account: no tokens, no password grants this hour.
  await storeRecord({ passwordGrantsAt: [] });
});
afterEach(() => vi.restoreAllMocks());

describe("one account object for every isolate", () => {
  it(
    "200 concurrent sends from separate invocations: exactly 1 password grant, never more than 20 emails in a second",
    async () => {
      const traffic = watchActOn();
      const answers = await sendMany(200);
      expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(200));
      expect(traffic.grants).toEqual(["password"]);
      expect(traffic.arrivals).toHaveLength(200);
      expect(busiestSecond(traffic.arrivals)).toBeLessThanOrEqual(ACTON_RATE);
      const record = await storedRecord();
      expect(record?.passwordGrantsAt).toHaveLength(1);
      expect(record?.tokens?.accessToken).toMatch(/^at-\d+-/);
    },
    300_000,
  );

  it("a lower ACTON_SENDS_PER_SECOND holds across invocations too", async () => {
    const traffic = watchActOn();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => send(n, { ACTON_SENDS_PER_SECOND: "3" })));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(busiestSecond(traffic.arrivals)).toBeLessThanOrEqual(3);
  }, 120_000);
});

describe("Act-On: at most 5 password grants an hour, counted in the account object", () => {
  it("the fifth grant of the hour is made; with none left, no invocation asks Act-On", async () => {
    const now = Date.now();
    const earlier = [now - 50 * 60_000, now - 40 * 60_000, now - 30 * 60_000, now - 20 * 60_000];
    await storeRecord({ passwordGrantsAt: earlier });
    const traffic = watchActOn();
    expect((await send(1)).status).toBe(200);
    expect(traffic.grants).toEqual(["password"]);
    const afterFifth = await storedRecord();
    expect(afterFifth?.passwordGrantsAt).toHaveLength(5);

    // The tokens are lost (say Act-On revoked them); the hour's 5 grants are spent.
    await storeRecord({ passwordGrantsAt: afterFifth!.passwordGrantsAt });
    const refused = await Promise.all(Array.from({ length: 10 }, (_, n) => send(n)));
    for (const answer of refused) {
      expect(answer.status).not.toBe(200);
      expect(answer.body).toMatchObject({ delivery: "not_sent" });
      expect(answer.body.detail).toContain("5 password grants in the last hour");
    }
    expect(traffic.grants).toEqual(["password"]);
    expect(traffic.arrivals).toHaveLength(1);
    expect((await storedRecord())?.passwordGrantsAt).toEqual(afterFifth!.passwordGrantsAt);
  });

  it("grants older than an hour no longer count", async () => {
    const now = Date.now();
    await storeRecord({ passwordGrantsAt: [1, 2, 3, 4, 5].map((minutes) => now - 60 * 60_000 - minutes * 60_000) });
    const traffic = watchActOn();
    expect((await send(1)).status).toBe(200);
    expect(traffic.grants).toEqual(["password"]);
    expect((await storedRecord())?.passwordGrantsAt).toHaveLength(1);
  });
});

describe("Act-On: a refresh token is used once, and the next pair stored once", () => {
  it("50 separate invocations with an expired access token make 1 refresh and no login", async () => {
    watchActOn();
    expect((await send(0)).status).toBe(200);
    const first = (await storedRecord())!;
    await storeRecord({ ...first, tokens: { ...first.tokens!, expiresAt: Date.now() - 1 } });

    const traffic = watchActOn();
    const answers = await sendMany(50);
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(traffic.grants).toEqual(["refresh_token"]);
    const rotated = (await storedRecord())!;
    expect(rotated.tokens!.refreshToken).not.toBe(first.tokens!.refreshToken);
    expect(rotated.tokens!.accessToken).not.toBe(first.tokens!.accessToken);
    expect(rotated.passwordGrantsAt).toEqual(first.passwordGrantsAt);
  }, 120_000);

  it("a refused refresh token falls back to one password grant, counted, for all invocations", async () => {
    await storeRecord({
      tokens: { accessToken: "sandbox-at-long-gone", refreshToken: "sandbox-rt-never-issued", expiresAt: Date.now() - 1 },
      passwordGrantsAt: [],
    });
    const traffic = watchActOn();
    const answers = await sendMany(20);
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(traffic.grants).toEqual(["refresh_token", "password"]);
    const record = (await storedRecord())!;
    expect(record.passwordGrantsAt).toHaveLength(1);
    expect(record.tokens!.refreshToken).not.toBe("sandbox-rt-never-issued");
  }, 120_000);

  it("a refused refresh token is dropped once the hour's logins are spent: later invocations spend no token call on it", async () => {
    const now = Date.now();
    const spent = [5, 4, 3, 2, 1].map((minutes) => now - minutes * 60_000);
    await storeRecord({ tokens: { accessToken: "sandbox-at-long-gone", refreshToken: "sandbox-rt-never-issued", expiresAt: now - 1 }, passwordGrantsAt: spent });
    const traffic = watchActOn();
    for (let n = 0; n < 3; n++) {
      const answer = await send(n);
      expect(answer.body).toMatchObject({ delivery: "not_sent" });
      expect(answer.body.detail).toContain("5 password grants in the last hour");
    }
    expect(traffic.grants).toEqual(["refresh_token"]);
    expect(await storedRecord()).toEqual({ passwordGrantsAt: spent });
  });

  it("a refresh cut off by a server error keeps the refresh token and logs in nowhere; the next send refreshes", async () => {
    watchActOn();
    expect((await send(0)).status).toBe(200);
    const first = (await storedRecord())!;
    await storeRecord({ ...first, tokens: { ...first.tokens!, expiresAt: Date.now() - 1 } });

    let failing = true;
    const traffic = watchActOn((grantType) =>
      failing && grantType === "refresh_token" ? Response.json({ error: "server_error" }, { status: 503 }) : undefined,
    );
    const failed = await Promise.all(Array.from({ length: 10 }, (_, n) => send(n)));
    for (const answer of failed) expect(answer.body).toMatchObject({ delivery: "not_sent" });
    // Each send tried a refresh in its turn, none logged in: the refresh token was not spent, so it is kept. The
    // tries kept within Act-On's 5 calls a second.
    expect(traffic.grants).toEqual(Array(10).fill("refresh_token"));
    expect(busiestSecond(traffic.tokenCalls)).toBeLessThanOrEqual(5);
    expect((await storedRecord())!.tokens!.refreshToken).toBe(first.tokens!.refreshToken);

    failing = false;
    expect((await send(11)).status).toBe(200);
    expect(traffic.grants).toEqual(Array(11).fill("refresh_token"));
    expect((await storedRecord())!.passwordGrantsAt).toEqual(first.passwordGrantsAt);
  });
});

describe("Act-On across invocations: the token is read once the send's slot is granted", () => {
  it("sends waiting for their slots go with the token renewed after a revocation, none with the dead one", async () => {
    watchActOn();
    expect((await send(0)).status).toBe(200);
    const before = (await storedRecord())!;
    const dead = before.tokens!;

    // The account object as every invocation below sees it, except that their send slots wait for the test.
    let openSlots!: () => void;
    const slotsOpen = new Promise<void>((resolve) => (openSlots = resolve));
    let waiting = 0;
    const sendLane = `${SANDBOX_BASE_URL} ${accountId}`;
    const heldAccounts = {
      idFromName: (name: string) => accounts.idFromName(name),
      get: (id: DurableObjectId) => {
        const stub = accounts.get(id);
        return {
          tokenRecord: (key: string) => stub.tokenRecord(key),
          keepTokenRecord: (key: string, record: ActOnTokenRecord) => stub.keepTokenRecord(key, record),
          exclusive: (key: string, renew: () => Promise<unknown>) => stub.exclusive(key, renew),
          acquireSlot: async (request: SlotRequest) => {
            if (request.lane === sendLane) {
              waiting++;
              await slotsOpen;
            }
            return stub.acquireSlot(request);
          },
          withdrawSlot: (ticket: string) => stub.withdrawSlot(ticket),
          releaseSlot: (ticket: string) => stub.releaseSlot(ticket),
        };
      },
    };
    const queued = Array.from({ length: 10 }, (_, n) =>
      fetchWithEnv({ VENDOR_ACCOUNTS: heldAccounts as never }, "/v1/send/acton", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
        body: JSON.stringify(email(100 + n)),
      }),
    );
    await vi.waitFor(() => expect(waiting).toBe(10));

    // Act-On revokes the token; another isolate, refused, refreshes and stores the next pair.
    const sentWith: string[] = [];
    vi.spyOn(sandboxVendors, "acton").mockImplementation(async (request) => {
      const bearer = request.headers.get("authorization")?.slice("Bearer ".length);
      if (new URL(request.url).pathname !== "/token" && bearer) {
        sentWith.push(bearer);
        if (bearer === dead.accessToken) return Response.json({ httpCode: "401", httpMessage: "Unauthorized", moreInformation: "" }, { status: 401 });
      }
      return actOnSandbox(request);
    });
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: dead.refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret });
    const refreshed = (await (
      await actOnSandbox(new Request(`${SANDBOX_BASE_URL}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form }))
    ).json()) as { access_token: string; refresh_token: string; expires_in: number };
    const obtainedAt = Date.now();
    await storeRecord({ ...before, tokens: { accessToken: refreshed.access_token, refreshToken: refreshed.refresh_token, expiresAt: obtainedAt + refreshed.expires_in * 1000, obtainedAt } });

    openSlots();
    const answers = await Promise.all(queued);
    expect(answers.map((answer) => [answer.status, answer.body.attempts])).toEqual(Array(10).fill([200, 1]));
    expect(sentWith).toEqual(Array(10).fill(refreshed.access_token));
  });
});

describe("the account object's pacer: a slot is a lease, kept in storage", () => {
  const freshLane = () => `test ${crypto.randomUUID()}`;
  const slot = (ticket: string, lane: string, holdMs = 60_000) => ({ lane, limit: 1, windowMs: 1000, ticket, holdMs });
  const heldSlots = (lane?: string) => runInDurableObject(account() as DurableObjectStub<VendorAccountObject>, async (instance: VendorAccountObject) => instance.heldSlots(lane));

  it("20 concurrent synchronous sends hold no slot once all are answered: each release arrived before its response", async () => {
    watchActOn();
    // Through the deployed worker, each request its own invocation whose work ends with its response.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        fetchWorker("/v1/send/acton", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` }, body: JSON.stringify(email(n)) }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(await heldSlots()).toEqual([]);
  });

  it("a withdrawn request leaves the queue without a slot", async () => {
    const stub = account();
    const request = slot("first", freshLane());
    expect(await stub.acquireSlot(request)).toBe(true);
    const waiting = stub.acquireSlot({ ...request, ticket: "second" });
    await stub.withdrawSlot("second");
    expect(await waiting).toBe(false);
    await stub.releaseSlot("first");
  });

  it("a slot its holder never releases (its isolate ended) frees after holdMs", async () => {
    const stub = account();
    const request = slot("abandoned", freshLane(), 10);
    expect(await stub.acquireSlot(request)).toBe(true);
    // Never released: the next request is still served.
    expect(await stub.acquireSlot({ ...request, ticket: "next" })).toBe(true);
    await stub.releaseSlot("next");
  });

  it("the cap holds across a restart of the object: slots held, and released ones still in their window, still count", async () => {
    const lane = freshLane();
    const request = { lane, limit: 2, windowMs: 60_000, holdMs: 60_000 };
    expect(await account().acquireSlot({ ...request, ticket: "answered" })).toBe(true);
    expect(await account().acquireSlot({ ...request, ticket: "in flight" })).toBe(true);
    await account().releaseSlot("answered");
    // Every object restarts: what lived in memory is gone, storage stays.
    await abortAllDurableObjects();
    const stub = account();
    const third = stub.acquireSlot({ ...request, ticket: "third" });
    expect(await stub.heldSlots(lane)).toEqual(["in flight"]);
    // Still waiting: withdrawn, it gets no slot (granted at once, it would answer true).
    await stub.withdrawSlot("third");
    expect(await third).toBe(false);
  });

  it("a release for a slot granted before a restart frees it for the request waiting after the restart", async () => {
    const lane = freshLane();
    // A one-ms window: once released, the slot frees at once.
    const request = { lane, limit: 1, windowMs: 1, holdMs: 60_000 };
    expect(await account().acquireSlot({ ...request, ticket: "before" })).toBe(true);
    await abortAllDurableObjects();
    const stub = account();
    const after = stub.acquireSlot({ ...request, ticket: "after" });
    expect(await stub.heldSlots(lane)).toEqual(["before"]);
    await stub.releaseSlot("before");
    expect(await after).toBe(true);
    await stub.releaseSlot("after");
  });

  it("a send waiting for its slot when the object restarts asks the new one: granted once the slot before it is released", async () => {
    const lane = freshLane();
    const pacer = accountPacer(account, { limit: 1, windowMs: 1 });
    const first = await pacer.acquire(lane);
    expect(first).not.toBe(false);
    const second = pacer.acquire(lane);
    await vi.waitFor(async () => expect(await account().heldSlots(lane)).toHaveLength(1));
    await abortAllDurableObjects();
    // The slot granted before the restart is released to the new instance, which lets the second request through.
    await (first as () => Promise<void>)();
    const release = await second;
    expect(release).not.toBe(false);
    await (release as () => Promise<void>)();
    expect(await heldSlots(lane)).toEqual([]);
  });

  it("beforeStart runs once the slot is granted, before the send may start", async () => {
    const pacer = accountPacer(account, { limit: 1, windowMs: 1 });
    const lane = freshLane();
    const steps: string[] = [];
    const release = await pacer.acquire(lane, undefined, async () => {
      steps.push(`beforeStart, holding ${(await account().heldSlots(lane)).length}`);
    });
    steps.push("granted");
    expect(steps).toEqual(["beforeStart, holding 1", "granted"]);
    await (release as () => Promise<void>)();
  });

  it("a send aborted while it waits for its slot does not start, and its request leaves the object", async () => {
    const pacer = accountPacer(account, { limit: 1, windowMs: 60_000 });
    const lane = freshLane();
    const first = await pacer.acquire(lane);
    expect(first).not.toBe(false);
    const controller = new AbortController();
    const waiting = pacer.acquire(lane, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    await (first as () => Promise<void>)();
    expect(await heldSlots(lane)).toEqual([]);
  });
});

describe("the account object's renewals", () => {
  it("renewals for one key run one at a time, in order", async () => {
    const log = await runInDurableObject(account() as DurableObjectStub<VendorAccountObject>, async (instance: VendorAccountObject) => {
      const steps: string[] = [];
      const renewal = (name: string) => async () => {
        steps.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        steps.push(`${name} ends`);
        return name;
      };
      const results = await Promise.all([instance.exclusive("k", renewal("a")), instance.exclusive("k", renewal("b"))]);
      return { steps, results };
    });
    expect(log.results).toEqual(["a", "b"]);
    expect(log.steps).toEqual(["a starts", "a ends", "b starts", "b ends"]);
  });
});

describe("configuration", () => {
  it("ACTON_SENDS_PER_SECOND above Act-On's 20 is refused", async () => {
    const answer = await send(1, { ACTON_SENDS_PER_SECOND: "30" });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "misconfigured" });
  });

  it("LISTMONK_SENDS_PER_SECOND paces listmonk through its account object", async () => {
    const arrivals: number[] = [];
    vi.spyOn(sandboxVendors, "listmonk").mockImplementation(async (request) => {
      arrivals.push(Date.now());
      return listmonkSandbox(request);
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        fetchWithEnv({ LISTMONK_SENDS_PER_SECOND: "2" }, "/v1/send/listmonk", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
          body: JSON.stringify({ template_id: 2, subscriber_emails: [`reader-${n}@example.com`] }),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    expect(arrivals).toHaveLength(6);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(2);
  }, 60_000);
});
