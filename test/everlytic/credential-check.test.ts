/**
 * `checkCredentials`: Everlytic's `GET /transactional/email/v1/webhooks` (lists the account's webhooks, with the
 * send's Basic credentials, changing nothing) tells whether Everlytic accepts them without sending an email: 200
 * accepted, 401 "Login Required" refused. The request is the spec's operation; no credential shows in the result.
 */
import { describe, expect, it } from "vitest";
import { createEverlyticClient, type EverlyticOptions } from "../../src/everlytic/index.js";
import { createEverlyticFake, EVERLYTIC_FAKE_CREDENTIALS } from "../../src/testing/index.js";
import { operationErrors, recordingFetch } from "../support/spec-request.js";

const setup = (options: Partial<EverlyticOptions> = {}) => {
  const fake = createEverlyticFake();
  const wire = recordingFetch(fake.fetch);
  const client = createEverlyticClient({ ...EVERLYTIC_FAKE_CREDENTIALS, fetch: wire.fetch, ...options });
  return { fake, wire, client };
};

describe("GET /transactional/email/v1/webhooks with the send's credentials", () => {
  it("is ok for the right credentials: one GET to Everlytic's host, as the spec describes it, and no email", async () => {
    const { fake, wire, client } = setup();
    expect(await client.checkCredentials()).toMatchObject({ kind: "ok", vendor: "everlytic", status: 200, requests: 1 });
    expect(wire.exchanges).toHaveLength(1);
    const { request, status } = wire.exchanges[0]!;
    expect(`${request.method} ${request.url}`).toBe("GET https://api.everlytic.net/transactional/email/v1/webhooks");
    expect(operationErrors("everlytic", request, status)).toEqual([]);
    expect(fake.outbox).toEqual([]);
  });

  it("is refused (401 Login Required) for a wrong API key, and the result never holds it", async () => {
    const apiKey = "wrong-everlytic-key-8d1e";
    const { wire, client } = setup({ apiKey });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "refused", vendor: "everlytic", status: 401, vendorMessage: "Login Required", requests: 1 });
    expect(operationErrors("everlytic", wire.exchanges[0]!.request, wire.exchanges[0]!.status)).toEqual([]);
    expect(JSON.stringify(check)).not.toContain(apiKey);
    expect(JSON.stringify(check)).not.toContain(btoa(`${EVERLYTIC_FAKE_CREDENTIALS.username}:${apiKey}`));
  });

  it("is unreachable when Everlytic does not answer within the check's timeout, after one attempt", async () => {
    let calls = 0;
    const hanging = (request: Request) => {
      calls++;
      return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    };
    const client = createEverlyticClient({ ...EVERLYTIC_FAKE_CREDENTIALS, fetch: hanging, retry: { retries: 3 } });
    expect(await client.checkCredentials({ timeoutMs: 20 })).toMatchObject({ kind: "unreachable", vendor: "everlytic", message: expect.stringContaining("20 ms") });
    expect(calls).toBe(1);
  });

  it("is an error, not a refusal, for a 503", async () => {
    const client = createEverlyticClient({ ...EVERLYTIC_FAKE_CREDENTIALS, fetch: async () => new Response("Service Unavailable", { status: 503 }) });
    expect(await client.checkCredentials()).toMatchObject({ kind: "error", status: 503 });
  });
});
