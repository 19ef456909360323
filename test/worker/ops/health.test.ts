/**
 * `GET /v1/health`: for an operator's key only (OPERATOR_KEYS; locally the local key), each vendor's mode, its
 * last success and last failure kind, Act-On's logins this hour from its account object, the queue's backlog and
 * dead-letter count; never a secret, a setting's value or a token.
 */
import { describe, expect, it } from "vitest";
import { ACTON_BASE_URL } from "../../../src/acton/options.ts";
import { actOnTokenKey } from "../../../src/acton/tokens.ts";
import { DEPLOYMENT_INDEX } from "../../../src/worker/delivery/message-index.ts";
import { accountObjectName } from "../../../src/worker/durable/account.ts";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS, OPERATOR_KEY, ORIGIN, TEST_SECRETS } from "../support/bindings.ts";
import { bindings, deliver, stateOf } from "../support/delivery.ts";
import { callerSend, fetchWithEnv, fetchWorker, LOCAL } from "../support/harness.ts";

const asOperator = (key = OPERATOR_KEY) => ({ headers: { authorization: `Bearer ${key}` } });
const health = async () => {
  const answer = await fetchWorker("/v1/health", asOperator());
  expect(answer.status).toBe(200);
  return answer.body;
};
const HOUR = 3600_000;
const email = (to = "ops@example.com") => ({ body: { html: "<p>Hi</p>" }, headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: to }] } });

describe("who may read it", () => {
  it("an operator key reads it; a caller key, no key or a page do not", async () => {
    expect((await fetchWorker("/v1/health", asOperator())).status).toBe(200);
    const caller = await fetchWorker("/v1/health", asOperator(CALLER_KEY_BILLING));
    expect(caller.status).toBe(401);
    expect((await fetchWorker("/v1/health")).status).toBe(401);
    expect((await fetchWorker("/v1/health", { headers: { ...asOperator().headers, origin: ORIGIN } })).status).toBe(403);
    expect((await fetchWorker("/v1/health", { ...asOperator(), method: "POST" })).status).toBe(405);
  });

  it("an operator key cannot send", async () => {
    const send = await callerSend("listmonk", { template_id: 2, subscriber_emails: ["ada@example.com"] }, OPERATOR_KEY);
    expect(send.status).toBe(401);
  });

  it("without OPERATOR_KEYS it is not configured, and says what to set; locally the local key serves", async () => {
    const none = await fetchWithEnv({ OPERATOR_KEYS: undefined }, "/v1/health", asOperator());
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({ kind: "not_configured" });
    expect(none.body.detail).toContain("OPERATOR_KEYS");
    expect((await fetchWorker(`${LOCAL}/v1/health`, asOperator("txgate-local-sandbox"))).status).toBe(200);
    expect((await fetchWorker("/v1/health", asOperator("txgate-local-sandbox"))).status).toBe(401);
  });

  it("a malformed OPERATOR_KEYS refuses every request, like a malformed CALLER_KEYS", async () => {
    for (const bad of ["nope", JSON.stringify([{ id: "x", key: "short" }]), JSON.stringify([{ id: "x", key: OPERATOR_KEY, vendors: ["listmonk"] }])]) {
      const answer = await fetchWithEnv({ OPERATOR_KEYS: bad }, "/v1/health", asOperator());
      expect(answer.status).toBe(500);
      expect(answer.body.kind).toBe("misconfigured");
    }
  });
});

