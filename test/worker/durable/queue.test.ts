/**
 * Queued sends: `Prefer: respond-async` answers 202 with a Location; the consumer sends through the library and
 * records every attempt in the message's Durable Object; a 429 is retried after its Retry-After, a 500 is never
 * retried (it ends `unknown`), exhausted and permanent failures go to the dead-letter queue, whose consumer
 * records the final state; a consumer that dies mid-send or before its ack neither loses the message nor sends it
 * twice. Batches are made with the vitest plugin's `createMessageBatch` and handed to the worker's `queue`
 * handler; time passing is a changed `not_before` in the message's storage, never a wait.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEAD_LETTER_QUEUE } from "../../../src/worker/delivery/consumer.ts";
import { MAX_REQUEUES, MessageObject, STUCK_AFTER_MS } from "../../../src/worker/delivery/message-state.ts";
import { bindings, deliver, stateOf, timePasses, view, watchRequeues } from "../support/delivery.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER, ORIGIN } from "../support/bindings.ts";
import { callerSend, fetchWorker, LOCAL, signJwt } from "../support/harness.ts";
import { resolveAction } from "../../../src/worker/delivery/send-job.ts";
import { actions } from "../../../worker/actions.ts";
import { sandboxVendors } from "../../../worker/sandbox/index.ts";

/** These tests use Everlytic, so that the real local queue's consumer (fed by the 202 tests) never meets their switch. */
const VENDOR = "everlytic";
const email = (subject = "Shipped") => ({
  body: { html: "<p>Your order has shipped</p>" },
  headers: { subject, from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
});

/** A message accepted for the queue, as the send route leaves it (its state, and its id for the queue). */
async function accepted(body: unknown = email()): Promise<string> {
  const id = crypto.randomUUID();
  await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: VENDOR, body, decode: true });
  return id;
}

/** Time passes until the message's retry is due. */
async function retryIsDue(id: string): Promise<void> {
  await runInDurableObject(stateOf(id), (_instance: MessageObject, state) => {
    state.storage.sql.exec("UPDATE message SET not_before = 0");
  });
}
async function sent(): Promise<any[]> {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.vendor === VENDOR);
}
async function forceFailure(status: 429 | 500 | 503, count = 1, retryAfter?: number) {
  const answer = await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status, count, retryAfter, vendor: VENDOR }) });
  expect(answer.status).toBe(201);
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
  await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
});

