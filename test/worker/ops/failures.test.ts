/**
 * Failures an operator can act on: `GET /v1/messages?state=…` lists a caller's own queued messages, newest first,
 * a page at a time; `POST /v1/messages/{id}/retry` sends a failed message again as a new attempt of the same
 * message, and an `unknown` one only when the caller accepts that it may arrive twice. Neither reaches across
 * callers. Messages are accepted straight into their objects and delivered with `createMessageBatch` (support/
 * delivery.ts), so the real local queue never races these tests; a retry's trip to the queue is watched.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { bindings, deliver, received, stateOf, view, watchRequeues } from "../support/delivery.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_BILLING_NEXT, CALLER_KEY_NEWSLETTER, ORIGIN } from "../support/bindings.ts";
import { fetchWithEnv, fetchWorker, LOCAL } from "../support/harness.ts";
import { decodeCursor, encodeCursor, type MessageIndexObject } from "../../../src/worker/delivery/message-index.ts";

const VENDOR = "everlytic";
const email = (to: string) => ({
  body: { html: "<p>Your invoice</p>" },
  headers: { subject: "Invoice", from: { email: "shop@example.com" }, to: [{ email: to }] },
});

/** A message queued by `scope`, as the send route leaves it. */
async function accepted(scope = "caller:billing", to = `ops-${crypto.randomUUID()}@example.com`): Promise<string> {
  const id = crypto.randomUUID();
  await stateOf(id).accept({ id, scope, audience: "caller", vendor: VENDOR, body: email(to), decode: true });
  return id;
}

async function forceFailure(status: 429 | 500, count = 1, retryAfter?: number) {
  expect((await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status, count, retryAfter, vendor: VENDOR }) })).status).toBe(201);
}

/** A message that failed with nothing sent: a 429 with no attempts left. */
async function failedMessage(scope?: string, to?: string): Promise<string> {
  const id = await accepted(scope, to);
  await forceFailure(429, 1, 30);
  await deliver(id, 1, { QUEUE_MAX_ATTEMPTS: "1" });
  expect((await view(id)).state).toBe("failed");
  return id;
}

/** A message whose fate is not known: the vendor answered 500. */
async function unknownMessage(): Promise<string> {
  const id = await accepted();
  await forceFailure(500);
  await deliver(id);
  expect((await view(id)).state).toBe("unknown");
  return id;
}

const list = (query: string, key = CALLER_KEY_BILLING) => fetchWorker(`/v1/messages${query}`, { headers: { authorization: `Bearer ${key}` } });
const retry = (id: string, key = CALLER_KEY_BILLING, body?: unknown) =>
  fetchWorker(`/v1/messages/${id}/retry`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Every id `query` lists, walking the cursor a page of `limit` at a time. */
async function walk(query: string, limit: number, key = CALLER_KEY_BILLING): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = `/v1/messages?${query}&limit=${limit}`;
  while (next) {
    const page = await fetchWorker(next, { headers: { authorization: `Bearer ${key}` } });
    expect(page.status).toBe(200);
    expect(page.body.messages.length).toBeLessThanOrEqual(limit);
    ids.push(...page.body.messages.map((message: { id: string }) => message.id));
    next = page.body.next;
  }
  return ids;
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
  await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
});

