/**
 * The workerd leg of the runtime matrix, written once and run twice: against the source (runtime-smoke.test.ts)
 * and against the files npm publishes (runtime-smoke-published.test.ts). Each vendor entry sends to its double
 * over real HTTP and gets the documented success; ExpertSender's send loads its lazy chunks (the XML writer, the
 * XML reader for `ReturnGuid`, MD5).
 */
import { describe, expect, inject, it } from "vitest";
import type { createActOnClient } from "../../../src/acton/index.ts";
import type { createEverlyticClient } from "../../../src/everlytic/index.ts";
import type { createExpertSenderClient } from "../../../src/expertsender/index.ts";
import type { createListmonkClient } from "../../../src/listmonk/index.ts";

/** The four vendor entries' factories, imported from wherever the caller's build puts them. */
export interface VendorEntries {
  readonly createListmonkClient: typeof createListmonkClient;
  readonly createActOnClient: typeof createActOnClient;
  readonly createEverlyticClient: typeof createEverlyticClient;
  readonly createExpertSenderClient: typeof createExpertSenderClient;
}

export function describeVendorSmoke(title: string, entries: VendorEntries): void {
  const doubles = inject("vendorDoubles");

  describe(title, () => {
    it("listmonk", async () => {
      const { listmonk } = doubles;
      const client = entries.createListmonkClient({ baseUrl: listmonk.url, username: listmonk.username, token: listmonk.token });
      const outcome = await client.send({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } });
      expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200, data: { data: true } });
    });

    it("Act-On", async () => {
      const { acton } = doubles;
      const client = entries.createActOnClient({ baseUrl: acton.url, accountId: acton.accountId, credentials: acton.credentials });
      const outcome = await client.send({
        templateId: "t-plain",
        envelope: { toAddress: "jane.doe@example.com" },
        metadata: { transactional: false, externalId: "order-1001" },
        actions: { trackOpens: false, trackClicks: false },
      });
      expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
    });

    it("Everlytic, with an attachment", async () => {
      const { everlytic } = doubles;
      const client = entries.createEverlyticClient({ baseUrl: everlytic.url, username: everlytic.username, apiKey: everlytic.apiKey });
      const outcome = await client.send({
        body: { html: "<p>Hello {{name}}</p>", personalisation_fields: { common_fields: { name: "Joe" } } },
        headers: { subject: "Hello", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
        attachments: { data: [{ filename: "note.txt", content: new TextEncoder().encode("from workerd") }] },
      });
      expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
      expect(outcome.ok && outcome.data.transactions).toHaveLength(1);
    });

    it("ExpertSender, with the XML and MD5 chunks", async () => {
      const { expertsender } = doubles;
      const client = entries.createExpertSenderClient({ baseUrl: expertsender.url, apiKey: expertsender.apiKey });
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
}
