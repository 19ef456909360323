/**
 * The core send loop, seen through the listmonk client: retries, backoff, Retry-After, timeouts and aborts.
 * Backoff timing runs on fake timers against a fetch-level double; the fresh-body and refused-connection cases
 * use a real HTTP double.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createListmonkClient, type ListmonkOptions } from "../../src/listmonk/index.js";
import { closedPortUrl } from "../support/http-double.js";
import { startListmonkDouble, LISTMONK_TOKEN, LISTMONK_USER, type ListmonkDouble } from "../listmonk/double.js";

const message = { subscriber_emails: ["ada@example.com"], template_id: 2 };
const queued = () => new Response(JSON.stringify({ data: true }), { status: 200, headers: { "content-type": "application/json" } });
const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ message: `status ${status}` }), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that plays `script` in order and records when each call happened (fake time). */
function scriptedFetch(...script: ((request: Request) => Response | Promise<Response>)[]) {
  const calls: number[] = [];
  const fetch = vi.fn(async (request: Request) => {
    calls.push(Date.now());
    const next = script.shift();
    if (!next) throw new Error("unexpected extra request");
    return next(request);
  });
  return { fetch, calls };
}

/** A fetch that never answers, but stops when its request's signal aborts, as real fetch does. */
const hangingFetch = () =>
  vi.fn(
    (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
  );

const client = (options: Partial<ListmonkOptions>) =>
  createListmonkClient({ baseUrl: "http://listmonk.test", username: LISTMONK_USER, token: LISTMONK_TOKEN, ...options });

describe("retries on answers that prove nothing was sent", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("retries a 429 after the Retry-After seconds the vendor asked for", async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(() => answer(429, { "retry-after": "3" }), queued);
    const pending = client({ fetch }).send(message);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(calls[1]! - calls[0]!).toBe(3_000);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-23T10:00:00Z") });
    const { fetch, calls } = scriptedFetch(() => answer(429, { "retry-after": "Mon, 23 Nov 2026 10:00:05 GMT" }), queued);
    const pending = client({ fetch }).send(message);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await pending).ok).toBe(true);
    expect(calls[1]! - calls[0]!).toBe(5_000);
  });

  it("retries a 503 after the Retry-After seconds the vendor asked for, and keeps them on the outcome", async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(() => answer(503, { "retry-after": "4" }), queued);
    const pending = client({ fetch, retry: { random: () => 0 } }).send(message);
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({ ok: true, attempts: 2 });
    expect(calls[1]! - calls[0]!).toBe(4_000);
    const unavailable = scriptedFetch(() => answer(503, { "retry-after": "4" }));
    expect(await client({ fetch: unavailable.fetch, retry: { retries: 0 } }).send(message)).toMatchObject({
      kind: "server_error",
      retryAfter: 4,
      delivery: "not_sent",
    });
  });

  it("backs off exponentially with jitter on 503, capped at maxDelayMs", async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(() => answer(503), () => answer(503), () => answer(503), () => answer(503), queued);
    const pending = client({ fetch, retry: { retries: 4, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.5 } }).send(message);
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({ ok: true, attempts: 5 });
    const waits = calls.slice(1).map((at, i) => at - calls[i]!);
    // Ceilings 100, 200, 400→300, 800→300; half fixed plus half jittered (random 0.5 → 3/4 of the ceiling).
    expect(waits).toEqual([75, 150, 225, 225]);
  });

  it("gives up after `retries` and returns the last failure with the attempt count", async () => {
    const { fetch } = scriptedFetch(() => answer(503), () => answer(503), () => answer(503));
    const outcome = await client({ fetch, retry: { retries: 2, baseDelayMs: 1 } }).send(message);
    expect(outcome).toMatchObject({ kind: "server_error", status: 503, retryable: true, delivery: "not_sent", attempts: 3 });
  });

  it("does not wait out a Retry-After longer than maxDelayMs: it returns it to the caller", async () => {
    const { fetch } = scriptedFetch(() => answer(429, { "retry-after": "120" }));
    const outcome = await client({ fetch }).send(message);
    expect(outcome).toMatchObject({ kind: "rate_limited", retryAfter: 120, attempts: 1, delivery: "not_sent" });
  });

  it("never retries what may have sent the email: 500, a reset connection, a timeout", async () => {
    const five = scriptedFetch(() => answer(500));
    expect(await client({ fetch: five.fetch }).send(message)).toMatchObject({ kind: "server_error", delivery: "unknown", attempts: 1 });
    const reset = scriptedFetch(() => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
    });
    expect(await client({ fetch: reset.fetch }).send(message)).toMatchObject({
      kind: "network",
      delivery: "unknown",
      retryable: false,
      attempts: 1,
      cause: { name: "TypeError", message: "fetch failed: socket hang up" },
    });
    const slow = hangingFetch();
    expect(await client({ fetch: slow, timeoutMs: 20 }).send(message)).toMatchObject({ kind: "timeout", delivery: "unknown", attempts: 1 });
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it("retries nothing when retries is 0", async () => {
    const { fetch } = scriptedFetch(() => answer(503));
    expect(await client({ fetch, retry: { retries: 0 } }).send(message)).toMatchObject({ kind: "server_error", attempts: 1 });
  });

  it("lets the caller widen the policy with shouldRetry", async () => {
    const { fetch } = scriptedFetch(() => answer(500), queued);
    const outcome = await client({ fetch, retry: { baseDelayMs: 1, shouldRetry: (failure) => failure.kind === "server_error" } }).send(message);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
  });
});

