/**
 * The workerd leg of the runtime matrix (test/runtimes/ has Node, Bun and Deno): each vendor entry, imported
 * into workerd, sends to its double over real HTTP and gets the documented success.
 */
import { describe, expect, inject, it } from "vitest";
import { createActOnClient } from "../../src/acton/index.ts";
import { createEverlyticClient } from "../../src/everlytic/index.ts";
import { createExpertSenderClient } from "../../src/expertsender/index.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";

const doubles = inject("vendorDoubles");

describe("every vendor entry sends from workerd", () => {
  it("listmonk", async () => {
    const client = createListmonkClient({ baseUrl: doubles.listmonk.url, username: doubles.listmonk.username, token: doubles.listmonk.token });
    const outcome = await client.send({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200, data: { data: true } });
  });

  it("Act-On", async () => {
    const client = createActOnClient({ baseUrl: doubles.acton.url, accountId: doubles.acton.accountId, credentials: doubles.acton.credentials });
    const outcome = await client.send({
      templateId: "t-plain",
      envelope: { toAddress: "jane.doe@example.com" },
      metadata: { transactional: false, externalId: "order-1001" },
      actions: { trackOpens: false, trackClicks: false },
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
  });

  it("Everlytic", async () => {
    const client = createEverlyticClient({ baseUrl: doubles.everlytic.url, username: doubles.everlytic.username, apiKey: doubles.everlytic.apiKey });
    const outcome = await client.send({
      body: { html: "<p>Hello {{name}}</p>", personalisation_fields: { common_fields: { name: "Joe" } } },
      headers: { subject: "Hello", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
      attachments: { data: [{ filename: "note.txt", content: new TextEncoder().encode("from workerd") }] },
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
    expect(outcome.ok && outcome.data.transactions).toHaveLength(1);
  });

  it("ExpertSender", async () => {
    const client = createExpertSenderClient({ baseUrl: doubles.expertsender.url, apiKey: doubles.expertsender.apiKey });
    const outcome = await client.send({
      transactionalId: 123,
      ReturnGuid: true,
      Receiver: { Email: "patrick@example.com", hashEmail: "md5" },
      Snippets: [{ Name: "hello", Value: "<b>Hi</b>" }],
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 201 });
  });
});
