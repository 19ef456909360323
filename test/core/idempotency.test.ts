/**
 * The library's idempotency keys, seen through the listmonk client with a fetch-level double: a repeat returns
 * the first outcome and sends nothing; another request under the key is refused; a repeat while the first is
 * running is told to wait; an outcome that proves nothing was sent frees the key; an `unknown` one never does.
 */
import { describe, expect, it, vi } from "vitest";
import { memoryIdempotencyLedger, requestFingerprint, type IdempotencyLedger } from "../../src/core/idempotency.js";
import { createBrowserClient } from "../../src/browser/index.js";
import { createListmonkClient } from "../../src/listmonk/index.js";
import { LISTMONK_TOKEN, LISTMONK_USER } from "../listmonk/double.js";

const message = { subscriber_emails: ["ada@example.com"], template_id: 2 };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function setup(answer: () => Response | Promise<Response> = () => json(200, { data: true }), ledger: IdempotencyLedger = memoryIdempotencyLedger()) {
  const fetch = vi.fn(async (_request: Request) => answer());
  const client = createListmonkClient({
    baseUrl: "http://listmonk.test",
    username: LISTMONK_USER,
    token: LISTMONK_TOKEN,
    fetch,
    idempotencyLedger: ledger,
    retry: { retries: 0 },
  });
  return { fetch, client };
}

