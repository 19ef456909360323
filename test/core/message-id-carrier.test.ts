/**
 * `CallOptions.messageId`: each vendor carries our id in the field its capability table names (`messageIdCarrier`),
 * and a vendor whose carrier is `"none"` sends exactly what it would have sent without it.
 */
import { describe, expect, it } from "vitest";
import { createActOnClient } from "../../src/acton/index.ts";
import { createEverlyticClient, EVERLYTIC_MESSAGE_ID_HEADER } from "../../src/everlytic/index.ts";
import { createExpertSenderClient } from "../../src/expertsender/index.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import { VENDORS } from "../../src/vendors/registry.ts";
import { ACTON_FAKE_ACCOUNT, createActOnFake } from "../../src/testing/acton.ts";
import { createEverlyticFake, EVERLYTIC_FAKE_CREDENTIALS } from "../../src/testing/everlytic.ts";
import { createExpertSenderFake, EXPERTSENDER_FAKE_API_KEY } from "../../src/testing/expertsender.ts";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/listmonk.ts";

const ID = "0b6f3c1e-2a4d-4e8f-9b7a-5c3d1e2f4a6b";

/** A fake's fetch that also keeps every body sent to it (Act-On's token calls aside). */
function capturing(fetch: (request: Request) => Promise<Response>) {
  const bodies: string[] = [];
  return {
    bodies,
    fetch: async (request: Request) => {
      if (!new URL(request.url).pathname.endsWith("/token")) bodies.push(await request.clone().text());
      return fetch(request);
    },
  };
}

describe("Everlytic carries the id in the custom header its legacy webhooks echo", () => {
  const message = { body: { html: "<p>Shipped</p>" }, headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] } };

  it("adds X-Txgate-Message-Id to headers.custom_headers, and the vendor accepts it", async () => {
    const fake = createEverlyticFake();
    const wire = capturing(fake.fetch);
    const outcome = await createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: wire.fetch }).send(message, { messageId: ID });
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(wire.bodies[0]!).headers.custom_headers).toEqual({ [EVERLYTIC_MESSAGE_ID_HEADER]: ID });
    expect(fake.delivered[0]!.customHeaders).toEqual({ [EVERLYTIC_MESSAGE_ID_HEADER]: ID });
    expect(VENDORS.everlytic.capabilities.messageIdCarrier).toMatchObject({ field: `headers.custom_headers.${EVERLYTIC_MESSAGE_ID_HEADER}` });
  });

  it("keeps the caller's other custom headers and replaces a carrier header the caller set", async () => {
    const fake = createEverlyticFake();
    const wire = capturing(fake.fetch);
    const own = { ...message, headers: { ...message.headers, custom_headers: { "X-Order": "1001", "X-TXGATE-MESSAGE-ID": "forged" } } };
    await createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: wire.fetch }).send(own, { messageId: ID });
    expect(JSON.parse(wire.bodies[0]!).headers.custom_headers).toEqual({ "X-Order": "1001", [EVERLYTIC_MESSAGE_ID_HEADER]: ID });
  });

  it("sendMessage carries it too", async () => {
    const fake = createEverlyticFake();
    const wire = capturing(fake.fetch);
    const client = createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: wire.fetch });
    await client.sendMessage({ template: "order-shipped", to: "joe@example.com", from: "shop@example.com", subject: "Shipped" }, { messageId: ID });
    expect(JSON.parse(wire.bodies[0]!).headers.custom_headers).toEqual({ [EVERLYTIC_MESSAGE_ID_HEADER]: ID });
  });

  it("refuses an id that no header could carry as it is, and sends nothing", async () => {
    const fake = createEverlyticFake();
    const wire = capturing(fake.fetch);
    const outcome = await createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: wire.fetch }).send(message, { messageId: "two\r\nlines" });
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent", issues: [{ path: "(call).messageId", rule: "message_id" }] });
    expect(wire.bodies).toEqual([]);
  });
});

describe("vendors whose carrier is none send the message unchanged", () => {
  const cases = [
    {
      vendor: "listmonk" as const,
      send: async (fetch: (request: Request) => Promise<Response>, messageId?: string) =>
        createListmonkClient({ baseUrl: "https://lists.example", ...LISTMONK_FAKE_CREDENTIALS, fetch }).send({ subscriber_emails: ["ada@example.com"], template_id: 1 }, messageId ? { messageId } : undefined),
      fake: () => createListmonkFake().fetch,
    },
    {
      vendor: "acton" as const,
      send: async (fetch: (request: Request) => Promise<Response>, messageId?: string) =>
        createActOnClient({ baseUrl: "https://acton.example", ...ACTON_FAKE_ACCOUNT, fetch }).send(
          { templateId: "t-1", envelope: { toAddress: "ada@example.com" }, metadata: { transactional: true, externalId: "order-1" }, actions: { trackOpens: false, trackClicks: false } },
          messageId ? { messageId } : undefined,
        ),
      fake: () => createActOnFake().fetch,
    },
    {
      vendor: "expertsender" as const,
      send: async (fetch: (request: Request) => Promise<Response>, messageId?: string) =>
        createExpertSenderClient({ baseUrl: "https://api3.esv2.com", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch }).send({ transactionalId: 1, Receiver: { Email: "ada@example.com" } }, messageId ? { messageId } : undefined),
      fake: () => createExpertSenderFake().fetch,
    },
  ];
  for (const { vendor, send, fake } of cases) {
    it(`${vendor}: the same request with and without messageId`, async () => {
      expect(VENDORS[vendor].capabilities.messageIdCarrier).toBe("none");
      const plain = capturing(fake());
      const carried = capturing(fake());
      await send(plain.fetch);
      await send(carried.fetch, ID);
      expect(carried.bodies.length).toBeGreaterThan(0);
      // Act-On may resend after a token refresh: what matters is that every body sent is one sent without the id.
      expect(new Set(carried.bodies)).toEqual(new Set(plain.bodies));
      expect(carried.bodies.join("")).not.toContain(ID);
    });
  }
});
