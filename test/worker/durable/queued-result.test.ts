/**
 * A queued message's `result` (`GET /v1/messages/{id}`) is the answer the same send gets synchronously, field
 * for field: for each vendor's trusted route and for a browser action. Only what the vendor makes anew for each
 * email (its message ids) may differ.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../../worker/index.ts";
import { actions } from "../../../worker/actions.ts";
import type { Env } from "../../../src/worker/env.ts";
import { resolveAction } from "../../../src/worker/delivery/send-job.ts";
import { SEND_QUEUE } from "../../../src/worker/delivery/consumer.ts";
import type { MessageView } from "../../../src/worker/delivery/message-state.ts";
import type { VendorName } from "../../../src/core/public.ts";
import { VENDOR_NAMES } from "../../../src/vendors/registry.ts";
import type { VendorConformance } from "../../vendors/conformance.ts";
import { CALLER_KEY_BILLING, ORIGIN } from "../support/bindings.ts";
import { callerSend, fetchWorker, signJwt } from "../support/harness.ts";

const bindings = env as unknown as Env;
const stateOf = (id: string) => bindings.MESSAGES!.get(bindings.MESSAGES!.idFromName(id));

/** Runs `id` through the send queue's consumer once and answers its stored view. */
async function consumed(id: string): Promise<MessageView> {
  const batch = createMessageBatch(SEND_QUEUE, [{ id: "delivery-1", timestamp: new Date(), attempts: 1, body: { id } }]);
  await worker.queue(batch as MessageBatch<unknown>, bindings);
  await getQueueResult(batch, createExecutionContext());
  return (await stateOf(id).peek()) as unknown as MessageView;
}

/** What the vendor makes anew for each email: its message ids, wherever they appear. */
function withoutVendorIds(answer: Record<string, unknown>, ids: readonly string[]): unknown {
  let text = JSON.stringify(answer);
  for (const id of ids) text = text.split(JSON.stringify(id).slice(1, -1)).join("<vendor id>");
  return JSON.parse(text);
}

/** Each registered vendor's sample message (its fixtures' `conformance.sample`), which its sandbox fake sends. */
const MESSAGES = Object.fromEntries(
  await Promise.all(
    VENDOR_NAMES.map(async (vendor) => [vendor, ((await import(`../../${vendor}/fixtures.ts`)) as { conformance: VendorConformance }).conformance.sample]),
  ),
) as Record<VendorName, unknown>;

describe("a queued message's result is the synchronous answer", () => {
  it.each(Object.keys(MESSAGES) as VendorName[])("%s: the trusted route", async (vendor) => {
    const now = await callerSend(vendor, MESSAGES[vendor], CALLER_KEY_BILLING);
    expect(now.status).toBe(200);

    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor, body: MESSAGES[vendor], decode: true });
    const queued = await consumed(id);
    expect(queued.state).toBe("sent");
    const result = queued.result as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(Object.keys(now.body));
    const ids = [...((now.body.ids as string[] | undefined) ?? []), ...((result.ids as string[] | undefined) ?? [])];
    expect(withoutVendorIds(result, ids)).toEqual(withoutVendorIds(now.body, ids));
  });

  it.each(Object.keys(MESSAGES) as VendorName[])("%s: the trusted route, queued by the route itself (Prefer: respond-async)", async (vendor) => {
    const now = await callerSend(vendor, MESSAGES[vendor], CALLER_KEY_BILLING);
    expect(now.status).toBe(200);

    const accepted = await callerSend(vendor, MESSAGES[vendor], CALLER_KEY_BILLING, { prefer: "respond-async" });
    expect(accepted.status).toBe(202);
    const queued = await consumed(accepted.body.id as string);
    expect(queued.state).toBe("sent");
    const result = queued.result as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(Object.keys(now.body));
    const ids = [...((now.body.ids as string[] | undefined) ?? []), ...((result.ids as string[] | undefined) ?? [])];
    expect(withoutVendorIds(result, ids)).toEqual(withoutVendorIds(now.body, ids));
  });

  it("a message the vendor's rules refuse: the same problem", async () => {
    const invalid = { body: { html: "<p>hi</p>" }, headers: { subject: "Hi" } };
    const now = await callerSend("everlytic", invalid, CALLER_KEY_BILLING);
    expect(now.status).toBe(422);
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: invalid, decode: true });
    const queued = await consumed(id);
    expect(queued.state).toBe("failed");
    expect(queued.result).toEqual(now.body);
  });

  it("a browser action", async () => {
    const jwt = await signJwt();
    const now = await fetchWorker("/v1/actions", {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ action: "welcome", variables: { firstName: "Ada" } }),
    });
    expect(now.status).toBe(200);

    const id = crypto.randomUUID();
    const body = resolveAction("welcome", actions.welcome, "ada@example.com", { firstName: "Ada" });
    await stateOf(id).accept({ id, scope: "user:u1", audience: "browser", vendor: "expertsender", body, decode: false });
    const queued = await consumed(id);
    expect(queued.state).toBe("sent");
    expect(queued.result).toEqual(now.body);
  });

  it("a browser action queued by the route itself (Prefer: respond-async)", async () => {
    const send = async (prefer: Record<string, string>) =>
      fetchWorker("/v1/actions", {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, authorization: `Bearer ${await signJwt()}`, ...prefer },
        body: JSON.stringify({ action: "welcome", variables: { firstName: "Ada" } }),
      });
    const now = await send({});
    expect(now.status).toBe(200);
    const accepted = await send({ prefer: "respond-async" });
    expect(accepted.status).toBe(202);
    const queued = await consumed(accepted.body.id as string);
    expect(queued.state).toBe("sent");
    expect(queued.result).toEqual(now.body);
  });
});
