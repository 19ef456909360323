/**
 * The workerd leg of the runtime matrix against the files npm publishes (dist/, the bundles `npm run build`
 * writes), as runtime-smoke.test.ts is against the source: each vendor entry sends to its double over real HTTP,
 * and ExpertSender's send loads its lazy chunks (the XML writer, the XML reader for `ReturnGuid`, MD5) in workerd.
 */
import { describe, expect, inject, it } from "vitest";
import { createActOnClient } from "../../dist/src/acton/index.js";
import { createEverlyticClient } from "../../dist/src/everlytic/index.js";
import { createExpertSenderClient } from "../../dist/src/expertsender/index.js";
import { createListmonkClient } from "../../dist/src/listmonk/index.js";

const doubles = inject("vendorDoubles");

describe("every published vendor entry sends from workerd", () => {
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
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
  });

  it("ExpertSender, with the XML and MD5 chunks", async () => {
    const client = createExpertSenderClient({ baseUrl: doubles.expertsender.url, apiKey: doubles.expertsender.apiKey });
    const outcome = await client.send({
      transactionalId: 123,
      ReturnGuid: true,
      Receiver: { Email: "patrick@example.com", hashEmail: "md5" },
      Snippets: [{ Name: "hello", Value: "<b>Hi</b>" }],
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 201 });
    // The GUID comes out of the answer's XML: the reader chunk loaded and ran.
    expect(outcome.ok && outcome.data.guid).toMatch(/^[0-9a-f-]{36}$/);
  });
});
