/**
 * Scheduled sends and cancelling: a queued send may carry its time (`Send-At` on the trusted route, `sendAt` in a
 * browser action that allows it). It waits `scheduled`, on the queue with its delay when within the queue's 12
 * hours and for its Durable Object's alarm beyond them; it is sent once, at its time, across a restart of its
 * object. `DELETE /v1/messages/{id}` cancels one that has not started, and the same again; a cancel racing the
 * send ends cancelled with nothing sent, or sent, never both. Time passing is stored times moved back, and alarms
 * are run with the vitest plugin's `runDurableObjectAlarm`; nothing waits for the clock.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBrowserClient } from "../../../src/browser/index.ts";
import { MAX_QUEUE_DELAY_SECONDS, MessageObject } from "../../../src/worker/delivery/message-state.ts";
import type { Actions } from "../../../worker/actions.ts";
import { sandboxVendors } from "../../../worker/sandbox/index.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_BILLING_NEXT, ORIGIN } from "../support/bindings.ts";
import { deliver, received, recordingQueue, stateOf, timePasses, view, watchRequeues } from "../support/delivery.ts";
import { browserHeaders, fetchWithEnv, fetchWorker, HOST, LOCAL, signJwt, uniqueSubject } from "../support/harness.ts";
import { SELF } from "cloudflare:test";

/** Everlytic, whose sends no other suite queues for real. */
const VENDOR = "everlytic";
const HOUR = 3600_000;
const email = (subject = "Your appointment tomorrow") => ({
  body: { html: "<p>See you tomorrow at 9</p>" },
  headers: { subject, from: { email: "clinic@example.com" }, to: [{ email: "patient@example.com" }] },
});
const caller = (key = CALLER_KEY_BILLING) => ({ authorization: `Bearer ${key}` });