describe("Prefer: respond-async", () => {
  it("accepts the send with 202 and a Location, and the message's state is there for its caller only", async () => {
    const answer = await callerSend("expertsender", { transactionalId: 123, Receiver: { Email: "patrick@example.com" } }, CALLER_KEY_BILLING, { prefer: "respond-async" });
    expect(answer.status).toBe(202);
    expect(answer.headers.get("preference-applied")).toBe("respond-async");
    const location = answer.headers.get("location")!;
    expect(location).toMatch(/^\/v1\/messages\/[0-9a-f-]{36}$/);
    expect(answer.body).toMatchObject({ ok: true, kind: "queued", id: location.split("/").pop(), location });

    const status = await fetchWorker(location, { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
    expect(status.status).toBe(200);
    // The real local queue may already have delivered it; either way it was accepted first.
    expect(["queued", "sending", "sent"]).toContain(status.body.state);
    expect(status.body.history[0]).toMatchObject({ state: "queued", note: "accepted" });
    expect(status.text).not.toContain("patrick@example.com");

    expect((await fetchWorker(location, { headers: { authorization: `Bearer ${CALLER_KEY_NEWSLETTER}` } })).status).toBe(404);
    expect((await fetchWorker(location)).status).toBe(401);
  });

  it("without the preference the send is synchronous, as before", async () => {
    const answer = await callerSend(VENDOR, email(), CALLER_KEY_BILLING);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe("sent");
    expect(await sent()).toHaveLength(1);
  });

  it("a repeat of a queued send under the same Idempotency-Key gets the same message id and queues nothing more", async () => {
    const headers = { prefer: "respond-async", "idempotency-key": `queued-${crypto.randomUUID()}` };
    const body = { transactionalId: 123, Receiver: { Email: "patrick@example.com" } };
    const first = await callerSend("expertsender", body, CALLER_KEY_BILLING, headers);
    const again = await callerSend("expertsender", body, CALLER_KEY_BILLING, headers);
    expect(again.status).toBe(202);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a browser's queued action is visible to the same signed-in user only", async () => {
    const sub = `user-${crypto.randomUUID()}`;
    const headers = (jwt: string) => ({ "content-type": "application/json", origin: ORIGIN, authorization: `Bearer ${jwt}`, prefer: "respond-async" });
    const answer = await fetchWorker("/v1/actions", { method: "POST", headers: headers(await signJwt({ sub })), body: JSON.stringify({ action: "welcome", variables: { firstName: "Ada" } }) });
    expect(answer.status).toBe(202);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const location = answer.headers.get("location")!;
    const mine = await fetchWorker(location, { headers: { origin: ORIGIN, authorization: `Bearer ${await signJwt({ sub })}` } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const theirs = await fetchWorker(location, { headers: { origin: ORIGIN, authorization: `Bearer ${await signJwt()}` } });
    expect(theirs.status).toBe(404);
  });
});

describe("the consumer", () => {
  it("sends a queued browser action as it was resolved: its catalogue template, with the vendor's data function", async () => {
    const to = `queued-${crypto.randomUUID()}@example.com`;
    const id = crypto.randomUUID();
    const body = resolveAction("welcome", actions.welcome, to, { firstName: "Pat & Co" });
    await stateOf(id).accept({ id, scope: "user:u1", audience: "browser", vendor: "expertsender", body, decode: false });
    const result = await deliver(id);
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    expect((await view(id)).state).toBe("sent");
    const outbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.to?.includes(to));
    expect(outbox).toMatchObject([{ vendor: "expertsender", template: 123, data: { firstName: "Pat &#38; Co" } }]);
  });

  it("fails, sending nothing, a queued browser action this worker no longer has", async () => {
    const to = `retired-${crypto.randomUUID()}@example.com`;
    const id = crypto.randomUUID();
    const body = { action: "retired-action", template: "welcome", message: { to, data: { firstName: "Pat" } } };
    await stateOf(id).accept({ id, scope: "user:u1", audience: "browser", vendor: "expertsender", body, decode: false });
    const result = await deliver(id);
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    expect(await view(id)).toMatchObject({ state: "failed", result: { kind: "unknown_action", delivery: "not_sent" } });
    // Nothing reached any vendor: the outbox holds no message for that address, through any vendor.
    const outbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages;
    expect(outbox.filter((message: any) => JSON.stringify(message).includes(to))).toEqual([]);
  });

  it("a listmonk send that reaches some recipients and not others ends partial: acked, not retried, on the dead-letter queue with its outcome", async () => {
    const id = crypto.randomUUID();
    const body = { template_id: 2, subscriber_emails: ["ada@example.com", "fail+partial@example.com"] };
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "listmonk", body, decode: true });
    const deadLetters = vi.spyOn(bindings.DEAD_LETTERS!, "send");
    try {
      const result = await deliver(id);
      expect(result.explicitAcks).toEqual(["delivery-1"]);
      expect(result.retryMessages).toEqual([]);
      expect(deadLetters).toHaveBeenCalledWith({ id, outcome: expect.objectContaining({ delivery: "partial", retryable: false }) }, { contentType: "json" });
    } finally {
      deadLetters.mockRestore();
    }
    const state = await view(id);
    expect(state.state).toBe("partial");
    expect(state.result).toMatchObject({ delivery: "partial", retryable: false, vendor: "listmonk" });
    expect(state.history.at(-1)!.note).toMatch(/not retried/);
    // Delivered again all the same: acked, nothing sent twice.
    const outbox = async () => (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.vendor === "listmonk" && message.to?.includes("ada@example.com"));
    const before = (await outbox()).length;
    expect((await deliver(id, 2)).explicitAcks).toEqual(["delivery-2"]);
    expect(await outbox()).toHaveLength(before);
  });

  it("sends a queued message once, records it sent, and acks it", async () => {
    const id = await accepted();
    const result = await deliver(id);
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    expect(result.retryMessages).toEqual([]);
    const state = await view(id);
    expect(state.state).toBe("sent");
    expect(state.history.map((entry) => entry.state)).toEqual(["queued", "sending", "sent"]);
    expect(state.result).toMatchObject({ ok: true, kind: "sent", vendor: VENDOR });
    expect(await sent()).toHaveLength(1);
  });

  it("retries a 429 after its Retry-After, and not before", async () => {
    const id = await accepted();
    await forceFailure(429, 1, 30);
    const first = await deliver(id, 1);
    expect(first.retryMessages).toEqual([{ msgId: "delivery-1", delaySeconds: 30 }]);
    expect(first.explicitAcks).toEqual([]);
    let state = await view(id);
    expect(state.state).toBe("queued");
    expect(state.history.at(-1)).toMatchObject({ state: "queued", attempt: 1, outcome: { kind: "rate_limited", delivery: "not_sent", retryAfter: 30 } });
    expect(await sent()).toHaveLength(0);

    // Delivered again before the 30 s are over (the queue may do that): put back for the rest, nothing sent.
    const early = await deliver(id, 2);
    expect(early.retryMessages).toHaveLength(1);
    expect(early.retryMessages[0]!.delaySeconds).toBeGreaterThan(0);
    expect(early.retryMessages[0]!.delaySeconds).toBeLessThanOrEqual(30);
    expect(await sent()).toHaveLength(0);

    await retryIsDue(id);
    const due = await deliver(id, 3);
    expect(due.explicitAcks).toEqual(["delivery-3"]);
    state = await view(id);
    expect(state.state).toBe("sent");
    expect(state.attempts).toBe(2);
    expect(await sent()).toHaveLength(1);
  });

  it("backs off when a retryable failure gives no Retry-After", async () => {
    const id = await accepted();
    // Three 503s: the library's own two quick retries, then the queue's.
    await forceFailure(503, 3);
    const result = await deliver(id, 1, { QUEUE_RETRY_SECONDS: "7" });
    expect(result.retryMessages).toEqual([{ msgId: "delivery-1", delaySeconds: 7 }]);
    expect((await view(id)).history.at(-1)).toMatchObject({ outcome: { kind: "server_error", delivery: "not_sent" } });
  });

  it("never retries a 500: the message ends unknown and is acked", async () => {
    const id = await accepted();
    await forceFailure(500);
    const result = await deliver(id);
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    expect(result.retryMessages).toEqual([]);
    const state = await view(id);
    expect(state.state).toBe("unknown");
    expect(state.result).toMatchObject({ kind: "server_error", delivery: "unknown" });
    // Delivered again all the same: acked, not sent.
    expect((await deliver(id, 2)).explicitAcks).toEqual(["delivery-2"]);
    expect(await sent()).toHaveLength(0);
  });

  it("sends a message that ran out of attempts to the dead-letter queue, whose consumer records it", async () => {
    const id = await accepted();
    await forceFailure(429, 10, 30);
    expect((await deliver(id, 1, { QUEUE_MAX_ATTEMPTS: "2" })).retryMessages).toHaveLength(1);
    await retryIsDue(id);
    const last = await deliver(id, 2, { QUEUE_MAX_ATTEMPTS: "2" });
    expect(last.explicitAcks).toEqual(["delivery-2"]);
    let state = await view(id);
    expect(state.state).toBe("failed");
    expect(state.history.at(-1)).toMatchObject({ state: "failed", attempt: 2, note: "no attempts left (2)", outcome: { kind: "rate_limited" } });

    const dead = await deliver(id, 1, {}, DEAD_LETTER_QUEUE, { id, outcome: state.history.at(-1)!.outcome });
    expect(dead.explicitAcks).toEqual(["delivery-1"]);
    state = await view(id);
    expect(state.state).toBe("failed");
    expect(state.history.at(-1)).toMatchObject({ state: "failed", note: "in the dead-letter queue" });
    expect(await sent()).toHaveLength(0);
  });

  it("dead-letters a permanent failure at once", async () => {
    const id = await accepted({ body: { html: "<p>hi</p>" }, headers: { subject: "Hi" } });
    const result = await deliver(id);
    expect(result.explicitAcks).toEqual(["delivery-1"]);
    const state = await view(id);
    expect(state.state).toBe("failed");
    expect(state.result).toMatchObject({ kind: "validation" });
    expect(state.history.at(-1)!.note).toBe("a retry cannot help");
  });

  it("the dead-letter consumer finishes a message the queue gave up on: mid-send ends unknown, waiting ends failed", async () => {
    const midSend = await accepted();
    await stateOf(midSend).pickUp();
    expect(await stateOf(midSend).startSending(1)).toBe(true);
    await deliver(midSend, 1, {}, DEAD_LETTER_QUEUE);
    expect((await view(midSend)).state).toBe("unknown");

    const waiting = await accepted();
    await deliver(waiting, 1, {}, DEAD_LETTER_QUEUE);
    expect((await view(waiting)).state).toBe("failed");
    expect(await sent()).toHaveLength(0);
  });
});

describe("a consumer that dies", () => {
  it("after the send began and before its answer was recorded: redelivered, the message ends unknown and is not sent again", async () => {
    const id = await accepted();
    // The dead consumer got this far: the request was about to be handed to fetch.
    expect((await stateOf(id).pickUp()).action).toBe("send");
    expect(await stateOf(id).startSending(1)).toBe(true);
    const redelivered = await deliver(id, 2);
    expect(redelivered.explicitAcks).toEqual(["delivery-2"]);
    const state = await view(id);
    expect(state.state).toBe("unknown");
    expect(state.history.at(-1)!.note).toMatch(/not sent again/);
    expect(await sent()).toHaveLength(0);
  });

  it("after picking the message up and before its request reached fetch (waiting for a pacer slot or a token): redelivered, it is sent once", async () => {
    const id = await accepted();
    // The dead consumer got this far: it held the message and had not yet called the vendor.
    expect((await stateOf(id).pickUp()).action).toBe("send");
    expect((await view(id)).state).toBe("queued");
    const redelivered = await deliver(id, 2);
    expect(redelivered.explicitAcks).toEqual(["delivery-2"]);
    const state = await view(id);
    expect(state.state).toBe("sent");
    expect(state.history.map((entry) => entry.state)).toEqual(["queued", "queued", "sending", "sent"]);
    expect(state.history[1]!.note).toMatch(/attempt 1 never reached the vendor/);
    expect(await sent()).toHaveLength(1);
  });

  it("a message is `sending` only from the moment its request is handed to the vendor", async () => {
    const id = await accepted();
    const { everlytic } = sandboxVendors;
    let seen: string | undefined;
    const spy = vi.spyOn(sandboxVendors, "everlytic").mockImplementation(async (request) => {
      seen = (await view(id)).state;
      return everlytic(request);
    });
    try {
      await deliver(id);
    } finally {
      spy.mockRestore();
    }
    expect(seen).toBe("sending");
    expect((await view(id)).state).toBe("sent");
  });

  it("many consumers dying while their messages wait: none of those messages ends unknown, each is sent once on redelivery", async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => accepted()));
    await Promise.all(ids.map((id) => stateOf(id).pickUp()));
    await Promise.all(ids.map((id, index) => deliver(id, 2 + index)));
    const states = await Promise.all(ids.map(async (id) => (await view(id)).state));
    expect(states.filter((state) => state !== "sent")).toEqual([]);
    expect(await sent()).toHaveLength(20);
    // Twenty deliveries, each with its message's and its vendor ids' objects and the sandbox's events: more than the
    // default 5 s on a loaded machine, though nothing here waits for time to pass.
  }, 20_000);

  it("a consumer still holding an older pick-up of a message sent meanwhile cannot send it again", async () => {
    const id = await accepted();
    // A slow consumer picked it up, and the queue delivered the message to another one, which sent it.
    expect((await stateOf(id).pickUp()).action).toBe("send");
    await deliver(id, 2);
    expect(await sent()).toHaveLength(1);
    // The slow one reaches fetch at last: refused.
    expect(await stateOf(id).startSending(1)).toBe(false);
    expect((await view(id)).state).toBe("sent");
  });

  it("a consumer that reaches fetch after another picked the message up again sends nothing and acks", async () => {
    const id = await accepted();
    const slow = await stateOf(id).pickUp();
    expect(slow).toMatchObject({ action: "send", attempt: 1 });
    // Picked up again by a second consumer, which has not reached fetch yet either.
    expect(await stateOf(id).pickUp()).toMatchObject({ action: "send", attempt: 2 });
    expect(await stateOf(id).startSending(1)).toBe(false);
    expect(await stateOf(id).startSending(2)).toBe(true);
  });

  it("after the vendor answered and before its answer could be recorded: the message is delivered again, never acked, and ends unknown, not sent twice", async () => {
    const id = await accepted();
    const settle = vi.spyOn(MessageObject.prototype, "settle").mockImplementationOnce(async () => {
      throw new Error("storage unavailable");
    });
    try {
      const first = await deliver(id, 1);
      // Acked now, the message would stay `sending` with nothing left to finish it.
      expect(first.explicitAcks).toEqual([]);
      expect(first.retryMessages).toEqual([{ msgId: "delivery-1", delaySeconds: undefined }]);
    } finally {
      settle.mockRestore();
    }
    expect((await view(id)).state).toBe("sending");
    expect(await sent()).toHaveLength(1);
    const redelivered = await deliver(id, 2);
    expect(redelivered.explicitAcks).toEqual(["delivery-2"]);
    expect((await view(id)).state).toBe("unknown");
    expect(await sent()).toHaveLength(1);
  });

  it("after the answer was recorded and before the ack: redelivered, it is acked without sending", async () => {
    const id = await accepted();
    await deliver(id, 1);
    expect(await sent()).toHaveLength(1);
    const redelivered = await deliver(id, 2);
    expect(redelivered.explicitAcks).toEqual(["delivery-2"]);
    expect((await view(id)).state).toBe("sent");
    expect(await sent()).toHaveLength(1);
  });

  it("before picking the message up: redelivered, it is sent (nothing was lost)", async () => {
    const id = await accepted();
    const result = await deliver(id, 3);
    expect(result.explicitAcks).toEqual(["delivery-3"]);
    expect((await view(id)).state).toBe("sent");
    expect(await sent()).toHaveLength(1);
  });
});