describe("idempotency keys in the library", () => {
  it("the same key and message return the first outcome and send once", async () => {
    const { fetch, client } = setup();
    const first = await client.send(message, { idempotencyKey: "order-1234-shipped" });
    const again = await client.send({ template_id: 2, subscriber_emails: ["ada@example.com"] }, { idempotencyKey: "order-1234-shipped" });
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("the same key with another message is refused, nothing sent", async () => {
    const { fetch, client } = setup();
    await client.send(message, { idempotencyKey: "order-1234-shipped" });
    const other = await client.send({ ...message, template_id: 3 }, { idempotencyKey: "order-1234-shipped" });
    expect(other).toMatchObject({ ok: false, kind: "idempotency_key_reused", delivery: "not_sent", retryable: false });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("a repeat while the first send runs is told to come back, and sends nothing", async () => {
    let answer!: (response: Response) => void;
    const { fetch, client } = setup(() => new Promise<Response>((resolve) => (answer = resolve)));
    const first = client.send(message, { idempotencyKey: "order-1234-shipped" });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const during = await client.send(message, { idempotencyKey: "order-1234-shipped" });
    expect(during).toMatchObject({ ok: false, kind: "idempotency_in_flight", retryable: true, delivery: "not_sent", retryAfter: 1 });
    answer(json(200, { data: true }));
    expect((await first).ok).toBe(true);
    expect(await client.send(message, { idempotencyKey: "order-1234-shipped" })).toMatchObject({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("an outcome that proves nothing was sent frees the key for the same request", async () => {
    const answers = [json(429, { message: "slow down" }), json(200, { data: true })];
    const { fetch, client } = setup(() => answers.shift()!);
    expect(await client.send(message, { idempotencyKey: "order-1234-shipped" })).toMatchObject({ kind: "rate_limited", delivery: "not_sent" });
    expect(await client.send(message, { idempotencyKey: "order-1234-shipped" })).toMatchObject({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("an unknown outcome holds the key: the repeat gets it again and is never sent", async () => {
    const { fetch, client } = setup(() => json(500, { message: "boom" }));
    const first = await client.send(message, { idempotencyKey: "order-1234-shipped" });
    expect(first).toMatchObject({ kind: "server_error", delivery: "unknown" });
    expect(await client.send(message, { idempotencyKey: "order-1234-shipped" })).toEqual(first);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("a malformed key is a validation outcome naming idempotencyKey", async () => {
    const { fetch, client } = setup();
    for (const key of ["short", "has space in it", "x".repeat(256), "quote\"d-key"]) {
      const outcome = await client.send(message, { idempotencyKey: key });
      expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "idempotencyKey", rule: "idempotency_key" }] });
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a claim whose process died mid-send is answered unknown once its lease is over, never resent", async () => {
    let now = 1_000_000;
    const ledger = memoryIdempotencyLedger({ now: () => now });
    const fingerprint = await requestFingerprint({ vendor: "listmonk", message });
    expect(await ledger.claim("order-1234-shipped", fingerprint)).toEqual({ state: "claimed" });
    now += 5 * 60 * 1000 - 1;
    expect((await ledger.claim("order-1234-shipped", fingerprint)).state).toBe("in_flight");
    now += 1;
    const { fetch, client } = setup(undefined, ledger);
    const outcome = await client.send(message, { idempotencyKey: "order-1234-shipped" });
    expect(outcome).toMatchObject({ ok: false, kind: "aborted", delivery: "unknown", retryable: false });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("keys expire after 24 hours", async () => {
    let now = 0;
    const ledger = memoryIdempotencyLedger({ now: () => now });
    await ledger.claim("order-1234-shipped", "f1");
    await ledger.record("order-1234-shipped", "f1", { ok: true, kind: "sent", vendor: "listmonk", status: 200, data: {}, attempts: 1 });
    now += 24 * 60 * 60 * 1000 - 1;
    expect((await ledger.claim("order-1234-shipped", "f2")).state).toBe("request_differs");
    now += 1;
    expect((await ledger.claim("order-1234-shipped", "f2")).state).toBe("claimed");
  });

  it("a ledger that fails sends nothing and says to try again", async () => {
    const broken: IdempotencyLedger = {
      claim: () => Promise.reject(new Error("down")),
      record: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
    const { fetch, client } = setup(undefined, broken);
    expect(await client.send(message, { idempotencyKey: "order-1234-shipped" })).toMatchObject({ kind: "idempotency_in_flight", delivery: "not_sent" });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("fingerprints ignore key order and compare bytes by value", async () => {
    expect(await requestFingerprint({ a: 1, b: [1, { c: 2, d: undefined }] })).toBe(await requestFingerprint({ b: [1, { c: 2 }], a: 1 }));
    expect(await requestFingerprint({ file: new Uint8Array([1, 2]) })).toBe(await requestFingerprint({ file: new Uint8Array([1, 2]).buffer }));
    expect(await requestFingerprint({ file: new Uint8Array([1, 2]) })).not.toBe(await requestFingerprint({ file: new Uint8Array([1, 3]) }));
    expect(await requestFingerprint({ file: new Blob(["ab"]) })).not.toBe(await requestFingerprint({ file: new Blob(["ac"]) }));
  });

  it("without a key nothing changes: every send goes out", async () => {
    const { fetch, client } = setup();
    await client.send(message);
    await client.send(message);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe("the browser client's Idempotency-Key", () => {
  type Actions = { "contact-form": { variables: import("valibot").GenericSchema<{ name: string }> } };
  const capture = () => {
    const requests: Request[] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return Response.json({ ok: true, kind: "sent" });
    });
    return { requests, client: createBrowserClient<Actions>({ endpoint: "https://mail.example/v1/actions", fetch: fetch as typeof globalThis.fetch }) };
  };

  it("sends a fresh key with each call (it never retries by itself), and the caller's own key when given", async () => {
    const { requests, client } = capture();
    await client.send("contact-form", { variables: { name: "Ada" } });
    await client.send("contact-form", { variables: { name: "Ada" } });
    await client.send("contact-form", { variables: { name: "Ada" }, idempotencyKey: "user-action-42" });
    await client.send("contact-form", { variables: { name: "Ada" }, idempotencyKey: "user-action-42" });
    const keys = requests.map((request) => request.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual(["user-action-42", "user-action-42"]);
  });

  it("asks for a queued send with queue: true and reads the queued answer", async () => {
    const fetch = vi.fn(async () => Response.json({ ok: true, kind: "queued", id: "5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90", location: "/v1/messages/5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90" }, { status: 202 }));
    const client = createBrowserClient<Actions>({ endpoint: "https://mail.example/v1/actions", fetch: fetch as unknown as typeof globalThis.fetch });
    const outcome = await client.send("contact-form", { variables: { name: "Ada" }, queue: true });
    expect(outcome).toEqual({ ok: true, kind: "queued", id: "5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90" });
    expect(new Headers((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers).get("prefer")).toBe("respond-async");
  });
});
