/**
 * Where scheduling meets the other features (principle 8): a scheduled batch item under an idempotency key the
 * batch (or a later request) repeats; a queued batch of scheduled items over the limit; a scheduled batch item
 * cancelled, across a restart of its object; a scheduled message within the queue's 12 hours across a restart; a
 * browser action scheduled and cancelled through txgate/browser, whose time then comes, and one repeated under its
 * idempotency key. Time passing is stored times moved back; nothing waits for the clock.
 */
import { evictDurableObject, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBrowserClient } from "../../../src/browser/index.ts";
import type { Actions } from "../../../worker/actions.ts";
import { CALLER_KEY_BILLING, ORIGIN } from "../support/bindings.ts";
import { deliver, received, recordingQueue, stateOf, timePasses, view, watchRequeues } from "../support/delivery.ts";
import { countingLimiter, fetchWithEnv, fetchWorker, HOST, LOCAL, signJwt, uniqueSubject } from "../support/harness.ts";

const HOUR = 3600_000;
const VENDOR = "listmonk";
const reminder = (n: number) => ({ template_id: 2, subscriber_emails: [`patient-${n}@example.com`], data: { n } });
const caller = { authorization: `Bearer ${CALLER_KEY_BILLING}` };

/** `POST /v1/send/listmonk/batch` with `Prefer: respond-async`, through a queue that only records. */
async function queuedBatch(items: unknown[]) {
  const queue = recordingQueue();
  const answer = await fetchWithEnv({ DELIVERY_QUEUE: queue }, `/v1/send/${VENDOR}/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", prefer: "respond-async", ...caller },
    body: JSON.stringify({ messages: items }),
  });
  expect(answer.status).toBe(200);
  return { results: answer.body.results as { status: number; body: any; replayed?: true }[], queue };
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => vi.restoreAllMocks());

describe("a scheduled batch item under an idempotency key", () => {
  it("repeated in the batch with the same time: one scheduled message, every repeat its id, sent once at its time", async () => {
    const key = `reminder-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const { results, queue } = await queuedBatch([
      { message: reminder(1), idempotencyKey: key, sendAt },
      { message: reminder(2), sendAt },
      { message: reminder(1), idempotencyKey: key, sendAt },
      { message: reminder(1), idempotencyKey: key, sendAt },
    ]);
    expect(results.map((result) => [result.status, result.body.state, result.replayed ?? false])).toEqual([
      [202, "scheduled", false],
      [202, "scheduled", false],
      [202, "scheduled", true],
      [202, "scheduled", true],
    ]);
    const id = results[0]!.body.id as string;
    expect(results[2]!.body.id).toBe(id);
    expect(results[3]!.body.id).toBe(id);
    expect(queue.sent.map((sent) => sent.body.id).sort()).toEqual([id, results[1]!.body.id].sort());

    // Its time comes: sent once, however often the queue delivers it.
    await timePasses(id, 2 * HOUR);
    await deliver(id, 1);
    await deliver(id, 2);
    expect((await view(id)).state).toBe("sent");
    expect((await received(VENDOR)).filter((sent) => sent.data.n === 1)).toHaveLength(1);
  });

  it("the same key with another time or another message in the batch is refused for that item, nothing more scheduled", async () => {
    const key = `reminder-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const { results, queue } = await queuedBatch([
      { message: reminder(1), idempotencyKey: key, sendAt },
      { message: reminder(1), idempotencyKey: key, sendAt: new Date(Date.now() + 3 * HOUR).toISOString() },
      { message: reminder(1), idempotencyKey: key },
      { message: reminder(9), idempotencyKey: key, sendAt },
    ]);
    expect(results.map((result) => [result.status, result.body.kind])).toEqual([
      [202, "queued"],
      [422, "idempotency_key_reused"],
      [422, "idempotency_key_reused"],
      [422, "idempotency_key_reused"],
    ]);
    expect(queue.sent).toHaveLength(1);
  });

  it("repeated by a later batch or by the single route's Send-At with the same time: the same message, nothing queued again", async () => {
    const key = `reminder-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const first = await queuedBatch([{ message: reminder(1), idempotencyKey: key, sendAt }]);
    const id = first.results[0]!.body.id as string;

    const again = await queuedBatch([{ message: reminder(1), idempotencyKey: key, sendAt }]);
    expect(again.results[0]).toMatchObject({ status: 202, body: { id, state: "scheduled" }, replayed: true });
    expect(again.queue.sent).toEqual([]);

    const queue = recordingQueue();
    const single = await fetchWithEnv({ DELIVERY_QUEUE: queue }, `/v1/send/${VENDOR}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "respond-async", "send-at": sendAt, "idempotency-key": key, ...caller },
      body: JSON.stringify(reminder(1)),
    });
    expect(single.status).toBe(202);
    expect(single.body).toMatchObject({ id, state: "scheduled" });
    expect(queue.sent).toEqual([]);
  });
});

describe("a queued batch with scheduled items over the limit", () => {
  it("is refused whole (413): nothing queued, nothing scheduled, nothing counted", async () => {
    const queue = recordingQueue();
    const limiter = countingLimiter(1000);
    const sendAt = new Date(Date.now() + HOUR).toISOString();
    const answer = await fetchWithEnv({ DELIVERY_QUEUE: queue, CALLER_RATE_LIMIT: limiter }, `/v1/send/${VENDOR}/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "respond-async", ...caller },
      body: JSON.stringify({ messages: Array.from({ length: 101 }, (_, n) => ({ message: reminder(n), sendAt, idempotencyKey: `over-${n}-${crypto.randomUUID()}` })) }),
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ kind: "payload_too_large", delivery: "not_sent" });
    expect(answer.headers.get("location")).toBeNull();
    expect(queue.sent).toEqual([]);
    expect(limiter.keys).toEqual([]);
    expect(JSON.stringify((await fetchWorker(`${LOCAL}/sandbox/queued`)).body)).not.toContain(sendAt);
  });
});