describe("stuck messages: each message's alarm", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("puts a message accepted and never put on the queue (a crash between the two) back on it after 15 minutes, and it is sent once", async () => {
    const requeued = watchRequeues();
    const id = await accepted();
    // Not yet: the queue may still deliver it.
    await timePasses(id, STUCK_AFTER_MS - 60_000);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);

    await timePasses(id, 60_000);
    expect(await runDurableObjectAlarm(stateOf(id))).toBe(true);
    expect(requeued).toEqual([id]);
    const state = await view(id);
    expect(state.state).toBe("queued");
    expect(state.history.at(-1)!.note).toMatch(/no consumer picked it up within 15 minutes: put on the queue again/);

    await deliver(id);
    expect((await view(id)).state).toBe("sent");
    expect(await sent()).toHaveLength(1);
  });

  it("a message waiting for its retry is not stuck until 15 minutes past its retry time", async () => {
    const requeued = watchRequeues();
    const id = await accepted();
    await forceFailure(429, 1, 3600);
    await deliver(id);
    await timePasses(id, 3600_000);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    await timePasses(id, STUCK_AFTER_MS);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([id]);
  });

  it("settles by rule 3 one picked up by a consumer that died before reaching the vendor: put back on the queue and sent once", async () => {
    const requeued = watchRequeues();
    const id = await accepted();
    await stateOf(id).pickUp();
    await timePasses(id, STUCK_AFTER_MS);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([id]);
    expect((await view(id)).history.at(-1)!.note).toMatch(/attempt 1 was picked up and never reached the vendor/);
    await deliver(id, 2);
    expect((await view(id)).state).toBe("sent");
    expect(await sent()).toHaveLength(1);
  });

  it("settles by rule 3 one left sending with no answer: unknown, never sent again", async () => {
    const requeued = watchRequeues();
    const id = await accepted();
    await stateOf(id).pickUp();
    await stateOf(id).startSending(1);
    await timePasses(id, STUCK_AFTER_MS);
    await runDurableObjectAlarm(stateOf(id));
    expect(requeued).toEqual([]);
    const state = await view(id);
    expect(state.state).toBe("unknown");
    expect(state.history.at(-1)!.note).toMatch(/may have gone out, so it is not sent again/);
    expect((await deliver(id, 2)).explicitAcks).toEqual(["delivery-2"]);
    expect(await sent()).toHaveLength(0);
  });

  it(`fails, nothing sent, a message the queue never delivers after ${MAX_REQUEUES} tries`, async () => {
    const requeued = watchRequeues();
    const id = await accepted();
    for (let tries = 0; tries < MAX_REQUEUES; tries++) {
      await timePasses(id, STUCK_AFTER_MS);
      await runDurableObjectAlarm(stateOf(id));
    }
    expect(requeued).toHaveLength(MAX_REQUEUES);
    expect((await view(id)).state).toBe("queued");
    await timePasses(id, STUCK_AFTER_MS);
    await runDurableObjectAlarm(stateOf(id));
    const state = await view(id);
    expect(state.state).toBe("failed");
    expect(state.result).toMatchObject({ ok: false, delivery: "not_sent" });
    expect(requeued).toHaveLength(MAX_REQUEUES);
  });

  it("drops a final message's content at once, keeps its state and history 24 hours, then forgets it", async () => {
    const id = await accepted();
    await deliver(id);
    const content = () => runInDurableObject(stateOf(id), (_instance: MessageObject, state) => state.storage.sql.exec<{ body: string | null }>("SELECT body FROM message").toArray());
    expect(await content()).toEqual([{ body: null }]);
    await timePasses(id, 23 * 3600_000);
    await runDurableObjectAlarm(stateOf(id));
    expect((await view(id)).state).toBe("sent");
    await timePasses(id, 3600_000);
    await runDurableObjectAlarm(stateOf(id));
    expect(await stateOf(id).peek()).toBeUndefined();
  });
});

