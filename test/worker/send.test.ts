/**
 * The happy path of every vendor through the worker, in sandbox mode: trusted callers with the library
 * client's input, and browsers with a named action. Each message must reach the sandbox vendor, pass the
 * vendor's spec, and show up in the outbox.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CALLER_KEY_BILLING, CALLER_KEY_BILLING_NEXT } from "./support/bindings.ts";
import { SELF } from "cloudflare:test";
import { createBrowserClient } from "../../src/browser/index.ts";
import type { Actions } from "../../worker/actions.ts";
import { browserHeaders, browserSend, callerSend, fakeSiteverify, fetchWorker, HOST, LOCAL, passToken, signJwt } from "./support/harness.ts";

async function outbox() {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages as any[];
}

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => vi.restoreAllMocks());

describe("trusted callers send the library client's input", () => {
  it("listmonk: a template to a subscriber", async () => {
    const answer = await callerSend("listmonk", { template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } }, CALLER_KEY_BILLING);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk", data: { data: true } });
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "listmonk", accepted: true, template: 2, to: ["ada@example.com"], data: { order: "1234" }, specViolations: [] });
  });

  it("listmonk: attachments travel as contentBase64 and arrive as files", async () => {
    const answer = await callerSend(
      "listmonk",
      { template_id: 2, subscriber_emails: ["ada@example.com"], attachments: [{ filename: "invoice.txt", contentType: "text/plain", contentBase64: btoa("hello") }] },
      CALLER_KEY_BILLING,
    );
    expect(answer.status).toBe(200);
    const [message] = await outbox();
    expect(message.attachments).toEqual([{ name: "invoice.txt", type: "text/plain", bytes: 5 }]);
  });

  it("Act-On: an Event-Triggered Email (the worker logs in to the sandbox's OAuth first)", async () => {
    const answer = await callerSend(
      "acton",
      {
        templateId: "t-0099",
        envelope: { toAddress: "jane.doe@example.com" },
        content: { personalizationDataMap: { orderNumber: "3423423-234234" } },
        metadata: { transactional: true, externalId: "3423423-234234" },
        actions: { trackOpens: false, trackClicks: false },
      },
      CALLER_KEY_BILLING,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, vendor: "acton", data: { success: true, message: "Email Sent Successfully" } });
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "acton", accepted: true, template: "t-0099", to: ["jane.doe@example.com"], specViolations: [] });
  });

  it("Everlytic: an email with its own HTML body and a base64 attachment", async () => {
    const answer = await callerSend(
      "everlytic",
      {
        body: { html: "<h1>Your order has shipped</h1>" },
        headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com", name: "Joe" }] },
        attachments: { data: [{ filename: "label.pdf", contentBase64: btoa("%PDF-1.4") }] },
      },
      CALLER_KEY_BILLING_NEXT,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data.transactions).toHaveLength(1);
    expect(answer.body.ids).toEqual([expect.any(String)]);
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "everlytic", accepted: true, subject: "Shipped", to: ["joe@example.com"], html: "<h1>Your order has shipped</h1>", specViolations: [] });
    expect(message.attachments).toEqual([{ name: "label.pdf", bytes: 8 }]);
  });

  it("ExpertSender: a system transactional with snippets, an attachment and ReturnGuid", async () => {
    const answer = await callerSend(
      "expertsender",
      {
        transactionalId: 123,
        ReturnGuid: true,
        Receiver: { Email: "patrick@example.com" },
        Snippets: [{ Name: "helloMessage", Value: "<b>Hello Patrick!</b>" }],
        Attachments: [{ FileName: "a.txt", MimeType: "text/plain", ContentBase64: btoa("abc") }],
      },
      CALLER_KEY_BILLING,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data.guid).toMatch(/^[0-9a-f-]{36}$/);
    // The vendor's ids, normalised as the library's Sent.ids, beside the raw body.
    expect(answer.body.ids).toEqual([answer.body.data.guid]);
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "expertsender", accepted: true, template: 123, to: ["patrick@example.com"], data: { helloMessage: "<b>Hello Patrick!</b>" }, specViolations: [] });
    expect(message.attachments).toEqual([{ name: "a.txt", type: "text/plain", bytes: 3 }]);
  });
});

describe("browsers send named actions", () => {
  it("order-shipped (listmonk): to the signed-in user's own address", async () => {
    const jwt = await signJwt({ email: "ada@example.com" });
    const answer = await browserSend({ action: "order-shipped", variables: { orderNumber: "A-1234", carrier: "DHL" } }, { jwt });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true, kind: "sent", sandbox: true });
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "listmonk", template: 2, from: "Example Shop <shop@example.com>", to: ["ada@example.com"], data: { orderNumber: "A-1234", carrier: "DHL" }, specViolations: [] });
  });

  it("contact-form (Everlytic): Turnstile, to an allow-listed inbox", async () => {
    fakeSiteverify();
    const answer = await browserSend(
      { action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hello,\nwhere is my order?" } },
      { turnstile: passToken() },
    );
    expect(answer.status).toBe(200);
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "everlytic", template: "g789123d-8924-4811-b964-4d7255c6c54a", from: "Contact form <forms@example.com>", to: ["support@example.com"], data: { name: "Joe", message: "Hello,\nwhere is my order?" }, specViolations: [] });
  });

  it("password-changed (Act-On): transactional, from the fixed sender", async () => {
    const jwt = await signJwt({ email: "grace@example.com" }, { alg: "ES256" });
    const answer = await browserSend({ action: "password-changed", variables: { name: "Grace", changedAt: "2026-11-23T05:00:00Z" } }, { jwt });
    expect(answer.status).toBe(200);
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "acton", template: "t-0099", from: "Example Support <support@example.com>", to: ["grace@example.com"], data: { name: "Grace", "metadata.transactional": true }, specViolations: [] });
  });

  it("welcome (ExpertSender): variables become HTML-escaped snippets", async () => {
    const jwt = await signJwt({ email: "patrick@example.com" });
    const answer = await browserSend({ action: "welcome", variables: { firstName: "Pat & \"Co\"" }, recipient: "Patrick@Example.com" }, { jwt });
    expect(answer.status).toBe(200);
    const [message] = await outbox();
    expect(message).toMatchObject({ vendor: "expertsender", template: 123, to: ["patrick@example.com"], data: { firstName: "Pat &#38; &#34;Co&#34;" }, specViolations: [] });
  });
});

describe("the browser client", () => {
  it("passes on that a sandbox worker's send reached no one (sandbox: true)", async () => {
    const mail = createBrowserClient<Actions>({
      endpoint: `${HOST}/v1/actions`,
      fetch: (request, init) => SELF.fetch(request as string, { ...init, headers: { ...(init?.headers as Record<string, string>), ...browserHeaders() } }),
    });
    const outcome = await mail.send("welcome", { variables: { firstName: "Pat" }, idToken: await signJwt() });
    expect(outcome).toEqual({ ok: true, kind: "sent", sandbox: true });
  });
});
