/**
 * `POST /v1/send/{vendor}/batch`: up to 100 messages from a trusted caller, each answered in order as it would be
 * sent alone; every item checked before any is sent (an invalid item, or more than 100, refuses the whole batch);
 * idempotency keys per item (one email per key, however often the batch repeats it); with
 * `Prefer: respond-async` one queued id per item, all put on the queue in one `sendBatch`; the caller's rate limit
 * counts messages; browsers get no batch route.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { sandboxVendors } from "../../worker/sandbox/index.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER, LIVE_VENDOR_SECRETS, ORIGIN } from "./support/bindings.ts";
import { callerSend, countingLimiter, fetchWithEnv, fetchWorker, LOCAL, type Answer } from "./support/harness.ts";
import { journal, leaks } from "./support/secret-scan.ts";

/** A batch of 100 makes 100 sends or 100 message objects; on a busy machine that takes seconds, not a verdict on speed. */
const HUNDRED_MESSAGES_TIMEOUT_MS = 60_000;

type Overrides = { readonly [K in keyof Env]?: Env[K] | undefined };

const message = (n: number, template_id = 2) => ({ template_id, subscriber_emails: [`reader-${n}@example.com`], data: { n } });
const item = (n: number, extra: Record<string, unknown> = {}) => ({ message: message(n), ...extra });

