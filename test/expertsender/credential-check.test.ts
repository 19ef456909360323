/**
 * `checkCredentials`: ExpertSender's "Get server time", `GET /v2/Api/Time?apiKey=…`, tells whether ExpertSender
 * accepts the API key without sending a message: 200 accepted, 403 refused. The key travels in the URL, so it goes
 * on after every middleware, and neither a hook, the result nor an error quoting the URL ever shows it.
 */
import { describe, expect, it } from "vitest";
import { createExpertSenderClient, type ExpertSenderOptions } from "../../src/expertsender/index.js";
import { createExpertSenderFake, EXPERTSENDER_FAKE_API_KEY } from "../../src/testing/index.js";
import { operationErrors, recordingFetch } from "../support/spec-request.js";

const BASE_URL = "https://api3.esv2.com";
const setup = (options: Partial<ExpertSenderOptions> = {}) => {
  const fake = createExpertSenderFake();
  const wire = recordingFetch(fake.fetch);
  const client = createExpertSenderClient({ baseUrl: BASE_URL, apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: wire.fetch, ...options });
  return { fake, wire, client };
};

describe("GET /v2/Api/Time with the send's API key", () => {
  it("is ok for the right key: one GET with the key as the apiKey parameter, as the spec describes it", async () => {
    const { fake, wire, client } = setup();
    expect(await client.checkCredentials()).toMatchObject({ kind: "ok", vendor: "expertsender", status: 200, requests: 1 });
    const { request, status } = wire.exchanges[0]!;
    expect(request.method).toBe("GET");
    expect(request.url).toBe(`${BASE_URL}/v2/Api/Time?apiKey=${EXPERTSENDER_FAKE_API_KEY}`);
    expect(operationErrors("expertsender", request, status)).toEqual([]);
    expect(fake.outbox).toEqual([]);
  });

  it("is refused (403 Invalid API key.) for a wrong key, and the result never holds it", async () => {
    const apiKey = "wrong-expertsender-key+/=&1";
    const { wire, client } = setup({ apiKey });
    const check = await client.checkCredentials();
    expect(check).toMatchObject({ kind: "refused", vendor: "expertsender", status: 403, vendorMessage: "Invalid API key.", requests: 1 });
    expect(new URL(wire.exchanges[0]!.request.url).searchParams.get("apiKey")).toBe(apiKey);
    expect(operationErrors("expertsender", wire.exchanges[0]!.request, wire.exchanges[0]!.status)).toEqual([]);
    for (const form of [apiKey, encodeURIComponent(apiKey), new URLSearchParams({ k: apiKey }).toString().slice(2)]) expect(JSON.stringify(check)).not.toContain(form);
  });

  it("puts the key on after middleware: a hook sees only the placeholder", async () => {
    const seen: string[] = [];
    const { client } = setup({ middleware: [{ onRequest: ({ request }) => void seen.push(request.url) }] });
    expect((await client.checkCredentials()).kind).toBe("ok");
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain(EXPERTSENDER_FAKE_API_KEY);
    expect(new URL(seen[0]!).searchParams.get("apiKey")).toBe("[redacted]");
  });

  it("never shows the key when the failure quotes the URL it was sent to", async () => {
    const client = createExpertSenderClient({
      baseUrl: BASE_URL,
      apiKey: EXPERTSENDER_FAKE_API_KEY,
      fetch: async (request) => {
        throw new TypeError(`fetch failed for ${request.url}`);
      },
    });
    const check = await client.checkCredentials();
    expect(check.kind).toBe("unreachable");
    expect(check.message).toContain("/v2/Api/Time");
    expect(JSON.stringify(check)).not.toContain(EXPERTSENDER_FAKE_API_KEY);
  });

  it("is unreachable when ExpertSender does not answer within the check's timeout", async () => {
    const hanging = (request: Request) => new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const client = createExpertSenderClient({ baseUrl: BASE_URL, apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: hanging });
    expect(await client.checkCredentials({ timeoutMs: 20 })).toMatchObject({ kind: "unreachable", vendor: "expertsender" });
  });
});