describe("what it shows", () => {
  it("in sandbox mode: every vendor configured on the sandbox, and the queue's counts", async () => {
    const body = await health();
    expect(body.mode).toBe("sandbox");
    for (const vendor of ["listmonk", "acton", "everlytic", "expertsender"]) expect(body.vendors[vendor]).toMatchObject({ configured: true, mode: "sandbox" });
    expect(body.vendors.acton.usage).toEqual({ loginsThisHour: expect.any(Number), loginsPerHour: 5 });
    expect(body.queue).toEqual({ configured: true, backlog: expect.any(Number), deadLettered: expect.any(Number) });
  });

  it("in live mode: the configured vendors live, the others off, and never a secret or a setting's value", async () => {
    const { ACTON_ACCOUNT_ID, EVERLYTIC_USERNAME, EVERLYTIC_API_KEY, ...rest } = LIVE_VENDOR_SECRETS;
    const answer = await fetchWithEnv({ ...rest, ACTON_ACCOUNT_ID, SANDBOX: "false" }, "/v1/health", asOperator());
    expect(answer.status).toBe(200);
    expect(answer.body.mode).toBe("live");
    expect(answer.body.vendors.listmonk).toMatchObject({ configured: true, mode: "live" });
    expect(answer.body.vendors.everlytic).toMatchObject({ configured: false, mode: "off" });
    expect(answer.body.vendors.everlytic.usage).toBeUndefined();
    for (const value of [...TEST_SECRETS, ...Object.values(LIVE_VENDOR_SECRETS), EVERLYTIC_USERNAME, EVERLYTIC_API_KEY]) expect(answer.text).not.toContain(value);
  });

  it("Act-On's logins of the last hour come from its account object, without a token", async () => {
    const { ACTON_ACCOUNT_ID, ACTON_USERNAME, ACTON_CLIENT_ID } = LIVE_VENDOR_SECRETS;
    const accountId = `${ACTON_ACCOUNT_ID}${Date.now() % 1000}`;
    const account = bindings.VENDOR_ACCOUNTS.get(bindings.VENDOR_ACCOUNTS.idFromName(accountObjectName("acton", `${accountId} ${ACTON_BASE_URL}`)));
    const accessToken = `at-${crypto.randomUUID()}`;
    const now = Date.now();
    await account.keepTokenRecord(actOnTokenKey(ACTON_BASE_URL, { clientId: ACTON_CLIENT_ID, username: ACTON_USERNAME }), {
      tokens: { accessToken, refreshToken: `rt-${crypto.randomUUID()}`, expiresAt: now + HOUR },
      passwordGrantsAt: [now - 2 * HOUR, now - 30 * 60_000, now - 60_000],
    });
    const answer = await fetchWithEnv({ ...LIVE_VENDOR_SECRETS, ACTON_ACCOUNT_ID: accountId, SANDBOX: "false" }, "/v1/health", asOperator());
    expect(answer.body.vendors.acton).toMatchObject({ configured: true, mode: "live", usage: { loginsThisHour: 2, loginsPerHour: 5 } });
    expect(answer.text).not.toContain(accessToken);
    expect(answer.text).not.toContain("rt-");
  });

  it("notes each vendor's last success and last failure kind, from synchronous sends and queued attempts", async () => {
    const sent = await fetchWorker(`${LOCAL}/v1/send/expertsender`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" },
      body: JSON.stringify({ transactionalId: 123, Receiver: { Email: "health@example.com" } }),
    });
    expect(sent.status).toBe(200);
    expect((await health()).vendors.expertsender.lastSuccessAt).toEqual(expect.any(String));

    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: email(), decode: true });
    await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status: 429, count: 1, retryAfter: 30, vendor: "everlytic" }) });
    await deliver(id);
    await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
    const body = await health();
    expect(body.vendors.everlytic.lastFailure).toEqual({ at: expect.any(String), kind: "rate_limited" });
    expect(JSON.stringify(body)).not.toContain("health@example.com");
  });

  it("counts the backlog (scheduled, queued, sending) and the dead-lettered (failed, partial) from the deployment's index", async () => {
    const index = bindings.MESSAGE_INDEX!.get(bindings.MESSAGE_INDEX!.idFromName(DEPLOYMENT_INDEX));
    const before = await index.counts();
    const waiting = crypto.randomUUID();
    await stateOf(waiting).accept({ id: waiting, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: email(), decode: true, sendAt: Date.now() + 48 * HOUR });
    expect((await health()).queue).toMatchObject({ backlog: before.backlog + 1, deadLettered: before.deadLettered });

    const partial = crypto.randomUUID();
    await stateOf(partial).accept({ id: partial, scope: "caller:billing", audience: "caller", vendor: "listmonk", body: { template_id: 2, subscriber_emails: ["ada@example.com", "fail+partial@example.com"] }, decode: true });
    await deliver(partial);
    await stateOf(waiting).cancel("caller:billing");
    expect((await health()).queue).toMatchObject({ backlog: before.backlog, deadLettered: before.deadLettered + 1 });
  });
});
