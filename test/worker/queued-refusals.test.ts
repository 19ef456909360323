/**
 * `Prefer: respond-async` accepts only what could be sent: a queued send passes every check a synchronous one
 * does before it is accepted (the vendor configured, the vendor's rules), and what the synchronous route refuses,
 * the queued route refuses with the same status and the same body, instead of answering 202 and failing later.
 */
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { browserHeaders, fetchWithEnv, signJwt, type Answer } from "./support/harness.ts";

type Overrides = { readonly [K in keyof Env]?: Env[K] | undefined };

const LISTMONK_ONLY = { LISTMONK_URL: LIVE_VENDOR_SECRETS.LISTMONK_URL, LISTMONK_USERNAME: "txgate", LISTMONK_TOKEN: LIVE_VENDOR_SECRETS.LISTMONK_TOKEN };
const EVERLYTIC_ONLY = { EVERLYTIC_USERNAME: "shop", EVERLYTIC_API_KEY: LIVE_VENDOR_SECRETS.EVERLYTIC_API_KEY };
const everlyticMessage = { headers: { to: [{ email: "a@example.com" }] }, options: { template_id: "t" } };
const listmonkMessage = { template_id: 2, subscriber_emails: ["ada@example.com"] };

function callerSend(settings: Overrides, vendor: string, message: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchWithEnv(settings, `/v1/send/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}`, ...headers },
    body: JSON.stringify(message),
  });
}

async function browserSend(settings: Overrides, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchWithEnv(settings, "/v1/actions", { method: "POST", headers: browserHeaders({ jwt: await signJwt(), headers }), body: JSON.stringify(body) });
}

/** The same request sent now and queued: both refused, with one status and one body, and nothing queued. */
async function expectRefusedAlike(send: (headers: Record<string, string>) => Promise<Answer>, status: number, kind: string): Promise<Answer> {
  const now = await send({});
  const queued = await send({ prefer: "respond-async" });
  expect(now.status).toBe(status);
  expect(now.body).toMatchObject({ kind, delivery: "not_sent" });
  expect(queued.status).toBe(now.status);
  expect(queued.body).toEqual(now.body);
  expect(queued.headers.get("location")).toBeNull();
  expect(queued.headers.get("preference-applied")).toBeNull();
  return queued;
}

describe("a queued trusted send is refused as the synchronous one is", () => {
  it("through a vendor this live worker has no credentials for: 503 not_configured, not 202", async () => {
    const answer = await expectRefusedAlike((headers) => callerSend(LISTMONK_ONLY, "everlytic", everlyticMessage, headers), 503, "not_configured");
    expect(answer.body.detail).toContain("everlytic");
  });

  it("on a worker with no vendor credentials and no SANDBOX=true", async () => {
    await expectRefusedAlike((headers) => callerSend({ SANDBOX: undefined }, "listmonk", listmonkMessage, headers), 503, "not_configured");
  });

  it("a message that breaks the vendor's rules: 422 validation naming the same fields", async () => {
    const answer = await expectRefusedAlike((headers) => callerSend({}, "listmonk", { subscriber_emails: ["not an address"] }, headers), 422, "validation");
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(["template_id", "subscriber_emails.0"]));
  });

  it("an Act-On message that breaks its rules", async () => {
    const answer = await expectRefusedAlike((headers) => callerSend({}, "acton", { templateId: "t-0099", envelope: { toAddress: "nobody" } }, headers), 422, "validation");
    expect(answer.body.vendor).toBe("acton");
  });

  it("a header injection in a trusted message", async () => {
    await expectRefusedAlike((headers) => callerSend({}, "listmonk", { ...listmonkMessage, subject: "Hi\r\nBcc: victim@example.com" }, headers), 422, "validation");
  });

  it("a refused queued send holds no Idempotency-Key: the corrected message under the same key is queued", async () => {
    const key = { "idempotency-key": `fix-${crypto.randomUUID()}`, prefer: "respond-async" };
    const refused = await callerSend({}, "listmonk", { subscriber_emails: ["ada@example.com"] }, key);
    expect(refused.status).toBe(422);
    const accepted = await callerSend({}, "listmonk", listmonkMessage, key);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ kind: "queued" });
  });

  it("a valid queued message is still accepted", async () => {
    const accepted = await callerSend({}, "listmonk", listmonkMessage, { prefer: "respond-async" });
    expect(accepted.status).toBe(202);
  });
});

describe("a queued browser action is refused as the synchronous one is", () => {
  it("when no vendor of its template has credentials on this live worker", async () => {
    const answer = await expectRefusedAlike((headers) => browserSend(EVERLYTIC_ONLY, { action: "order-shipped", variables: { orderNumber: "A-1" } }, headers), 503, "not_configured");
    expect(answer.headers.get("access-control-allow-origin")).not.toBeNull();
  });

  it("on a worker with no vendor credentials and no SANDBOX=true", async () => {
    await expectRefusedAlike((headers) => browserSend({ SANDBOX: undefined }, { action: "order-shipped", variables: { orderNumber: "A-1" } }, headers), 503, "not_configured");
  });
});
