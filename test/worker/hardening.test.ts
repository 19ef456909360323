/**
 * What the worker owns up to (issue 11): a sandbox send never passes for a delivery; the local caller key and
 * pages work on a loopback host and nowhere else; credentials are read as the RFCs allow (any case of `Bearer`)
 * and never when sent twice; a Turnstile refusal that says "retry" lets the retry through; failed sign-ins cost
 * their IP its signature checks; and a failure inside the worker says `not_sent` when no vendor was called.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import {
  browserHeaders,
  browserSend,
  callerSend,
  countingLimiter,
  fakeSiteverify,
  fetchWithEnv,
  fetchWorker,
  LOCAL,
  passToken,
  signJwt,
  uniqueIp,
} from "./support/harness.ts";

const LOCAL_KEY = "txgate-local-sandbox";
const listmonkMessage = { template_id: 2, subscriber_emails: ["ada@example.com"] };
const contactForm = { action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hi" } };
const orderShipped = { action: "order-shipped", variables: { orderNumber: "A-1234" } };

async function outbox(): Promise<any[]> {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages;
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => vi.restoreAllMocks());

describe("sandbox mode is asked for, and every sandbox answer says so", () => {
  it("a trusted send to the sandbox says sandbox: true in its body and in a header", async () => {
    const answer = await callerSend("listmonk", listmonkMessage, CALLER_KEY_BILLING);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, kind: "sent", sandbox: true });
    expect(answer.headers.get("txgate-sandbox")).toBe("true");
  });

  it("a browser's send to the sandbox says so too, where the page can read it", async () => {
    fakeSiteverify();
    const answer = await browserSend(contactForm, { turnstile: passToken() });
    expect(answer.body).toEqual({ ok: true, kind: "sent", sandbox: true });
    expect(answer.headers.get("txgate-sandbox")).toBe("true");
    expect(answer.headers.get("access-control-expose-headers")).toContain("txgate-sandbox");
  });

  it("without SANDBOX=true and without vendor credentials, nothing is sent and the answer says what is missing", async () => {
    const answer = await fetchWithEnv({ SANDBOX: undefined }, "/v1/send/listmonk", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
      body: JSON.stringify(listmonkMessage),
    });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ kind: "not_configured", delivery: "not_sent", retryable: false, detail: expect.stringContaining("no vendor is configured") });
    expect(answer.headers.get("txgate-sandbox")).toBeNull();
    expect(await outbox()).toEqual([]);
  });

  it("a live worker's answers carry no sandbox mark, SANDBOX=true or not", async () => {
    const answer = await fetchWithEnv({ ...LIVE_VENDOR_SECRETS }, "/");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("txgate-sandbox")).toBeNull();
  });

  it("SANDBOX must be true or false", async () => {
    const answer = await fetchWithEnv({ SANDBOX: "yes" }, "/");
    expect(answer.body).toMatchObject({ kind: "misconfigured" });
  });
});

describe("the local caller key (npm start)", () => {
  it("sends to the sandbox from localhost, with no CALLER_KEYS set at all", async () => {
    const answer = await fetchWithEnv({ CALLER_KEYS: undefined }, `${LOCAL}/v1/send/listmonk`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${LOCAL_KEY}` },
      body: JSON.stringify(listmonkMessage),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, kind: "sent", sandbox: true, vendor: "listmonk" });
    expect(await outbox()).toHaveLength(1);
  });

  it("is refused on localhost when the request carries a foreign Host", async () => {
    const answer = await fetchWorker(`${LOCAL}/v1/send/listmonk`, {
      method: "POST",
      headers: { host: "rebind.evil.example", "content-type": "application/json", authorization: `Bearer ${LOCAL_KEY}` },
      body: JSON.stringify(listmonkMessage),
    });
    expect(answer.status).toBe(401);
    expect(await outbox()).toEqual([]);
  });
});

describe("the local pages answer a loopback host only", () => {
  it.each([
    ["a command-line client", {}],
    ["a person who typed the address", { "sec-fetch-site": "none" }],
    ["the demo page's own script (Referer on localhost)", { "sec-fetch-site": "same-origin", referer: "http://localhost:8787/demo" }],
    ["a page on 127.0.0.1 (Origin)", { "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:8787" }],
  ])("the outbox answers %s", async (_who, headers) => {
    const answer = await fetchWorker(`${LOCAL}/sandbox/messages`, { headers });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ messages: [] });
  });

  it("127.0.0.1 and [::1] are loopback too; a foreign host is not", async () => {
    expect((await fetchWorker("http://127.0.0.1/sandbox/messages")).status).toBe(200);
    expect((await fetchWorker("http://[::1]/sandbox/messages")).status).toBe(200);
    expect((await fetchWorker("http://localhost.evil.example/sandbox/messages")).status).toBe(404);
  });
});

describe("credentials", () => {
  it.each([["bearer"], ["BEARER"], ["Bearer  "]])("the scheme %j works on the trusted route (RFC 9110: case-insensitive)", async (scheme) => {
    const answer = await callerSend("listmonk", listmonkMessage, undefined, { authorization: `${scheme.trim()}${scheme.endsWith(" ") ? "  " : " "}${CALLER_KEY_BILLING}` });
    expect(answer.status).toBe(200);
  });

  it("a lower-case bearer JWT works on the browser route", async () => {
    const answer = await browserSend(orderShipped, { headers: { authorization: `bearer ${await signJwt()}` } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, kind: "sent" });
  });

  it("two X-Turnstile-Token headers are refused without asking siteverify about either", async () => {
    const calls = fakeSiteverify();
    const answer = await fetchWorker("/v1/actions", {
      method: "POST",
      headers: [...Object.entries(browserHeaders()), ["x-turnstile-token", passToken()], ["x-turnstile-token", passToken()]],
      body: JSON.stringify(contactForm),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe("send X-Turnstile-Token once, with one credential");
    expect(calls).toEqual([]);
  });

  it("a caller key with a comma cannot be configured (it could never be told from two keys)", async () => {
    const answer = await fetchWithEnv({ CALLER_KEYS: JSON.stringify([{ id: "a", key: "ck_with,comma_0123456789abcdef0123456789", vendors: ["listmonk"] }]) }, "/");
    expect(answer.body).toMatchObject({ kind: "misconfigured" });
  });
});

describe("Turnstile: a retryable refusal can be retried", () => {
  it("when siteverify cannot be reached the answer is 503 retryable, and the same token then passes", async () => {
    const calls = fakeSiteverify();
    const token = `recovers-${crypto.randomUUID()}`;
    const ip = uniqueIp();
    const first = await browserSend(contactForm, { turnstile: token, ip });
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ kind: "verification_unavailable", retryable: true, delivery: "not_sent" });
    const retry = await browserSend(contactForm, { turnstile: token, ip });
    expect(retry.status).toBe(200);
    expect(await outbox()).toHaveLength(1);
    // Every ask about the token carried one idempotency key, so siteverify answers the retry as it would the first.
    expect(new Set(calls.map((call) => call.idempotencyKey)).size).toBe(1);
    // Once it passed, it is spent.
    expect((await browserSend(contactForm, { turnstile: token, ip })).status).toBe(401);
  });
});

describe("Turnstile: a vendor's retryable refusal can be retried with the same token", () => {
  it("a 429 that sent nothing gives the token back; once sent, the token is spent", async () => {
    const calls = fakeSiteverify();
    const siteverifyFake = vi.mocked(globalThis.fetch).getMockImplementation()!;
    let vendorAnswers = 0;
    vi.mocked(globalThis.fetch).mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init);
      if (!request.url.includes("everlytic.net")) return siteverifyFake(request);
      vendorAnswers++;
      return vendorAnswers === 1
        ? Response.json({ code: 429, message: "Too many", error: { errors: [{ reason: "RequestLimit", message: "Too many", location: "default" }] } }, { status: 429, headers: { "retry-after": "30" } })
        : Response.json({ transactions: [{ id: "t-1" }] });
    });
    const live = { EVERLYTIC_USERNAME: LIVE_VENDOR_SECRETS.EVERLYTIC_USERNAME, EVERLYTIC_API_KEY: LIVE_VENDOR_SECRETS.EVERLYTIC_API_KEY };
    const token = passToken();
    const ip = uniqueIp();
    const send = () => fetchWithEnv(live, "/v1/actions", { method: "POST", headers: browserHeaders({ turnstile: token, ip }), body: JSON.stringify(contactForm) });
    const first = await send();
    expect(first.body).toMatchObject({ kind: "rate_limited", retryable: true, delivery: "not_sent" });
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(vendorAnswers).toBe(2);
    expect(new Set(calls.map((call) => call.idempotencyKey)).size).toBe(1);
    expect((await send()).body).toMatchObject({ kind: "unauthenticated", detail: "the Turnstile token was already used" });
    expect(vendorAnswers).toBe(2);
  });
});

describe("failed sign-ins are limited per IP", () => {
  it("once an IP's failures pass the limit, its tokens are refused before any signature is checked", async () => {
    const limiter = countingLimiter(2);
    const ip = uniqueIp();
    const send = (jwt: string) => fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ ip, jwt }), body: JSON.stringify(orderShipped) });
    const [header, payload] = (await signJwt()).split(".");
    const forged = `${header}.${payload}.AAAA`;
    for (let n = 0; n < 3; n++) expect((await send(forged)).status).toBe(401);
    const good = await signJwt();
    const verify = vi.spyOn(crypto.subtle, "verify");
    const answer = await send(good);
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ kind: "rate_limited", retryable: true, delivery: "not_sent" });
    expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(verify).not.toHaveBeenCalled();
    // Counted per IP: another address is not held back.
    expect((await fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ jwt: good }), body: JSON.stringify(orderShipped) })).status).toBe(200);
    expect(limiter.keys.filter((key) => key.startsWith("failures:"))).toEqual(Array(3).fill(`failures:jwt:ip:${ip}`));
  });
});

describe("a failure inside the worker says whether anything was sent", () => {
  it("before any vendor is called it is not_sent", async () => {
    const broken = { limit: async () => Promise.reject(new Error("the rate limiter is down")) };
    const answer = await fetchWithEnv({ CALLER_RATE_LIMIT: broken }, "/v1/send/listmonk", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
      body: JSON.stringify(listmonkMessage),
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "internal", delivery: "not_sent" });
  });

  it("once a vendor was called it is unknown", async () => {
    const stringify = JSON.stringify.bind(JSON);
    // The worker fails while writing its answer, after the sandbox vendor took the message.
    vi.spyOn(JSON, "stringify").mockImplementation((value: unknown, ...rest: unknown[]) => {
      if ((value as { kind?: unknown } | null)?.kind === "sent") throw new Error("the answer could not be written");
      return (stringify as (...args: unknown[]) => string)(value, ...rest);
    });
    const answer = await callerSend("listmonk", listmonkMessage, CALLER_KEY_BILLING);
    vi.restoreAllMocks();
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "internal", delivery: "unknown" });
    expect(await outbox()).toHaveLength(1);
  });
});

describe("a vendor's template syntax in a browser's variables", () => {
  it("is data for listmonk, whose Go templates print data and never evaluate it", async () => {
    const answer = await browserSend({ action: "order-shipped", variables: { orderNumber: "A-1", carrier: "{{ .Subscriber.Email }}" } }, { jwt: await signJwt() });
    expect(answer.status).toBe(200);
    expect((await outbox())[0]).toMatchObject({ data: { carrier: "{{ .Subscriber.Email }}" } });
  });

  it("is refused for ExpertSender, naming the variable and the rule", async () => {
    const answer = await browserSend({ action: "welcome", variables: { firstName: "Pat *[subscriber_email]*" } }, { jwt: await signJwt() });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([{ path: "variables.firstName", rule: "no_template_tags", message: "must not contain ExpertSender personalization tags (*[ ]*)" }]);
  });
});