describe("Retry-After that is neither seconds nor an HTTP date", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(["1.5", "-1", "0x10", "7 days"])("ignores %j: the retry waits the backoff, not zero", async (header) => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(() => answer(429, { "retry-after": header }), queued);
    const pending = client({ fetch, retry: { baseDelayMs: 400, random: () => 0.5 } }).send(message);
    await vi.runAllTimersAsync();
    expect(await pending).toMatchObject({ ok: true, attempts: 2 });
    expect(calls[1]! - calls[0]!).toBe(300);
  });
});

describe("callbacks the caller supplies", () => {
  it("a logger that throws neither rejects the send nor changes its outcome", async () => {
    const { fetch } = scriptedFetch(() => answer(503), queued);
    const logger = vi.fn(() => {
      throw new Error("log sink down");
    });
    const outcome = await client({ fetch, logger, retry: { baseDelayMs: 1 } }).send(message);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(logger).toHaveBeenCalled();
  });

  it("a shouldRetry that throws ends the send with the failure it was asked about", async () => {
    const { fetch } = scriptedFetch(() => answer(503), queued);
    const shouldRetry = () => {
      throw new Error("bug in policy");
    };
    const outcome = await client({ fetch, retry: { baseDelayMs: 1, shouldRetry } }).send(message);
    expect(outcome).toMatchObject({ ok: false, kind: "server_error", status: 503, attempts: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe("timeouts and aborts", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("times out an attempt after timeoutMs, and a per-call timeout overrides the client's", async () => {
    vi.useFakeTimers();
    const fetch = hangingFetch();
    const pending = client({ fetch, timeoutMs: 10_000 }).send(message, { timeoutMs: 250 });
    await vi.advanceTimersByTimeAsync(250);
    expect(await pending).toMatchObject({ kind: "timeout", timeoutMs: 250, delivery: "unknown", retryable: false });
  });

  it("does not call the vendor when the signal is already aborted", async () => {
    const { fetch } = scriptedFetch(queued);
    const outcome = await client({ fetch }).send(message, { signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ kind: "aborted", delivery: "not_sent", attempts: 0 });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("reports an abort in flight as possibly delivered", async () => {
    const controller = new AbortController();
    const fetch = hangingFetch();
    const pending = client({ fetch }).send(message, { signal: controller.signal });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    controller.abort();
    expect(await pending).toMatchObject({ kind: "aborted", delivery: "unknown", attempts: 1 });
  });

  it("ends a backoff wait at once when aborted, and says nothing was sent", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { fetch } = scriptedFetch(() => answer(429, { "retry-after": "5" }), queued);
    const pending = client({ fetch }).send(message, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await pending).toMatchObject({ kind: "aborted", delivery: "not_sent", attempts: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("turns anything a custom fetch throws into an outcome instead of rejecting", async () => {
    const fetch = vi.fn(async () => {
      throw "not even an Error";
    });
    expect(await client({ fetch }).send(message)).toMatchObject({ ok: false, kind: "network", cause: { message: "not even an Error" } });
  });
});

describe("over real HTTP", () => {
  let listmonk: ListmonkDouble;
  beforeAll(async () => {
    listmonk = await startListmonkDouble();
  });
  afterAll(async () => {
    expect(listmonk.specViolations).toEqual([]);
    await listmonk.close();
  });

  it("retries a refused connection (nothing was sent) and then reports it", async () => {
    const outcome = await client({ baseUrl: await closedPortUrl(), retry: { baseDelayMs: 1 } }).send(message);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true, attempts: 3 });
  });

  it("builds a fresh request body for every attempt, multipart included", async () => {
    listmonk.answerNext({ status: 503, body: { message: "busy" } });
    const file = new File(["hello"], "hello.txt", { type: "text/plain" });
    const outcome = await client({ baseUrl: listmonk.url, retry: { baseDelayMs: 1 } }).send({ ...message, attachments: [{ content: file }] });
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = listmonk.requests;
    expect(second!.body.length).toBeGreaterThan(0);
    // Same parts both times (boundaries differ per body).
    const strip = (text: string) => text.replace(/-{2,}[-\w]+/g, "--");
    expect(strip(second!.text)).toBe(strip(first!.text));
    expect(listmonk.queued[0]!.files[0]!.name).toBe("hello.txt");
  });
});