/** `POST /v1/send/everlytic` with `headers`, through a send queue that only records. */
async function send(headers: Record<string, string>, message: unknown = email()) {
  const queue = recordingQueue();
  const answer = await fetchWithEnv({ DELIVERY_QUEUE: queue }, `/v1/send/${VENDOR}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...caller(), ...headers },
    body: JSON.stringify(message),
  });
  return { answer, queue };
}
/** A send scheduled `aheadMs` from now. */
async function schedule(aheadMs: number, headers: Record<string, string> = {}) {
  const sendAt = new Date(Date.now() + aheadMs).toISOString();
  const { answer, queue } = await send({ prefer: "respond-async", "send-at": sendAt, ...headers });
  expect(answer.status).toBe(202);
  return { id: answer.body.id as string, answer, queue, sendAt };
}
function cancel(id: string, key = CALLER_KEY_BILLING) {
  return fetchWorker(`/v1/messages/${id}`, { method: "DELETE", headers: caller(key) });
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("Send-At on POST /v1/send/{vendor}", () => {
  it("within the queue's 12 hours: 202 scheduled, on the queue with its delay, not sent before its time, sent once after it", async () => {
    const { id, answer, queue, sendAt } = await schedule(2 * HOUR);
    expect(answer.body).toMatchObject({ ok: true, kind: "queued", state: "scheduled", sendAt });
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]!.body).toEqual({ id });
    expect(queue.sent[0]!.options!.delaySeconds).toBeGreaterThan(2 * 3600 - 60);
    expect(queue.sent[0]!.options!.delaySeconds).toBeLessThanOrEqual(2 * 3600);
    expect(await view(id)).toMatchObject({ state: "scheduled", sendAt });

    // Delivered before its time (a queue may do that): put back for the rest, nothing sent.
    const early = await deliver(id, 1);
    expect(early.retryMessages).toHaveLength(1);
    expect(early.retryMessages[0]!.delaySeconds).toBeGreaterThan(0);
    expect((await view(id)).state).toBe("scheduled");
    expect(await received(VENDOR)).toHaveLength(0);

    await timePasses(id, 2 * HOUR);
    expect((await deliver(id, 2)).explicitAcks).toEqual(["delivery-2"]);
    expect((await view(id)).state).toBe("sent");
    expect((await view(id)).history.map((entry) => entry.state)).toEqual(["scheduled", "queued", "sending", "sent"]);
    // The queue delivers it once more: acked, not sent again.
    expect((await deliver(id, 3)).explicitAcks).toEqual(["delivery-3"]);
    expect(await received(VENDOR)).toHaveLength(1);
  });

  it("beyond 12 hours: no queue message yet; its object's alarm puts it on the queue at its time, across restarts of the object, and it is sent once", async () => {
    const requeued = watchRequeues();
    const { id, queue } = await schedule(3 * 24 * HOUR);
    expect(queue.sent).toEqual([]);

    // Its alarm, run before its time (and after a restart of its object), does nothing.
    await evictDurableObject(stateOf(id));
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    expect((await view(id)).state).toBe("scheduled");

    await timePasses(id, 3 * 24 * HOUR - 1000);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);

    await timePasses(id, 1000);
    await evictDurableObject(stateOf(id));
    expect(await runDurableObjectAlarm(stateOf(id))).toBe(true);
    expect(requeued).toEqual([id]);
    const state = await view(id);
    expect(state.state).toBe("queued");
    expect(state.history.at(-1)!.note).toBe("its time came: put on the queue");
    expect(await received(VENDOR)).toHaveLength(0);

    await evictDurableObject(stateOf(id));
    await deliver(id);
    expect((await view(id)).state).toBe("sent");
    // Its next alarm is the stuck-message check, which finds nothing to do.
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([id]);
    expect(await received(VENDOR)).toHaveLength(1);
  });

  it("at exactly 12 hours the queue's delay holds it; a second more is for the alarm", async () => {
    const within = await schedule(MAX_QUEUE_DELAY_SECONDS * 1000 - 5000);
    expect(within.queue.sent).toHaveLength(1);
    const beyond = await schedule(MAX_QUEUE_DELAY_SECONDS * 1000 + 5000);
    expect(beyond.queue.sent).toEqual([]);
  });

  it.each([
    ["not RFC 3339", "tomorrow 9am", "date_time"],
    ["without its offset", "2030-01-01T09:00:00", "date_time"],
    ["in the past", "2020-01-01T09:00:00Z", "future"],
    ["more than 30 days ahead", new Date(Date.now() + 31 * 24 * HOUR).toISOString(), "max_ahead"],
  ])("refuses a Send-At %s: 422 naming the header, nothing queued", async (_name, value, rule) => {
    const { answer, queue } = await send({ prefer: "respond-async", "send-at": value });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: "validation", delivery: "not_sent", issues: [{ path: "headers.send-at", rule }] });
    expect(queue.sent).toEqual([]);
  });

  it("refuses a Send-At without Prefer: respond-async (422), and sends nothing now either", async () => {
    const { answer, queue } = await send({ "send-at": new Date(Date.now() + HOUR).toISOString() });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toMatchObject([{ path: "headers.send-at", rule: "respond_async" }]);
    expect(queue.sent).toEqual([]);
    expect(await received(VENDOR)).toHaveLength(0);
  });

  it("under an Idempotency-Key: a repeat gets the same message; the same message at another time is another request", async () => {
    const key = `scheduled-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + HOUR).toISOString();
    const first = await send({ prefer: "respond-async", "send-at": sendAt, "idempotency-key": key });
    const again = await send({ prefer: "respond-async", "send-at": sendAt, "idempotency-key": key });
    expect(again.answer.body.id).toBe(first.answer.body.id);
    expect(again.queue.sent).toEqual([]);
    const later = await send({ prefer: "respond-async", "send-at": new Date(Date.now() + 2 * HOUR).toISOString(), "idempotency-key": key });
    expect(later.answer.status).toBe(422);
    expect(later.answer.body.kind).toBe("idempotency_key_reused");
    expect(later.queue.sent).toEqual([]);
  });
});

