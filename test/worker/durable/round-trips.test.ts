/**
 * What a queued message costs in Durable Object calls, and that the calls saved keep every promise: an attempt
 * calls its message's object three times (pick up, `sending` right before fetch, settle), the vendor's ids go in
 * with the settle, and the indexes get a consumer batch's ended states in one call per index object; a consumer
 * that stops between settling and reporting has its batch delivered again, and the index still comes to say
 * what the message says. The namespaces are wrapped to count the calls the consumer makes (a message object's
 * own calls to the indexes, from accept, are not counted).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../../worker/index.ts";
import type { Env } from "../../../src/worker/env.ts";
import { SEND_QUEUE } from "../../../src/worker/delivery/consumer.ts";
import { bindings, deliver, stateOf, view } from "../support/delivery.ts";
import { CALLER_KEY_BILLING } from "../support/bindings.ts";
import { fetchWorker, LOCAL } from "../support/harness.ts";

/** A vendor whose answers carry an id (so pointers are made), kept off the real local queue's way. */
const VENDOR = "everlytic";
const email = (to: string) => ({
  body: { html: "<p>Your receipt</p>" },
  headers: { subject: "Receipt", from: { email: "shop@example.com" }, to: [{ email: to }] },
});

async function accepted(scope: string): Promise<string> {
  const id = crypto.randomUUID();
  await stateOf(id).accept({ id, scope, audience: "caller", vendor: VENDOR, body: email(`trips-${id}@example.com`), decode: true });
  return id;
}

/** `namespace`, with each call on one of its stubs written to `calls` as the method's name. */
function counted<T extends object>(namespace: T, calls: string[]): T {
  return new Proxy(namespace, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key !== "get" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (id: DurableObjectId) => {
        const stub = (value as (id: DurableObjectId) => object).call(target, id);
        return new Proxy(stub, {
          get(inner, method) {
            const member = Reflect.get(inner, method) as unknown;
            if (typeof member !== "function") return member;
            return (...args: unknown[]) => {
              calls.push(String(method));
              return Reflect.apply(member as (...args: unknown[]) => unknown, inner, args);
            };
          },
        });
      };
    },
  });
}

/** One batch of `ids` through the worker's queue handler, with `settings` over the bindings. */
async function deliverBatch(ids: readonly string[], settings: Partial<Env>) {
  const batch = createMessageBatch(
    SEND_QUEUE,
    ids.map((id, index) => ({ id: `trip-${index}`, timestamp: new Date(), attempts: 1, body: { id } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, { ...bindings, ...settings } as Env);
  return getQueueResult(batch, ctx);
}

const listed = async (state: string): Promise<string[]> => {
  const page = await fetchWorker(`/v1/messages?state=${state}&limit=100`, { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
  expect(page.status).toBe(200);
  return page.body.messages.map((message: { id: string }) => message.id);
};

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
  await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
});

describe("a queued attempt's Durable Object calls", () => {
  it("three on its message's object (pick up, sending, settle with the vendor's ids), and one per index object for the whole batch", async () => {
    const ids = [await accepted("caller:billing"), await accepted("caller:billing"), await accepted("caller:billing")];
    const messageCalls: string[] = [];
    const indexCalls: string[] = [];
    const result = await deliverBatch(ids, { MESSAGES: counted(bindings.MESSAGES!, messageCalls), MESSAGE_INDEX: counted(bindings.MESSAGE_INDEX!, indexCalls) });

    expect(result.explicitAcks.sort()).toEqual(["trip-0", "trip-1", "trip-2"]);
    for (const id of ids) expect((await view(id)).state).toBe("sent");
    // Counted apart: the vendor-id pointers (one per id its answers gave: the events' way to the message), and the
    // sandbox's own delivery events, recorded after the batch as a vendor's webhook would be.
    const perMessage = messageCalls.filter((method) => !["pointTo", "recordEvent", "countEvents"].includes(method));
    expect(perMessage.sort()).toEqual(["pickUp", "pickUp", "pickUp", "settle", "settle", "settle", "startSending", "startSending", "startSending"]);
    // The caller's index and the deployment's: one call each, however many messages ended.
    expect(indexCalls.filter((method) => method !== "noteVendor")).toEqual(["recordMany", "recordMany"]);
    const sent = await listed("sent");
    for (const id of ids) expect(sent).toContain(id);
  });

  it("the vendor's ids recorded with the settle still tie the vendor's events to the message, and only its own", async () => {
    const id = await accepted("caller:billing");
    await deliver(id);
    const outbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.vendor === VENDOR);
    expect(outbox).toHaveLength(1);
    // The sandbox's Everlytic posts a delivery event naming its transaction id: the message shows it.
    const shown = await view(id);
    expect(shown.events?.map((event) => event.kind)).toContain("delivered");

    // An event that carries our id with another send's transaction id is someone else's: not attached.
    const before = (await view(id)).events?.length ?? 0;
    const recording = await stateOf(id).recordEvent({ kind: "opened", vendor: VENDOR, vendorIds: ["not-this-send"], dedupeKey: `foreign-${id}`, details: {} });
    expect(recording).toEqual({ result: "foreign" });
    expect((await view(id)).events?.length ?? 0).toBe(before);
  });
});

describe("a consumer that stops after settling and before reporting", () => {
  it("has the message's ended state in the index once the batch is delivered again, sent once", async () => {
    const id = await accepted("caller:billing");
    // The batch's report never goes: as if the consumer stopped right after the message's object recorded `sent`.
    await deliverBatch([id], { MESSAGE_INDEX: undefined });
    expect((await view(id)).state).toBe("sent");
    expect(await listed("queued")).toContain(id);

    // Its acks never counted, so the queue delivers the batch again: nothing is sent twice, and the index catches up.
    const redelivered = await deliver(id, 2);
    expect(redelivered.explicitAcks).toEqual(["delivery-2"]);
    expect(await listed("sent")).toContain(id);
    expect(await listed("queued")).not.toContain(id);
    const outbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.vendor === VENDOR);
    expect(outbox).toHaveLength(1);
  });
});