describe("the local sandbox", () => {
  it("shows queued messages' states on the outbox page", async () => {
    const answer = await callerSend("expertsender", { transactionalId: 123, Receiver: { Email: "patrick@example.com" } }, CALLER_KEY_BILLING, { prefer: "respond-async" });
    const page = await fetchWorker(`${LOCAL}/sandbox`);
    expect(page.text).toContain("Queued messages");
    expect(page.text).toContain(answer.body.id);
  });

  it("lets the documented local caller key read the messages it queued", async () => {
    const headers = { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" };
    const answer = await fetchWorker(`${LOCAL}/v1/send/expertsender`, { method: "POST", headers: { ...headers, prefer: "respond-async" }, body: JSON.stringify({ transactionalId: 123, Receiver: { Email: "patrick@example.com" } }) });
    expect(answer.status).toBe(202);
    expect((await fetchWorker(`${LOCAL}${answer.headers.get("location")}`, { headers })).status).toBe(200);
  });

  it("counts what the sandbox vendors accept, for the benchmark: duplicates and the busiest second", async () => {
    expect((await fetchWorker(`${LOCAL}/sandbox/receipts`, { method: "POST" })).status).toBe(201);
    // listmonk, whose sends carry no message id: two synchronous sends of one message are the same body. (Everlytic's
    // carry a fresh id each, so only a queued message sent twice repeats its body there.)
    const one = { template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "one" } };
    await callerSend("listmonk", one, CALLER_KEY_BILLING);
    await callerSend("listmonk", one, CALLER_KEY_BILLING);
    await callerSend("listmonk", { ...one, data: { order: "two" } }, CALLER_KEY_BILLING);
    const receipts = (await fetchWorker(`${LOCAL}/sandbox/receipts`)).body;
    expect(receipts.vendors.listmonk).toMatchObject({ accepted: 3, distinct: 2 });
    expect(receipts.vendors.listmonk.busiestSecond).toBeGreaterThanOrEqual(1);
  });

  it("refuses a malformed failure switch", async () => {
    const answer = await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status: 404 }) });
    expect(answer.status).toBe(422);
  });
});
