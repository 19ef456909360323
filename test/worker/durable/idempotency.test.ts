/**
 * `Idempotency-Key` on the trusted send route and on browser actions, kept in a Durable Object per caller scope:
 * a repeat replays the first answer and sends nothing; another request under the key is refused; a repeat while
 * the first is in flight gets 409 with Retry-After; an `unknown` outcome is never sent again under its key; an
 * outcome that proves nothing was sent frees it. Sends are counted in the sandbox outbox.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { requestFingerprint } from "../../../src/core/idempotency.ts";
import type { Env } from "../../../src/worker/env.ts";
import type { IdempotencyLedgerObject } from "../../../src/worker/delivery/idempotency-ledger.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER } from "../support/bindings.ts";
import { browserSend, callerSend, fetchWorker, LOCAL, signJwt } from "../support/harness.ts";

const bindings = env as unknown as Env;
const ledger = (scope: string) => bindings.IDEMPOTENCY!.get(bindings.IDEMPOTENCY!.idFromName(scope));
const message = (order: string) => ({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order } });
const key = () => `test-${crypto.randomUUID()}`;

async function sent(): Promise<any[]> {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages;
}
async function forceFailure(status: 429 | 500 | 503, retryAfter?: number) {
  expect((await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status, retryAfter, vendor: "listmonk" }) })).status).toBe(201);
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
  await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
});

describe("Idempotency-Key on POST /v1/send/{vendor}", () => {
  it("the same key and request replay the first answer and send nothing more", async () => {
    const k = key();
    const first = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    const again = await callerSend("listmonk", { data: { order: "1" }, subscriber_emails: ["ada@example.com"], template_id: 2 }, CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await sent()).toHaveLength(1);
  });

  it("the same key with a different request is refused, saying why", async () => {
    const k = key();
    await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    const other = await callerSend("listmonk", message("2"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
    expect(other.body).toMatchObject({ type: "urn:txgate:problem:idempotency_key_reused", kind: "idempotency_key_reused", delivery: "not_sent", retryable: false });
    expect(other.body.detail).toMatch(/different request/);
    expect(await sent()).toHaveLength(1);
  });

  it("the same key while the first request is in flight gets 409 with Retry-After, and nothing is sent", async () => {
    const k = key();
    const body = message("1");
    // The first request has claimed the key and not yet been answered (its claim is in the ledger, in flight).
    const fingerprint = await requestFingerprint({ mode: "now", vendor: "listmonk", request: body });
    expect((await ledger("caller:billing").claim(k, fingerprint)).state).toBe("claimed");
    const during = await callerSend("listmonk", body, CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(during.status).toBe(409);
    expect(during.headers.get("retry-after")).toBe("1");
    expect(during.body).toMatchObject({ kind: "idempotency_in_flight", retryable: true, delivery: "not_sent" });
    expect(await sent()).toHaveLength(0);
  });

  it("a send whose outcome was unknown is never repeated under its key", async () => {
    const k = key();
    await forceFailure(500);
    const first = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(first.status).toBe(502);
    expect(first.body).toMatchObject({ kind: "server_error", delivery: "unknown" });
    const again = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(again.status).toBe(502);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    // The sandbox would have accepted a second send: none reached it.
    expect(await sent()).toHaveLength(0);
  });

  it("an outcome that proves nothing was sent frees the key: the same request is tried again", async () => {
    const k = key();
    // Longer than the library waits itself, so the 429 comes back to the caller.
    await forceFailure(429, 60);
    const first = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(first.status).toBe(429);
    expect(first.body).toMatchObject({ kind: "rate_limited", delivery: "not_sent" });
    const again = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(again.status).toBe(200);
    expect(await sent()).toHaveLength(1);
  });

  it("keys belong to one caller: another caller's same key is its own", async () => {
    const k = key();
    expect((await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k })).status).toBe(200);
    const other = await callerSend("listmonk", message("1"), CALLER_KEY_NEWSLETTER, { "idempotency-key": k });
    expect(other.status).toBe(200);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await sent()).toHaveLength(2);
  });

  it.each([["short"], ["has spaces in it"], ["x".repeat(256)], ["semi;colon;key"], ['"quoted, with comma"']])("refuses the malformed key %j before sending", async (bad) => {
    const answer = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": bad });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: "validation", issues: [{ path: "headers.idempotency-key", rule: "idempotency_key" }] });
    expect(await sent()).toHaveLength(0);
  });

  it("accepts the structured-field form of a key (a quoted string) as the same key", async () => {
    const k = key();
    await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": `"${k}"` });
    const again = await callerSend("listmonk", message("1"), CALLER_KEY_BILLING, { "idempotency-key": k });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await sent()).toHaveLength(1);
  });
});

describe("Idempotency-Key on browser actions", () => {
  it("a signed-in user's repeated action replays the first answer; another user's is their own", async () => {
    const k = key();
    const sub = `user-${crypto.randomUUID()}`;
    const action = { action: "order-shipped", variables: { orderNumber: "A-1" } };
    const first = await browserSend(action, { jwt: await signJwt({ sub }), headers: { "idempotency-key": k } });
    const again = await browserSend(action, { jwt: await signJwt({ sub }), headers: { "idempotency-key": k } });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await sent()).toHaveLength(1);
    const changed = await browserSend({ ...action, variables: { orderNumber: "A-2" } }, { jwt: await signJwt({ sub }), headers: { "idempotency-key": k } });
    expect(changed.status).toBe(422);
    expect(changed.body.kind).toBe("idempotency_key_reused");
    const someoneElse = await browserSend(action, { jwt: await signJwt(), headers: { "idempotency-key": k } });
    expect(someoneElse.headers.get("idempotent-replayed")).toBeNull();
    expect(await sent()).toHaveLength(2);
  });
});

describe("the ledger keeps keys 24 hours", () => {
  it("its alarm deletes keys older than 24 hours and wakes again for the next", async () => {
    const stub = ledger(`caller:alarm-${crypto.randomUUID()}`);
    await stub.claim("fresh-key-1", "f");
    const day = 24 * 60 * 60 * 1000;
    await runInDurableObject(stub, (_instance: IdempotencyLedgerObject, state) => {
      state.storage.sql.exec("INSERT INTO keys (key, fingerprint, state, claimed_at, answer) VALUES ('old-key-1', 'f', 'done', ?, NULL)", Date.now() - day - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const keys = await runInDurableObject(stub, async (_instance: IdempotencyLedgerObject, state) => ({
      rows: state.storage.sql.exec<{ key: string }>("SELECT key FROM keys ORDER BY key").toArray().map((row) => row.key),
      alarm: await state.storage.getAlarm(),
    }));
    expect(keys.rows).toEqual(["fresh-key-1"]);
    expect(keys.alarm).toBeGreaterThan(Date.now() + day - 60_000);
  });

  it("an expired key is free again", async () => {
    const stub = ledger(`caller:expiry-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_instance: IdempotencyLedgerObject, state) => {
      state.storage.sql.exec("INSERT INTO keys (key, fingerprint, state, claimed_at, answer) VALUES ('old-key-1', 'f', 'done', ?, NULL)", Date.now() - 24 * 60 * 60 * 1000);
    });
    expect((await stub.claim("old-key-1", "other")).state).toBe("claimed");
  });
});