describe("a scheduled batch item cancelled", () => {
  it("is never sent, across a restart of its object, while the batch's other item goes at its time", async () => {
    const requeued = watchRequeues();
    const sendAt = new Date(Date.now() + HOUR).toISOString();
    const { results } = await queuedBatch([
      { message: reminder(1), sendAt },
      { message: reminder(2), sendAt },
    ]);
    const [withdrawn, kept] = results.map((result) => result.body.id as string) as [string, string];
    const cancelled = await fetchWorker(`/v1/messages/${withdrawn}`, { method: "DELETE", headers: caller });
    expect(cancelled).toMatchObject({ status: 200, body: { id: withdrawn, state: "cancelled" } });

    for (const id of [withdrawn, kept]) {
      await evictDurableObject(stateOf(id));
      await timePasses(id, HOUR);
      await deliver(id);
      await runDurableObjectAlarm(stateOf(id));
    }
    expect(requeued).toEqual([]);
    expect((await view(withdrawn)).state).toBe("cancelled");
    expect((await view(kept)).state).toBe("sent");
    expect((await received(VENDOR)).map((sent) => sent.data.n)).toEqual([2]);
    // Cancelling it again, now that its time has passed, is still the one cancel: no new step in its history.
    const again = await fetchWorker(`/v1/messages/${withdrawn}`, { method: "DELETE", headers: caller });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe("cancelled");
    expect(again.body.history).toEqual(cancelled.body.history);
  });
});

describe("a message scheduled within the queue's 12 hours, its object restarted", () => {
  it("is not sent when delivered early after the restart, and is sent once after its time", async () => {
    const queue = recordingQueue();
    const sendAt = new Date(Date.now() + 6 * HOUR).toISOString();
    const answer = await fetchWithEnv({ DELIVERY_QUEUE: queue }, `/v1/send/${VENDOR}`, {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "respond-async", "send-at": sendAt, ...caller },
      body: JSON.stringify(reminder(1)),
    });
    const id = answer.body.id as string;
    await evictDurableObject(stateOf(id));
    const early = await deliver(id, 1);
    expect(early.retryMessages).toHaveLength(1);
    expect(await received(VENDOR)).toEqual([]);

    await evictDurableObject(stateOf(id));
    await timePasses(id, 6 * HOUR);
    await evictDurableObject(stateOf(id));
    await deliver(id, 2);
    await deliver(id, 3);
    expect((await view(id)).state).toBe("sent");
    expect(await received(VENDOR)).toHaveLength(1);
  });
});

describe("a browser action scheduled and cancelled through txgate/browser", () => {
  it("is never sent when its time comes, and the page reads it as cancelled", async () => {
    const requeued = watchRequeues();
    const sub = uniqueSubject();
    const idToken = await signJwt({ sub });
    const mail = createBrowserClient<Actions>({
      endpoint: `${HOST}/v1/actions`,
      fetch: (input, init) => SELF.fetch(input as string, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } }),
    });
    const queued = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, sendAt: new Date(Date.now() + 24 * HOUR) });
    expect(queued).toMatchObject({ ok: true, kind: "queued" });
    const id = (queued as { id: string }).id;
    expect(await mail.cancel(id, { idToken })).toEqual({ ok: true, kind: "cancelled", id });

    await timePasses(id, 24 * HOUR - 1000);
    await deliver(id);
    expect((await view(id)).state).toBe("cancelled");
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    const sandbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages as unknown[];
    expect(sandbox).toEqual([]);
  });

  it("repeated under one idempotency key (a double click) is one scheduled message; the key with another time is refused", async () => {
    const idToken = await signJwt({ sub: uniqueSubject() });
    const mail = createBrowserClient<Actions>({
      endpoint: `${HOST}/v1/actions`,
      fetch: (input, init) => SELF.fetch(input as string, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } }),
    });
    const idempotencyKey = `welcome-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + 24 * HOUR);
    const first = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, idempotencyKey, sendAt });
    const again = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, idempotencyKey, sendAt });
    expect(first).toMatchObject({ ok: true, kind: "queued", sendAt: sendAt.toISOString() });
    expect(again).toEqual(first);
    const moved = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, idempotencyKey, sendAt: new Date(sendAt.getTime() + HOUR) });
    expect(moved).toMatchObject({ ok: false, kind: "idempotency_key_reused" });
    expect((await view((first as { id: string }).id)).state).toBe("scheduled");
  });
});
