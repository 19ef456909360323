/**
 * `checkCredentials`: listmonk's `GET /api/profile` (v4+, signed in is enough) tells whether listmonk accepts the
 * credentials without sending a message: 200 accepted, 403 refused (listmonk never answers 401). The request is the
 * spec's operation, the fake answers as the spec documents, and no credential shows in the result.
 */
import { describe, expect, it } from "vitest";
import { createListmonkClient, type ListmonkOptions } from "../../src/listmonk/index.js";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.js";
import { operationErrors, recordingFetch } from "../support/spec-request.js";

const BASE_URL = "https://lists.example.com";
const setup = (options: Partial<ListmonkOptions> = {}) => {
  const fake = createListmonkFake();
  const wire = recordingFetch(fake.fetch);
  const client = createListmonkClient({ baseUrl: BASE_URL, ...LISTMONK_FAKE_CREDENTIALS, fetch: wire.fetch, ...options });
  return { fake, wire, client };
};

describe("GET /api/profile with the send's credentials", () => {
  it("is ok for the right credentials, one request as the spec describes it, and sends nothing", async () => {
    const { fake, wire, client } = setup();
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "ok", vendor: "listmonk", status: 200, requests: 1 });
    expect(wire.exchanges).toHaveLength(1);
    const { request, status } = wire.exchanges[0]!;
    expect(`${request.method} ${new URL(request.url).pathname}`).toBe("GET /api/profile");
    expect(operationErrors("listmonk", request, status)).toEqual([]);
    expect(request.headers.get("authorization")).toBe(`Basic ${btoa(`${LISTMONK_FAKE_CREDENTIALS.username}:${LISTMONK_FAKE_CREDENTIALS.token}`)}`);
    expect(fake.outbox).toEqual([]);
  });

  it("sends the token scheme when the client uses it", async () => {
    const { wire, client } = setup({ authScheme: "token" });
    expect((await client.checkCredentials()).kind).toBe("ok");
    expect(wire.exchanges[0]!.request.headers.get("authorization")).toBe(`token ${LISTMONK_FAKE_CREDENTIALS.username}:${LISTMONK_FAKE_CREDENTIALS.token}`);
  });

  it("is refused (403 invalid API credentials) for a wrong token, and the result never holds it", async () => {
    const token = "wrong-token-5f2a9c";
    const { wire, client } = setup({ token });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "refused", vendor: "listmonk", status: 403, vendorMessage: "invalid API credentials", requests: 1 });
    expect(operationErrors("listmonk", wire.exchanges[0]!.request, wire.exchanges[0]!.status)).toEqual([]);
    expect(JSON.stringify(check)).not.toContain(token);
    expect(JSON.stringify(check)).not.toContain(btoa(`${LISTMONK_FAKE_CREDENTIALS.username}:${token}`));
  });
});

describe("a check that gets no word on the credentials", () => {
  it("is unreachable after its timeout when listmonk does not answer, with one attempt", async () => {
    let calls = 0;
    const hanging = (request: Request) => {
      calls++;
      return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    };
    const client = createListmonkClient({ baseUrl: BASE_URL, ...LISTMONK_FAKE_CREDENTIALS, fetch: hanging, retry: { retries: 3 } });
    const check = await client.checkCredentials({ timeoutMs: 20 });
    expect(check).toMatchObject({ kind: "unreachable", vendor: "listmonk" });
    expect(calls).toBe(1);
  });

  it("is unreachable when the caller's signal aborts", async () => {
    const { client } = setup();
    const check = await client.checkCredentials({ signal: AbortSignal.abort() });
    expect(check.kind).toBe("unreachable");
  });

  it("is an error, not a refusal, for a 404 (listmonk older than v4) or a 500", async () => {
    for (const status of [404, 500]) {
      const client = createListmonkClient({ baseUrl: BASE_URL, ...LISTMONK_FAKE_CREDENTIALS, fetch: async () => Response.json({ message: "nope" }, { status }) });
      expect(await client.checkCredentials()).toMatchObject({ kind: "error", status });
    }
  });

  it("never rejects, even when fetch throws", async () => {
    const client = createListmonkClient({ baseUrl: BASE_URL, ...LISTMONK_FAKE_CREDENTIALS, fetch: () => Promise.reject(new TypeError("connection refused")) });
    expect(await client.checkCredentials()).toMatchObject({ kind: "unreachable", message: expect.stringContaining("connection refused") });
  });
});