describe("GET /v1/messages", () => {
  it("lists the caller's failed and unknown messages, newest first, without their content", async () => {
    const to = `listed-${crypto.randomUUID()}@example.com`;
    const failed = await failedMessage("caller:billing", to);
    const unknown = await unknownMessage();
    const sent = await accepted();
    await deliver(sent);

    const answer = await list("?state=failed,unknown");
    expect(answer.status).toBe(200);
    const ids = answer.body.messages.map((message: { id: string }) => message.id);
    expect(ids).toContain(failed);
    expect(ids.indexOf(unknown)).toBeLessThan(ids.indexOf(failed));
    expect(ids).not.toContain(sent);
    expect(answer.body.messages.find((message: { id: string }) => message.id === failed)).toEqual({ id: failed, vendor: VENDOR, state: "failed", createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(answer.text).not.toContain(to);

    const onlyUnknown = (await list("?state=unknown")).body.messages.map((message: { id: string }) => message.id);
    expect(onlyUnknown).toContain(unknown);
    expect(onlyUnknown).not.toContain(failed);
  });

  it("never lists another caller's messages, even under a key of the same vendors", async () => {
    const mine = await failedMessage("caller:billing");
    const theirs = await failedMessage("caller:newsletter");
    const billing = await walk("state=failed", 100);
    expect(billing).toContain(mine);
    expect(billing).not.toContain(theirs);
    expect(await walk("state=failed", 100, CALLER_KEY_NEWSLETTER)).toEqual(expect.arrayContaining([theirs]));
    expect(await walk("state=failed", 100, CALLER_KEY_NEWSLETTER)).not.toContain(mine);
    // Another key id is another caller, whatever its vendors.
    expect(await walk("state=failed", 100, CALLER_KEY_BILLING_NEXT)).not.toContain(mine);
  });

  it("pages with an opaque cursor: every message once, in the same order as one page", async () => {
    for (let i = 0; i < 3; i++) await unknownMessage();
    const whole = await walk("state=unknown", 100);
    const paged = await walk("state=unknown", 1);
    expect(paged).toEqual(whole);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a state, limit or cursor it does not know, naming each", async () => {
    const answer = await list("?state=lost&limit=1000&cursor=not%20mine");
    expect(answer.status).toBe(422);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(["query.state", "query.limit", "query.cursor"]);
    expect((await list("?limit=0")).status).toBe(422);
    expect((await list(`?cursor=${encodeCursor({ createdAt: 1, id: "x" }).slice(0, -2)}!`)).status).toBe(422);
  });

  it("needs a caller key, refuses browsers, and answers not_configured without the index binding", async () => {
    expect((await fetchWorker("/v1/messages?state=failed")).status).toBe(401);
    expect((await fetchWorker("/v1/messages?state=failed", { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}`, origin: ORIGIN } })).status).toBe(403);
    expect((await fetchWorker("/v1/messages", { method: "POST", headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } })).status).toBe(405);
    const without = await fetchWithEnv({ MESSAGE_INDEX: undefined }, "/v1/messages?state=failed", { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
    expect(without.status).toBe(503);
    expect(without.body.kind).toBe("not_configured");
  });

  it("the cursor round-trips and nothing else decodes", () => {
    expect(decodeCursor(encodeCursor({ createdAt: 1_700_000_000_000, id: "5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90" }))).toEqual({ createdAt: 1_700_000_000_000, id: "5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90" });
    for (const bad of ["", "e30", btoa("[1.5,\"x\"]"), btoa("[1,2]"), "a".repeat(300)]) expect(decodeCursor(bad)).toBeUndefined();
  });

  it("lists the local sandbox key's messages on a loopback host", async () => {
    const id = await failedMessage("caller:local-sandbox");
    const answer = await fetchWorker(`${LOCAL}/v1/messages?state=failed`, { headers: { authorization: "Bearer txgate-local-sandbox" } });
    expect(answer.status).toBe(200);
    expect(answer.body.messages.map((message: { id: string }) => message.id)).toContain(id);
  });
});

describe("POST /v1/messages/{id}/retry", () => {
  it("sends a failed message again as a new attempt of the same message, once", async () => {
    const to = `retried-${crypto.randomUUID()}@example.com`;
    const id = await failedMessage("caller:billing", to);
    expect(await received(VENDOR)).toEqual([]);
    const requeued = watchRequeues();

    const answer = await retry(id);
    expect(answer.status).toBe(202);
    expect(answer.headers.get("location")).toBe(`/v1/messages/${id}`);
    expect(answer.body).toMatchObject({ id, state: "queued", attempts: 1 });
    expect(answer.body.history.at(-1)).toMatchObject({ state: "queued", note: expect.stringContaining("retried by its caller") });
    expect(requeued).toEqual([id]);
    // No longer listed as failed.
    expect((await walk("state=failed", 100))).not.toContain(id);

    await deliver(id);
    const after = await view(id);
    expect(after).toMatchObject({ state: "sent", attempts: 2 });
    expect(after.history.map((entry) => entry.state)).toEqual(["queued", "sending", "failed", "queued", "sending", "sent"]);
    expect((await received(VENDOR)).filter((message) => JSON.stringify(message).includes(to))).toHaveLength(1);

    // Sent now: not again.
    const again = await retry(id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ kind: "not_retryable", state: "sent", retryable: false });
  });

  it("where features meet: a retried message can be cancelled before it starts, and its send's Idempotency-Key still names it", async () => {
    const key = `retry-${crypto.randomUUID()}`;
    const sendAt = new Date(Date.now() + 48 * 3600_000).toISOString();
    const to = `pair-${crypto.randomUUID()}@example.com`;
    const send = () => fetchWorker(`/v1/send/${VENDOR}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}`, prefer: "respond-async", "idempotency-key": key, "send-at": sendAt },
      body: JSON.stringify(email(to)),
    });
    const first = await send();
    expect(first.status).toBe(202);
    const id = first.body.id as string;
    // Its time comes, and the vendor refuses it for now with no attempts left: failed, nothing sent.
    await runInDurableObject(stateOf(id), (_instance, state) => state.storage.sql.exec("UPDATE message SET not_before = 0, send_at = 0, alarm_enqueues = 0"));
    await forceFailure(429, 1, 30);
    await deliver(id, 1, { QUEUE_MAX_ATTEMPTS: "1" });
    expect((await view(id)).state).toBe("failed");

    watchRequeues();
    expect((await retry(id)).status).toBe(202);
    const replay = await send();
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(id);
    const cancelled = await fetchWorker(`/v1/messages/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe("cancelled");
    await deliver(id);
    expect((await view(id)).state).toBe("cancelled");
    expect(await received(VENDOR)).toEqual([]);
  });

  it("retries an unknown message only when the caller accepts the risk of a second delivery", async () => {
    const id = await unknownMessage();
    watchRequeues();
    const refused = await retry(id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body).toMatchObject({ kind: "not_retryable", state: "unknown", acceptDuplicateRisk: true });
    expect(refused.body.detail).toContain("acceptDuplicateRisk");
    expect((await retry(id, CALLER_KEY_BILLING, { acceptDuplicateRisk: false })).status).toBe(409);
    expect((await view(id)).state).toBe("unknown");

    const accepted = await retry(id, CALLER_KEY_BILLING, { acceptDuplicateRisk: true });
    expect(accepted.status).toBe(202);
    expect(accepted.body.history.at(-1).note).toContain("may arrive twice");
    await deliver(id);
    expect((await view(id)).state).toBe("sent");
  });

  it("answers another caller's message as one that does not exist, and changes nothing", async () => {
    const id = await failedMessage("caller:billing");
    watchRequeues();
    for (const key of [CALLER_KEY_NEWSLETTER, CALLER_KEY_BILLING_NEXT]) {
      const theirs = await retry(id, key, { acceptDuplicateRisk: true });
      expect(theirs.status).toBe(404);
      expect(theirs.body.kind).toBe("not_found");
    }
    expect((await retry(crypto.randomUUID())).body.kind).toBe("not_found");
    expect((await retry("not-an-id")).status).toBe(404);
    expect((await view(id)).state).toBe("failed");
    expect((await fetchWorker(`/v1/messages/${id}/retry`, { method: "POST" })).status).toBe(401);
  });

  it("refuses a message that may have reached some recipients (partial) or was cancelled", async () => {
    const partial = crypto.randomUUID();
    await stateOf(partial).accept({ id: partial, scope: "caller:billing", audience: "caller", vendor: "listmonk", body: { template_id: 2, subscriber_emails: ["ada@example.com", "fail+partial@example.com"] }, decode: true });
    await deliver(partial);
    expect((await view(partial)).state).toBe("partial");
    expect((await retry(partial, CALLER_KEY_BILLING, { acceptDuplicateRisk: true })).body).toMatchObject({ kind: "not_retryable", state: "partial" });

    const cancelled = await accepted();
    await stateOf(cancelled).cancel("caller:billing");
    expect((await retry(cancelled)).body).toMatchObject({ kind: "not_retryable", state: "cancelled" });
  });

  it("refuses a body that is not the flag", async () => {
    const id = await failedMessage();
    for (const body of [{ acceptDuplicateRisk: "yes" }, [true], null]) {
      const answer = await retry(id, CALLER_KEY_BILLING, body);
      expect(answer.status).toBe(422);
    }
    expect((await fetchWorker(`/v1/messages/${id}/retry`, { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } })).status).toBe(405);
    expect((await view(id)).state).toBe("failed");
  });
});

describe("the index", () => {
  it("drops a final message's row a day after its end, and any row 40 days after its acceptance", async () => {
    const index = bindings.MESSAGE_INDEX!.get(bindings.MESSAGE_INDEX!.idFromName(`caller:prune-${crypto.randomUUID()}`));
    const day = 24 * 3600_000;
    const now = Date.now();
    await index.record({ id: "sent-2d", vendor: VENDOR, state: "sent", createdAt: now - 2 * day, updatedAt: now - 2 * day });
    await index.record({ id: "failed-1h", vendor: VENDOR, state: "failed", createdAt: now - 3600_000, updatedAt: now - 3600_000 });
    await index.record({ id: "scheduled-30d", vendor: VENDOR, state: "scheduled", createdAt: now - 30 * day, updatedAt: now - 30 * day });
    await index.record({ id: "queued-41d", vendor: VENDOR, state: "queued", createdAt: now - 41 * day, updatedAt: now - 41 * day });
    const ids = async () => ((await index.list(["sent", "failed", "scheduled", "queued"], 10)) as unknown as { messages: { id: string }[] }).messages.map((message) => message.id).sort();
    expect(await ids()).toEqual(["failed-1h", "queued-41d", "scheduled-30d", "sent-2d"]);
    expect(await runDurableObjectAlarm(index)).toBe(true);
    expect(await ids()).toEqual(["failed-1h", "scheduled-30d"]);
    // Rows are left, so it wakes again.
    expect(await runInDurableObject(index, (_instance: MessageIndexObject, state) => state.storage.getAlarm())).not.toBeNull();
  });

  it("an older report never overwrites a newer one", async () => {
    const index = bindings.MESSAGE_INDEX!.get(bindings.MESSAGE_INDEX!.idFromName(`caller:order-${crypto.randomUUID()}`));
    await index.record({ id: "m", vendor: VENDOR, state: "failed", createdAt: 1000, updatedAt: 3000 });
    await index.record({ id: "m", vendor: VENDOR, state: "queued", createdAt: 1000, updatedAt: 2000 });
    expect(((await index.list(["failed", "queued"], 10)) as unknown as { messages: { state: string }[] }).messages.map((message) => message.state)).toEqual(["failed"]);
  });
});