function batchSend(items: unknown[], headers: Record<string, string> = {}, settings?: Overrides, vendor = "listmonk"): Promise<Answer> {
  const init = {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}`, ...headers },
    body: JSON.stringify({ messages: items }),
  };
  return settings ? fetchWithEnv(settings, `/v1/send/${vendor}/batch`, init) : fetchWorker(`/v1/send/${vendor}/batch`, init);
}

async function outbox(): Promise<any[]> {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((sent: any) => sent.vendor === "listmonk");
}

/** A queue that records what it was given and delivers nothing, so queued messages stay where the test can see them. */
function recordingQueue() {
  const sends: unknown[] = [];
  const batches: { body: { id: string } }[][] = [];
  const queue = {
    async send(body: unknown) {
      sends.push(body);
    },
    async sendBatch(messages: Iterable<{ body: { id: string } }>) {
      batches.push([...messages]);
    },
  };
  return { queue: queue as unknown as Env["DELIVERY_QUEUE"], sends, batches };
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => vi.restoreAllMocks());

describe("a batch sent now", () => {
  it("answers each item in order, with the status and body it would get alone", async () => {
    // listmonk refuses template 9 (as listmonk does a template that does not exist): the middle item fails alone.
    const sandbox = sandboxVendors.listmonk;
    vi.spyOn(sandboxVendors, "listmonk").mockImplementation(async (request) => {
      const body = await request.clone().json<{ template_id: number }>();
      return body.template_id === 9 ? Response.json({ message: "Template not found" }, { status: 400 }) : sandbox(request);
    });
    const answer = await batchSend([item(1), { message: message(2, 9) }, item(3)]);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe("batch");
    expect(answer.body.results.map((result: Answer) => result.status)).toEqual([200, 422, 200]);
    expect(answer.body.results[1].body).toMatchObject({ kind: "rejected", delivery: "not_sent", vendor: "listmonk" });

    const alone = await callerSend("listmonk", message(1), CALLER_KEY_BILLING);
    expect(answer.body.results[0]).toEqual({ status: alone.status, body: alone.body });
    const refusedAlone = await callerSend("listmonk", message(2, 9), CALLER_KEY_BILLING);
    expect(answer.body.results[1]).toEqual({ status: refusedAlone.status, body: refusedAlone.body });
    expect((await outbox()).map((sent) => sent.data.n).sort()).toEqual([1, 1, 3]);
  });

  it("of 100 with one idempotency key repeated sends one email for that key, each repeat answered as a replay", async () => {
    const key = `batch-${crypto.randomUUID()}`;
    const items = Array.from({ length: 100 }, (_, n) => (n % 2 === 0 ? item(0, { idempotencyKey: key }) : item(n)));
    const answer = await batchSend(items);
    expect(answer.status).toBe(200);
    const results = answer.body.results as { status: number; body: unknown; replayed?: true }[];
    expect(results).toHaveLength(100);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(results.filter((result) => result.replayed)).toHaveLength(49);
    expect(results[0]!.replayed).toBeUndefined();
    const sent = await outbox();
    expect(sent.filter((email) => email.data.n === 0)).toHaveLength(1);
    expect(sent).toHaveLength(51);
  }, HUNDRED_MESSAGES_TIMEOUT_MS);

  it("answers an item whose key an earlier request used as that request was answered, sending nothing again", async () => {
    const key = `earlier-${crypto.randomUUID()}`;
    await callerSend("listmonk", message(7), CALLER_KEY_BILLING, { "idempotency-key": key });
    const answer = await batchSend([item(7, { idempotencyKey: key }), item(8, { idempotencyKey: key })]);
    expect(answer.body.results[0]).toMatchObject({ status: 200, replayed: true });
    expect(answer.body.results[1]).toMatchObject({ status: 422, body: { kind: "idempotency_key_reused", delivery: "not_sent" } });
    expect(await outbox()).toHaveLength(1);
  });
});

describe("secrets in a batch", () => {
  it("a live vendor quoting the worker's credentials in its refusal: no item's answer and no log line repeats them", async () => {
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init);
      if (!request.url.startsWith(LIVE_VENDOR_SECRETS.LISTMONK_URL)) return realFetch(request);
      return Response.json({ message: `bad credentials ${request.headers.get("authorization")} (${LIVE_VENDOR_SECRETS.LISTMONK_TOKEN})` }, { status: 400 });
    });
    const start = journal.length;
    const answer = await batchSend([item(1), item(2)], {}, LIVE_VENDOR_SECRETS);
    expect(answer.body.results.map((result: Answer) => result.status)).toEqual([422, 422]);
    expect(answer.body.results[0].body.detail).toContain("bad credentials");
    expect(leaks(journal.slice(start))).toEqual([]);
  });
});

describe("the batch's log line", () => {
  it("tallies the items' statuses instead of naming one item's outcome", async () => {
    const start = journal.length;
    await batchSend([item(1), item(2)], {}, {});
    const lines = journal.slice(start).filter((entry) => entry.source === "console.log").map((entry) => JSON.parse(entry.text));
    expect(lines).toEqual([expect.objectContaining({ path: "/v1/send/listmonk/batch", status: 200, batch: 2, statuses: { 200: 2 } })]);
    expect(lines[0]).not.toHaveProperty("outcome");
  });
});

describe("a batch is checked whole before anything is sent", () => {
  it("of 101 messages is refused whole (413), nothing sent and nothing counted", async () => {
    const limiter = countingLimiter(1000);
    const answer = await batchSend(Array.from({ length: 101 }, (_, n) => item(n)), {}, { CALLER_RATE_LIMIT: limiter });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ kind: "payload_too_large", delivery: "not_sent", issues: [{ path: "messages", rule: "max_length" }] });
    expect(answer.body.detail).toContain("at most 100");
    expect(await outbox()).toEqual([]);
    expect(limiter.keys).toEqual([]);
  }, HUNDRED_MESSAGES_TIMEOUT_MS);

  it("with one invalid message among 100 is refused whole (422), naming that message's fields", async () => {
    const items: unknown[] = Array.from({ length: 100 }, (_, n) => item(n));
    items[57] = { message: { subscriber_emails: ["not an address"] } };
    const answer = await batchSend(items);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: "validation", delivery: "not_sent", detail: "1 of 100 messages are invalid; nothing was sent" });
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(["messages.57.message.template_id", "messages.57.message.subscriber_emails.0"]));
    expect(await outbox()).toEqual([]);
  }, HUNDRED_MESSAGES_TIMEOUT_MS);

  it("refuses bad item fields, keys and send times, and a key given as a header", async () => {
    const bad = await batchSend([
      { message: message(1), extra: true },
      { message: message(2), idempotencyKey: "short" },
      { message: message(3), sendAt: "tomorrow" },
      { message: message(4), sendAt: "2020-01-01T00:00:00Z" },
      { message: message(5), sendAt: new Date(Date.now() + 3_600_000).toISOString() },
      { idempotencyKey: "no-message-here" },
      { message: message(6), sendAt: new Date(Date.now() + 40 * 86_400_000).toISOString() },
      { message: message(7), sendAt: "2027-02-30T09:00:00Z" },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((issue: { path: string; rule: string }) => `${issue.path} ${issue.rule}`)).toEqual([
      "messages.0.extra unknown_field",
      "messages.1.idempotencyKey idempotency_key",
      "messages.2.sendAt date_time",
      "messages.3.sendAt future",
      // Sent now, a message cannot wait for its time.
      "messages.4.sendAt respond_async",
      "messages.5.message required",
      "messages.6.sendAt max_ahead",
      "messages.7.sendAt date_time",
    ]);
    const header = await batchSend([item(1)], { "idempotency-key": `header-${crypto.randomUUID()}` });
    expect(header.status).toBe(422);
    expect(header.body.issues).toEqual([expect.objectContaining({ path: "headers.idempotency-key", rule: "per_item" })]);
    expect(await outbox()).toEqual([]);
  });

  it("schedules an item with sendAt: it waits as scheduled, put on the queue with its delay in the batch's sendBatch", async () => {
    const queue = recordingQueue();
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const answer = await batchSend([item(1, { sendAt }), item(2)], { prefer: "respond-async" }, { DELIVERY_QUEUE: queue.queue });
    expect(answer.status).toBe(200);
    const results = answer.body.results as { status: number; body: { state: string; sendAt?: string } }[];
    expect(results.map((result) => [result.status, result.body.state, result.body.sendAt])).toEqual([
      [202, "scheduled", sendAt],
      [202, "queued", undefined],
    ]);
    expect(queue.batches).toHaveLength(1);
    // Items reach the held queue in the order their dispatch finishes, so find each by its id.
    const held = queue.batches[0]! as unknown as { body: { id: string }; delaySeconds?: number }[];
    const [scheduled, now] = results.map((result) => held.find((entry) => entry.body.id === (result.body as unknown as { id: string }).id));
    // The queue holds the scheduled one back for (about) its hour; the other goes at once.
    expect(scheduled!.delaySeconds).toBeGreaterThan(3_000);
    expect(scheduled!.delaySeconds).toBeLessThanOrEqual(3_600);
    expect(now!.delaySeconds).toBeUndefined();
    expect(await outbox()).toEqual([]);
  });
});

describe("a queued batch (Prefer: respond-async)", () => {
  it("answers one queued id per item, in order, all put on the queue in one sendBatch", async () => {
    const queue = recordingQueue();
    const answer = await batchSend([item(1), item(2), item(3)], { prefer: "respond-async" }, { DELIVERY_QUEUE: queue.queue });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("preference-applied")).toBe("respond-async");
    const results = answer.body.results as { status: number; body: { kind: string; id: string; location: string } }[];
    expect(results.map((result) => [result.status, result.body.kind])).toEqual([
      [202, "queued"],
      [202, "queued"],
      [202, "queued"],
    ]);
    const ids = results.map((result) => result.body.id);
    expect(new Set(ids).size).toBe(3);
    expect(queue.sends).toEqual([]);
    expect(queue.batches).toHaveLength(1);
    expect(queue.batches[0]!.map((sent) => sent.body.id)).toEqual(expect.arrayContaining(ids));
    // Each id is a message its caller can look up, as one queued alone.
    const status = await fetchWorker(results[1]!.body.location, { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
    expect(status.body).toMatchObject({ id: ids[1], state: "queued", vendor: "listmonk" });
    expect(await outbox()).toEqual([]);
  });

  it("queues one message for a key the batch repeats, every repeat answered with its id", async () => {
    const queue = recordingQueue();
    const key = `queued-batch-${crypto.randomUUID()}`;
    const items = Array.from({ length: 100 }, (_, n) => (n % 10 === 0 ? item(0, { idempotencyKey: key }) : item(n)));
    const answer = await batchSend(items, { prefer: "respond-async" }, { DELIVERY_QUEUE: queue.queue });
    const results = answer.body.results as { status: number; body: { id: string }; replayed?: true }[];
    const keyed = results.filter((_, n) => n % 10 === 0);
    expect(new Set(keyed.map((result) => result.body.id)).size).toBe(1);
    expect(keyed.filter((result) => result.replayed)).toHaveLength(9);
    expect(queue.batches).toHaveLength(1);
    expect(queue.batches[0]).toHaveLength(91);
    expect(queue.sends).toEqual([]);
  }, HUNDRED_MESSAGES_TIMEOUT_MS);

  it("a queue that fails leaves every item not sent, none accepted", async () => {
    const failing = { send: async () => Promise.reject(new Error("queue down")), sendBatch: async () => Promise.reject(new Error("queue down")) } as unknown as Env["DELIVERY_QUEUE"];
    const answer = await batchSend([item(1), item(2)], { prefer: "respond-async" }, { DELIVERY_QUEUE: failing });
    expect(answer.body.results).toEqual([
      expect.objectContaining({ status: 500, body: expect.objectContaining({ kind: "internal", delivery: "not_sent" }) }),
      expect.objectContaining({ status: 500, body: expect.objectContaining({ kind: "internal", delivery: "not_sent" }) }),
    ]);
  });
});

describe("the caller's rate limit counts messages, not requests", () => {
  it("a batch that would pass the limit is refused whole, nothing sent", async () => {
    const limiter = countingLimiter(5);
    expect((await batchSend([item(1), item(2), item(3)], {}, { CALLER_RATE_LIMIT: limiter })).status).toBe(200);
    const over = await batchSend([item(4), item(5), item(6)], {}, { CALLER_RATE_LIMIT: limiter });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ kind: "rate_limited", delivery: "not_sent" });
    expect(limiter.keys).toEqual(Array(6).fill("caller:billing"));
    expect((await outbox()).map((sent) => sent.data.n).sort()).toEqual([1, 2, 3]);
  });
});

describe("browsers get no batch route", () => {
  it("a request from a page is refused as the single trusted route refuses it", async () => {
    const answer = await batchSend([item(1)], { origin: ORIGIN });
    const single = await callerSend("listmonk", message(1), CALLER_KEY_BILLING, { origin: ORIGIN });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(single.body);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(await outbox()).toEqual([]);
  });

  it("a caller key may batch only through its own vendors", async () => {
    const answer = await fetchWorker("/v1/send/everlytic/batch", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_NEWSLETTER}` },
      body: JSON.stringify({ messages: [item(1)] }),
    });
    expect(answer.status).toBe(403);
    expect(answer.body.kind).toBe("forbidden_vendor");
  });
});