describe("DELETE /v1/messages/{id}", () => {
  it("cancels a scheduled message: it is never sent, when its queue message comes or when its time does", async () => {
    const requeued = watchRequeues();
    const { id } = await schedule(HOUR);
    const answer = await cancel(id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id, state: "cancelled" });
    expect(answer.body.history.at(-1)).toMatchObject({ state: "cancelled", note: "cancelled before it was sent; nothing was sent" });

    await timePasses(id, HOUR);
    expect((await deliver(id)).explicitAcks).toEqual(["delivery-1"]);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    expect((await view(id)).state).toBe("cancelled");
    expect(await received(VENDOR)).toHaveLength(0);
  });

  it("cancels a scheduled message whose time is beyond 12 hours, across a restart: its alarm puts nothing on the queue", async () => {
    const requeued = watchRequeues();
    const { id } = await schedule(10 * 24 * HOUR);
    expect((await cancel(id)).status).toBe(200);
    await evictDurableObject(stateOf(id));
    await timePasses(id, 10 * 24 * HOUR);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    // Ten days on, the cancelled message is past its 24 hours of history, and forgotten.
    expect(await stateOf(id).peek()).toBeUndefined();
    expect(await received(VENDOR)).toHaveLength(0);
  });

  it("cancels a message queued to go now, if it has not started", async () => {
    const { answer } = await send({ prefer: "respond-async" });
    const id = answer.body.id as string;
    expect((await cancel(id)).body.state).toBe("cancelled");
    await deliver(id);
    expect(await received(VENDOR)).toHaveLength(0);
  });

  it("cancelling twice answers the same", async () => {
    const { id } = await schedule(HOUR);
    const first = await cancel(id);
    expect(first.status).toBe(200);
    expect(first.body.state).toBe("cancelled");
    const second = await cancel(id);
    expect(second.status).toBe(first.status);
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(second.body).toEqual(first.body);
  });

  it("a message already sent answers 409 with its state, and stays sent", async () => {
    const { answer } = await send({ prefer: "respond-async" });
    const id = answer.body.id as string;
    await deliver(id);
    const refused = await cancel(id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body).toMatchObject({ kind: "not_cancellable", state: "sent", retryable: false });
    expect((await cancel(id)).body).toEqual(refused.body);
    expect((await view(id)).state).toBe("sent");
  });

  it("only whoever queued it can cancel it: anyone else is told there is no such message, and it still goes", async () => {
    const { id } = await schedule(HOUR);
    expect((await cancel(id, CALLER_KEY_BILLING_NEXT)).status).toBe(404);
    expect((await fetchWorker(`/v1/messages/${id}`, { method: "DELETE" })).status).toBe(401);
    expect((await view(id)).state).toBe("scheduled");
  });
});

describe("a cancel racing the send: cancelled with nothing sent, or sent, never both", () => {
  it("the cancel lands after the consumer picked the message up and before its request: cancelled, nothing sent", async () => {
    const { id } = await schedule(HOUR);
    await timePasses(id, HOUR);
    const startSending = MessageObject.prototype.startSending;
    let atFetch!: () => void;
    const reachedFetch = new Promise<void>((resolve) => (atFetch = resolve));
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    vi.spyOn(MessageObject.prototype, "startSending").mockImplementation(async function (this: MessageObject, attempt: number) {
      atFetch();
      await held;
      return startSending.call(this, attempt);
    });
    const delivery = deliver(id);
    await reachedFetch;
    const cancelled = await cancel(id);
    letGo();
    const result = await delivery;

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe("cancelled");
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    expect((await view(id)).state).toBe("cancelled");
    expect(await received(VENDOR)).toHaveLength(0);
  });

  it("the cancel lands while the request is at the vendor: 409 sending, and the message ends sent, once", async () => {
    const { id } = await schedule(HOUR);
    await timePasses(id, HOUR);
    const everlytic = sandboxVendors.everlytic;
    let duringSend: Awaited<ReturnType<typeof cancel>> | undefined;
    vi.spyOn(sandboxVendors, "everlytic").mockImplementation(async (request) => {
      duringSend = await cancel(id);
      return everlytic(request);
    });
    await deliver(id);
    expect(duringSend).toMatchObject({ status: 409, body: { kind: "not_cancellable", state: "sending" } });
    expect((await view(id)).state).toBe("sent");
    expect(await received(VENDOR)).toHaveLength(1);
    expect((await cancel(id)).body).toMatchObject({ state: "sent" });
  });
});

