/**
 * A browser action becomes one send job at its route: the template's variables are checked there, once, and the
 * job carries that check's output to the vendor, sent now or from the queue. A schema that transforms its input
 * (a number read from text) reaches the vendor transformed, not refused by a second check of its own output. A
 * caller's message is serialised once on its way to the queue: its size is measured on the JSON that is stored.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listmonkVendor } from "../../src/listmonk/descriptor.ts";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.ts";
import { SEND_QUEUE } from "../../src/worker/delivery/consumer.ts";
import type { MessageView } from "../../src/worker/delivery/message-state.ts";
import type { Env } from "../../src/worker/env.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line, type WorkerHandler } from "../../src/worker/index.ts";
import { browserHeaders, callerSend, HOST, record, signJwt } from "./support/harness.ts";
import { CALLER_KEY_BILLING } from "./support/bindings.ts";

const bindings = env as unknown as Env;
let checks = 0;
const catalogue = defineCatalogue({
  order: {
    variables: v.strictObject({
      name: v.pipe(
        line(100),
        v.check(() => ++checks > 0),
      ),
      // Text in, a number out: the output is not what the schema takes in.
      items: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number)),
    }),
    via: [{ vendor: "listmonk", template: 2, message: { from: { address: "shop@example.com", name: "Shop" } } }],
  },
});
const actions = defineActions(catalogue, { "order-placed": { template: "order", auth: "jwt", recipient: { kind: "self" } } });

function shopWorker() {
  const listmonk = createListmonkFake();
  const handler = createTxgateWorker({
    vendors: [listmonkVendor],
    actions,
    sandbox: { vendors: { listmonk: { fetch: listmonk.fetch, settings: { baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS } } } },
  });
  return { listmonk, handler };
}

async function send(handler: WorkerHandler, headers: Record<string, string> = {}) {
  const request = new Request(`${HOST}/v1/actions`, {
    method: "POST",
    headers: { ...browserHeaders({ jwt: await signJwt({ email: "ada@example.com" }) }), ...headers },
    body: JSON.stringify({ action: "order-placed", variables: { name: "Ada", items: "3" } }),
  });
  return record(await handler.fetch(request, { ...bindings, CALLER_KEYS: undefined } as Env), "POST order-placed (send job)");
}

async function consume(handler: WorkerHandler, id: string): Promise<MessageView> {
  const batch = createMessageBatch(SEND_QUEUE, [{ id: "delivery-1", timestamp: new Date(), attempts: 1, body: { id } }]);
  await handler.queue(batch as MessageBatch<unknown>, { ...bindings, CALLER_KEYS: undefined } as Env);
  await getQueueResult(batch, createExecutionContext());
  return (await bindings.MESSAGES!.get(bindings.MESSAGES!.idFromName(id)).peek()) as unknown as MessageView;
}

describe("a browser action's variables are checked once, at its route", () => {
  it("sent now: the schema runs once, and its output is what the vendor gets", async () => {
    const { listmonk, handler } = shopWorker();
    checks = 0;
    const answer = await send(handler);
    expect(answer.status).toBe(200);
    expect(checks).toBe(1);
    expect(listmonk.outbox).toMatchObject([{ accepted: true, to: ["ada@example.com"], data: { name: "Ada", items: 3 } }]);
  });

  it("queued: the schema runs once at the route, not again when the queue sends it", async () => {
    const { listmonk, handler } = shopWorker();
    checks = 0;
    const accepted = await send(handler, { prefer: "respond-async" });
    expect(accepted.status).toBe(202);
    const queued = await consume(handler, accepted.body.id as string);
    expect(queued.state).toBe("sent");
    expect(checks).toBe(1);
    expect(listmonk.outbox).toMatchObject([{ accepted: true, to: ["ada@example.com"], data: { name: "Ada", items: 3 } }]);
  });

  it("refused at the route, as before, for variables the schema refuses", async () => {
    const { listmonk, handler } = shopWorker();
    const request = new Request(`${HOST}/v1/actions`, {
      method: "POST",
      headers: browserHeaders({ jwt: await signJwt({ email: "ada@example.com" }) }),
      body: JSON.stringify({ action: "order-placed", variables: { name: "Ada", items: "three" } }),
    });
    const answer = await record(await handler.fetch(request, { ...bindings, CALLER_KEYS: undefined } as Env), "POST order-placed (refused)");
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: "validation", issues: [{ path: "variables.items" }] });
    expect(listmonk.outbox).toEqual([]);
  });
});

describe("a caller's queued message is serialised once", () => {
  afterEach(() => vi.restoreAllMocks());

  it("the JSON its size is measured on is the JSON its message state stores", async () => {
    const order = crypto.randomUUID();
    const message = { template_id: 2, subscriber_emails: ["ada@example.com"], data: { order } };
    const stringify = vi.spyOn(JSON, "stringify");
    const accepted = await callerSend("listmonk", message, CALLER_KEY_BILLING, { prefer: "respond-async" });
    expect(accepted.status).toBe(202);
    const ofThisMessage = stringify.mock.calls.filter(([value]) => (value as { data?: { order?: unknown } } | null)?.data?.order === order);
    // The harness's own request body is one of them.
    expect(ofThisMessage).toHaveLength(2);
  });
});
