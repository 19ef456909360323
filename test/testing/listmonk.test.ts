/** txgate/testing's listmonk fake, through the real client: each documented answer and each failure it plays. */
import { describe, expect, it } from "vitest";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS, type ListmonkFakeOptions } from "../../src/testing/index.ts";

const setup = (options: ListmonkFakeOptions = {}) => {
  const fake = createListmonkFake(options);
  const client = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: fake.fetch, retry: { retries: 0 }, timeoutMs: 200 });
  return { fake, client };
};

describe("listmonk fake: documented answers", () => {
  it("queues each recipient and records the message in its outbox", async () => {
    const { fake, client } = setup();
    const outcome = await client.send({ template_id: 3, subscriber_emails: ["Ada@Example.com", "grace@example.com"], data: { order: 7 } });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", status: 200 });
    expect(fake.queued.map((q) => q.email)).toEqual(["ada@example.com", "grace@example.com"]);
    expect(fake.outbox).toMatchObject([{ vendor: "listmonk", status: 200, accepted: true, template: 3, to: ["ada@example.com", "grace@example.com"], data: { order: 7 } }]);
    expect(fake.specViolations).toEqual([]);
  });

  it("answers 403 to wrong credentials, and records nothing", async () => {
    const fake = createListmonkFake();
    const client = createListmonkClient({ baseUrl: "https://listmonk.test", username: "fake", token: "wrong", fetch: fake.fetch });
    expect(await client.send({ template_id: 3, subscriber_emails: ["ada@example.com"] })).toMatchObject({ ok: false, kind: "auth", status: 403 });
    expect(fake.outbox).toEqual([]);
  });

  it("refuses an unknown template and a body the spec refuses, in listmonk's words", async () => {
    const { fake } = setup({ templates: [2] });
    const send = (body: unknown) =>
      fake.fetch("https://listmonk.test/api/tx", { method: "POST", headers: { authorization: `token fake:fake-listmonk-token`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const unknown = await send({ template_id: 9, subscriber_emails: ["ada@example.com"] });
    expect([unknown.status, await unknown.json()]).toEqual([400, { message: "template 9 not found" }]);
    const broken = await send({ template_id: 2, subscriber_emails: ["ada@example.com"], content_type: "pdf" });
    expect(broken.status).toBe(400);
    expect(fake.specViolations.join("\n")).toContain("content_type");
    expect(fake.outbox.map((message) => message.accepted)).toEqual([false, false]);
  });
});

describe("listmonk fake: failures by magic recipient", () => {
  it("fail+429: rate limited with Retry-After, nothing sent", async () => {
    const { fake, client } = setup({ retryAfterSeconds: 7 });
    const outcome = await client.send({ template_id: 3, subscriber_emails: ["fail+429@example.com"] });
    expect(outcome).toMatchObject({ ok: false, kind: "rate_limited", status: 429, delivery: "not_sent" });
    expect(fake.queued).toEqual([]);
    const raw = await fake.fetch(new Request("https://listmonk.test/api/tx", { method: "POST", headers: { authorization: "token fake:fake-listmonk-token", "content-type": "application/json" }, body: JSON.stringify({ template_id: 3, subscriber_emails: ["fail+429@example.com"] }) }));
    expect(raw.headers.get("retry-after")).toBe("7");
  });

  it("fail+503: unavailable, nothing sent", async () => {
    const { fake, client } = setup();
    expect(await client.send({ template_id: 3, subscriber_emails: ["fail+503@example.com"] })).toMatchObject({ ok: false, status: 503, delivery: "not_sent" });
    expect(fake.queued).toEqual([]);
  });

  it("fail+500: queued, then a 500, so the outcome is unknown", async () => {
    const { fake, client } = setup();
    expect(await client.send({ template_id: 3, subscriber_emails: ["fail+500@example.com"] })).toMatchObject({ ok: false, status: 500, delivery: "unknown" });
    expect(fake.queued.map((q) => q.email)).toEqual(["fail+500@example.com"]);
    expect(fake.outbox[0]).toMatchObject({ accepted: true, status: 500, failure: "500" });
  });

  it("fail+auth: the vendor's 403", async () => {
    const { client } = setup();
    expect(await client.send({ template_id: 3, subscriber_emails: ["fail+auth@example.com"] })).toMatchObject({ ok: false, kind: "auth", status: 403 });
  });

  it("fail+timeout: no answer until the client gives up", async () => {
    const { fake, client } = setup();
    expect(await client.send({ template_id: 3, subscriber_emails: ["fail+timeout@example.com"] })).toMatchObject({ ok: false, kind: "timeout" });
    expect(fake.queued).toEqual([]);
  });

  it("fail+partial: that recipient is not a subscriber, the others are queued", async () => {
    const { fake, client } = setup();
    const outcome = await client.send({ template_id: 3, subscriber_emails: ["ada@example.com", "fail+partial@example.com"] });
    expect(outcome).toMatchObject({ ok: false, delivery: "partial", failedRecipients: ["fail+partial@example.com"] });
    expect(fake.queued.map((q) => q.email)).toEqual(["ada@example.com"]);
  });

  it("failNext: the next sends fail in order, then sends succeed", async () => {
    const { client } = setup({ failNext: ["503", "429"] });
    const send = () => client.send({ template_id: 3, subscriber_emails: ["ada@example.com"] });
    expect(await send()).toMatchObject({ status: 503 });
    expect(await send()).toMatchObject({ status: 429 });
    expect((await send()).ok).toBe(true);
  });
});