describe("a browser action's sendAt", () => {
  const actionCall = async (body: Record<string, unknown>, headers: Record<string, string> = { prefer: "respond-async" }, jwt?: string) =>
    fetchWorker("/v1/actions", { method: "POST", headers: { ...browserHeaders({ jwt: jwt ?? (await signJwt()) }), ...headers }, body: JSON.stringify(body) });

  it("schedules an action that allows it, within its limit", async () => {
    const sendAt = new Date(Date.now() + 24 * HOUR).toISOString();
    const answer = await actionCall({ action: "welcome", variables: { firstName: "Ada" }, sendAt });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ kind: "queued", state: "scheduled", sendAt });
    expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("refuses a sendAt beyond the action's limit, on an action that does not allow it, and without Prefer: respond-async", async () => {
    const beyond = await actionCall({ action: "welcome", variables: { firstName: "Ada" }, sendAt: new Date(Date.now() + 8 * 24 * HOUR).toISOString() });
    expect(beyond.status).toBe(422);
    expect(beyond.body.issues).toEqual([{ path: "sendAt", rule: "max_ahead", message: "must be at most 7 days ahead" }]);

    const notAllowed = await actionCall({ action: "order-shipped", variables: { orderNumber: "A-1" }, sendAt: new Date(Date.now() + HOUR).toISOString() });
    expect(notAllowed.status).toBe(422);
    expect(notAllowed.body.issues).toMatchObject([{ path: "sendAt", rule: "not_schedulable" }]);

    const unqueued = await actionCall({ action: "welcome", variables: { firstName: "Ada" }, sendAt: new Date(Date.now() + HOUR).toISOString() }, {});
    expect(unqueued.status).toBe(422);
    expect(unqueued.body.issues).toMatchObject([{ path: "sendAt", rule: "respond_async" }]);
  });

  it("txgate/browser schedules with sendAt and cancels, the same answer twice; another user cannot cancel it", async () => {
    const sub = uniqueSubject();
    const idToken = await signJwt({ sub });
    const mail = createBrowserClient<Actions>({
      endpoint: `${HOST}/v1/actions`,
      fetch: (input, init) => SELF.fetch(input as string, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } }),
    });
    const sendAt = new Date(Date.now() + 2 * 24 * HOUR);
    const queued = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, sendAt });
    expect(queued).toEqual({ ok: true, kind: "queued", id: expect.any(String), sendAt: sendAt.toISOString() });
    const id = (queued as { id: string }).id;

    expect(await mail.cancel(id, { idToken: await signJwt() })).toMatchObject({ ok: false, kind: "not_found" });
    expect(await mail.cancel(id, { idToken })).toEqual({ ok: true, kind: "cancelled", id });
    expect(await mail.cancel(id, { idToken: await signJwt({ sub }) })).toEqual({ ok: true, kind: "cancelled", id });
    expect((await view(id)).state).toBe("cancelled");
  });
});

describe("the local sandbox's outbox", () => {
  it("shows scheduled and cancelled messages with their time", async () => {
    const headers = { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox", prefer: "respond-async" };
    const sendAt = new Date(Date.now() + 5 * HOUR).toISOString();
    const post = () => fetchWorker(`${LOCAL}/v1/send/${VENDOR}`, { method: "POST", headers: { ...headers, "send-at": sendAt }, body: JSON.stringify(email()) });
    const waiting = (await post()).body.id as string;
    const withdrawn = (await post()).body.id as string;
    expect((await fetchWorker(`${LOCAL}/v1/messages/${withdrawn}`, { method: "DELETE", headers })).status).toBe(200);
    const page = (await fetchWorker(`${LOCAL}/sandbox`)).text;
    const row = (id: string) => page.slice(page.indexOf(id), page.indexOf("</tr>", page.indexOf(id)));
    expect(row(waiting)).toContain(">scheduled<");
    expect(row(waiting)).toContain(sendAt);
    expect(row(withdrawn)).toContain(">cancelled<");
  });
});
