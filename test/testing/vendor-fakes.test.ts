/**
 * txgate/testing's Act-On, Everlytic and ExpertSender fakes through the real clients: the documented answers a
 * user's test relies on, and each failure a magic recipient or `failNext` plays. (listmonk: listmonk.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { createActOnClient } from "../../src/acton/index.ts";
import { createEverlyticClient } from "../../src/everlytic/index.ts";
import { createExpertSenderClient } from "../../src/expertsender/index.ts";
import {
  ACTON_FAKE_ACCOUNT,
  createActOnFake,
  createEverlyticFake,
  createExpertSenderFake,
  EVERLYTIC_FAKE_CREDENTIALS,
  EXPERTSENDER_FAKE_API_KEY,
  failureOf,
  type FakeOptions,
} from "../../src/testing/index.ts";

const common = { retry: { retries: 0 }, timeoutMs: 200 } as const;
// The Act-On client allows 5 password grants an hour per base URL, client and user in a process: one origin per fake.
let actonOrigins = 0;
const actonBaseUrl = () => `https://acton-${++actonOrigins}.test`;

const acton = (options: FakeOptions & Parameters<typeof createActOnFake>[0] = {}) => {
  const fake = createActOnFake(options);
  const client = createActOnClient({ baseUrl: actonBaseUrl(), ...ACTON_FAKE_ACCOUNT, fetch: fake.fetch, ...common });
  const send = (toAddress: string, cc: string[] = []) =>
    client.send({
      templateId: "t-1",
      envelope: { toAddress, ...(cc.length ? { ccAddressList: cc } : {}) },
      metadata: { transactional: true, externalId: "order-1" },
      actions: { trackOpens: false, trackClicks: false },
    });
  return { fake, send, sent: () => fake.delivered.map((email) => email.to) };
};

const everlytic = (options: Parameters<typeof createEverlyticFake>[0] = {}) => {
  const fake = createEverlyticFake(options);
  const client = createEverlyticClient({ baseUrl: "https://everlytic.test", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: fake.fetch, ...common });
  const send = (to: string, cc: string[] = []) =>
    client.send({
      headers: { subject: "Hello", from: { email: "me@example.com" }, to: [{ email: to }], ...(cc.length ? { cc: cc.map((email) => ({ email })) } : {}) },
      body: { html: "<p>Hello</p>" },
    });
  return { fake, send, sent: () => fake.delivered.map((email) => email.recipient) };
};

const expertsender = (options: Parameters<typeof createExpertSenderFake>[0] = {}) => {
  const fake = createExpertSenderFake(options);
  const client = createExpertSenderClient({ baseUrl: "https://expertsender.test", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: fake.fetch, ...common });
  const send = (email: string) => client.send({ transactionalId: 1593, Receiver: { Email: email } });
  return { fake, send, sent: () => fake.sent.map((message) => message.subscriber.email) };
};

const vendors = { acton, everlytic, expertsender };

describe.each(Object.entries(vendors))("%s fake", (name, make) => {
  it("sends, records the message in its outbox, and finds nothing against the spec", async () => {
    const { fake, send, sent } = make();
    expect(await send("ada@example.com")).toMatchObject({ ok: true, kind: "sent" });
    expect(sent()).toEqual(["ada@example.com"]);
    expect(fake.outbox).toMatchObject([{ vendor: name, accepted: true, to: ["ada@example.com"] }]);
    expect(fake.specViolations).toEqual([]);
  });

  it("fail+429: rate limited with Retry-After, nothing sent", async () => {
    const { fake, send, sent } = make({ retryAfterSeconds: 30 });
    expect(await send("fail+429@example.com")).toMatchObject({ ok: false, kind: "rate_limited", status: 429, delivery: "not_sent" });
    expect(sent()).toEqual([]);
    expect(fake.outbox).toMatchObject([{ accepted: false, status: 429, failure: "429" }]);
  });

  it("fail+503: unavailable, nothing sent", async () => {
    const { send, sent } = make();
    expect(await send("fail+503@example.com")).toMatchObject({ ok: false, status: 503, delivery: "not_sent", retryable: true });
    expect(sent()).toEqual([]);
  });

  it("fail+500: sent, then a 500, so the outcome is unknown", async () => {
    const { fake, send, sent } = make();
    expect(await send("fail+500@example.com")).toMatchObject({ ok: false, status: 500, delivery: "unknown", retryable: false });
    expect(sent()).toEqual(["fail+500@example.com"]);
    expect(fake.outbox).toMatchObject([{ accepted: true, status: 500 }]);
  });

  it("fail+auth: the vendor's answer to bad credentials", async () => {
    const { send, sent } = make();
    expect(await send("fail+auth@example.com")).toMatchObject({ ok: false, kind: "auth", delivery: "not_sent" });
    expect(sent()).toEqual([]);
  });

  it("fail+timeout: no answer until the client gives up", async () => {
    const { send, sent } = make();
    expect(await send("fail+timeout@example.com")).toMatchObject({ ok: false, kind: "timeout" });
    expect(sent()).toEqual([]);
  });

  it("failNext: the next sends fail in order, then sends succeed", async () => {
    const { fake, send } = make({ failNext: ["503"] });
    fake.failNext("429");
    expect(await send("ada@example.com")).toMatchObject({ status: 503 });
    expect(await send("ada@example.com")).toMatchObject({ status: 429 });
    expect(await send("ada@example.com")).toMatchObject({ ok: true });
  });
});

describe("partial acceptance", () => {
  it("Act-On: a fail+partial cc is listed in suppressedRecipients and the others are sent", async () => {
    const { fake, send } = acton();
    expect(await send("ada@example.com", ["fail+partial@example.com", "grace@example.com"])).toMatchObject({
      ok: false,
      delivery: "partial",
      failedRecipients: ["fail+partial@example.com"],
    });
    expect(fake.delivered).toMatchObject([{ to: "ada@example.com", cc: ["grace@example.com"] }]);
  });

  it("Everlytic: a fail+partial recipient is named as suppressed and nobody is sent to", async () => {
    const { send, sent } = everlytic();
    expect(await send("ada@example.com", ["fail+partial@example.com"])).toMatchObject({ ok: false, delivery: "not_sent", failedRecipients: ["fail+partial@example.com"] });
    expect(sent()).toEqual([]);
  });

  it("ExpertSender: one receiver, so fail+partial is an ordinary send", async () => {
    const { send, sent } = expertsender();
    expect(await send("fail+partial@example.com")).toMatchObject({ ok: true });
    expect(sent()).toEqual(["fail+partial@example.com"]);
  });
});

describe("documented answers", () => {
  it("Act-On: an unknown template and a sender the account may not use are the ETE service's 400s", async () => {
    const fake = createActOnFake({ templates: { "t-1": ["name"] }, allowedSenders: ["me@example.com"] });
    const client = createActOnClient({ baseUrl: actonBaseUrl(), ...ACTON_FAKE_ACCOUNT, fetch: fake.fetch, ...common });
    const message = { envelope: { toAddress: "ada@example.com" }, metadata: { transactional: true, externalId: "x" }, actions: { trackOpens: false, trackClicks: false } };
    expect(await client.send({ ...message, templateId: "t-9" })).toMatchObject({ ok: false, status: 400, vendorMessage: "The email template, t-9, does not exist for this account." });
    expect(await client.send({ ...message, templateId: "t-1" })).toMatchObject({ ok: false, status: 400, vendorMessage: expect.stringContaining("Personalization Failure") });
    expect(await client.send({ ...message, templateId: "t-1", content: { personalizationDataMap: { name: "Ada" } }, envelope: { toAddress: "ada@example.com", fromAddress: "you@example.com" } })).toMatchObject({
      ok: false,
      vendorMessage: "Sender Not Allowed",
    });
    expect(fake.outbox.map((entry) => entry.accepted)).toEqual([false, false, false]);
  });

  it("Everlytic: one UUID-shaped transaction id per recipient, and personalisation filled per recipient", async () => {
    const { fake } = everlytic();
    const client = createEverlyticClient({ baseUrl: "https://everlytic.test", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: fake.fetch, ...common });
    const outcome = await client.send({
      headers: { subject: "Hi {{name}}", from: { email: "me@example.com" }, to: [{ email: "ada@example.com" }], bcc: [{ email: "grace@example.com" }] },
      body: { html: "<p>{{name}}</p>", personalisation_fields: { common_fields: { name: "friend" }, unique_fields: [{ "ada@example.com": { name: "Ada" } }] } },
    });
    expect(outcome).toMatchObject({ ok: true, ids: [expect.stringMatching(/^[0-9a-z-]{36}$/), expect.any(String)] });
    expect(fake.delivered.map((email) => [email.recipient, email.field, email.subject])).toEqual([
      ["ada@example.com", "to", "Hi Ada"],
      ["grace@example.com", "bcc", "Hi friend"],
    ]);
  });

  it("Everlytic: an unverified sending domain is the page's 400", async () => {
    const { send } = everlytic({ verifiedDomains: ["example.org"] });
    expect(await send("ada@example.com")).toMatchObject({ ok: false, status: 400, vendorMessage: "Send Failed - Unable to send: Unverified Domain - example.com" });
  });

  it("ExpertSender: a GUID when ReturnGuid is true, 404 for an unknown message, 403 for a wrong key", async () => {
    const fake = createExpertSenderFake({ transactionals: { 1593: "active" } });
    const client = createExpertSenderClient({ baseUrl: "https://expertsender.test", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: fake.fetch, ...common });
    const outcome = await client.send({ transactionalId: 1593, Receiver: { Email: "ada@example.com" }, ReturnGuid: true });
    expect(outcome).toMatchObject({ ok: true, status: 201, data: { guid: fake.sent[0]!.guid } });
    expect(await client.send({ transactionalId: 7, Receiver: { Email: "ada@example.com" } })).toMatchObject({ ok: false, status: 404 });
    const wrongKey = createExpertSenderClient({ baseUrl: "https://expertsender.test", apiKey: "wrong", fetch: fake.fetch, ...common });
    expect(await wrongKey.send({ transactionalId: 1593, Receiver: { Email: "ada@example.com" } })).toMatchObject({ ok: false, kind: "auth", status: 403 });
  });
});

describe("failureOf", () => {
  it("reads the failure from a recipient's local part, and nothing from other addresses", () => {
    expect(["fail+timeout@x.io", "FAIL+429@x.io", "fail+503@x.io", "fail+500@x.io", "fail+auth@x.io", "fail+partial@x.io"].map(failureOf)).toEqual([
      "timeout",
      "429",
      "503",
      "500",
      "auth",
      "partial",
    ]);
    expect(["fail+404@x.io", "ada+fail+429@x.io", "fail@x.io", 7].map(failureOf)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
