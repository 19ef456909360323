import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createListmonkClient, type ListmonkMessage, type ListmonkOptions } from "../../src/listmonk/index.js";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble, type ListmonkDouble } from "./double.js";

let listmonk: ListmonkDouble;
beforeAll(async () => {
  listmonk = await startListmonkDouble();
});
afterEach(() => {
  listmonk.requests.length = 0;
  listmonk.queued.length = 0;
});
afterAll(async () => {
  // Every body the client produced in this file is valid under specs/listmonk.yaml.
  expect(listmonk.specViolations).toEqual([]);
  await listmonk.close();
});

const client = (options: Partial<ListmonkOptions> = {}) =>
  createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN, ...options });

describe("POST /api/tx with JSON", () => {
  it("queues the documented example (deprecated single subscriber_email) and answers {data:true}", async () => {
    const outcome = await client().send({
      subscriber_email: "ada@example.com",
      template_id: 2,
      data: { order_id: "1234", date: "2022-07-30", items: [1, 2, 3] },
      content_type: "html",
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk", status: 200, data: { data: true }, attempts: 1 });
    expect(listmonk.queued.map((q) => q.email)).toEqual(["ada@example.com"]);
    expect(listmonk.requests[0]!.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("sends to several subscribers by address or by id", async () => {
    expect((await client().send({ subscriber_emails: ["ada@example.com", "grace@example.com"], template_id: 2 })).ok).toBe(true);
    expect((await client().send({ subscriber_ids: [1, 2], template_id: 4 })).ok).toBe(true);
    expect(listmonk.queued.map((q) => `${q.templateId}:${q.email}`)).toEqual([
      "2:ada@example.com",
      "2:grace@example.com",
      "4:ada@example.com",
      "4:grace@example.com",
    ]);
  });

  it("sends to non-subscribers in external and fallback mode", async () => {
    const external = await client().send({ subscriber_mode: "external", subscriber_emails: ["new@example.com"], template_id: 2, data: { name: "John" } });
    const fallback = await client().send({ subscriber_mode: "fallback", subscriber_emails: ["other@example.com"], template_id: 2 });
    expect([external.ok, fallback.ok]).toEqual([true, true]);
    expect(listmonk.queued.map((q) => q.email)).toEqual(["new@example.com", "other@example.com"]);
  });

  it("passes every documented field through unchanged", async () => {
    const message: ListmonkMessage = {
      subscriber_emails: ["ada@example.com"],
      subscriber_mode: "default",
      template_id: 2,
      from_email: "Shop <shop@example.com>",
      subject: "Your order",
      altbody: "Plain text",
      data: { nested: { deep: [1, "two"] } },
      headers: [{ "X-Campaign": "autumn" }, { "Reply-To": "help@example.com" }],
      messenger: "email",
      content_type: "markdown",
    };
    expect((await client().send(message)).ok).toBe(true);
    expect(JSON.parse(listmonk.requests[0]!.text)).toEqual(message);
  });

  it("authenticates with the token scheme when asked", async () => {
    const outcome = await client({ authScheme: "token" }).send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(outcome.ok).toBe(true);
    expect(listmonk.requests[0]!.headers.authorization).toBe(`token ${LISTMONK_USER}:${LISTMONK_TOKEN}`);
  });
});

describe("attachments as multipart/form-data", () => {
  it("sends one data field and a file part per File, Blob and Uint8Array", async () => {
    const pdf = new File([new Uint8Array([37, 80, 68, 70])], "invoice.pdf", { type: "application/pdf" });
    const csv = new Blob(["a,b\n1,2\n"], { type: "text/csv" });
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const outcome = await client().send({
      subscriber_emails: ["ada@example.com"],
      template_id: 4,
      attachments: [{ content: pdf }, { content: csv, filename: "rows.csv" }, { content: bytes, filename: "raw.bin" }],
    });
    expect(outcome.ok).toBe(true);
    expect(listmonk.requests[0]!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const [queued] = listmonk.queued;
    expect(queued!.message).toEqual({ subscriber_emails: ["ada@example.com"], template_id: 4 });
    expect(queued!.files.map((f) => [f.name, f.type, [...f.bytes]])).toEqual([
      ["invoice.pdf", "application/pdf", [37, 80, 68, 70]],
      ["rows.csv", "text/csv", [...new TextEncoder().encode("a,b\n1,2\n")]],
      ["raw.bin", "application/octet-stream", [0, 1, 2, 254, 255]],
    ]);
  });

  it("gives a File or Blob part the contentType asked for, and keeps the file's name", async () => {
    const untyped = new File(["%PDF"], "invoice.pdf");
    const csv = new Blob(["a,b\n"], { type: "text/plain" });
    const outcome = await client().send({
      subscriber_emails: ["ada@example.com"],
      template_id: 4,
      attachments: [{ content: untyped, contentType: "application/pdf" }, { content: csv, filename: "rows.csv", contentType: "text/csv" }],
    });
    expect(outcome.ok).toBe(true);
    expect(listmonk.queued[0]!.files.map((f) => [f.name, f.type])).toEqual([
      ["invoice.pdf", "application/pdf"],
      ["rows.csv", "text/csv"],
    ]);
  });
});

describe("listmonk's error answers", () => {
  it("reports a partial success: missing subscribers failed, the others were queued", async () => {
    const outcome = await client().send({ subscriber_emails: ["ada@example.com", "nobody@example.com", "grace@example.com"], template_id: 2 });
    expect(outcome).toMatchObject({
      ok: false,
      kind: "rejected",
      status: 400,
      delivery: "partial",
      retryable: false,
      failedRecipients: ["nobody@example.com"],
      vendorMessage: "Subscriber (0: nobody@example.com) not found",
    });
    expect(outcome.ok ? "" : outcome.message).toContain("the other 2 recipient(s) were queued");
    expect(listmonk.queued.map((q) => q.email)).toEqual(["ada@example.com", "grace@example.com"]);
  });

  it("names missing subscribers as the caller spelled them, though listmonk names them lower-cased", async () => {
    const outcome = await client().send({ subscriber_emails: ["Ada@Example.com", "Nobody@Example.com", "NOBODY@example.com"], template_id: 2 });
    expect(outcome).toMatchObject({
      kind: "rejected",
      delivery: "partial",
      failedRecipients: ["Nobody@Example.com", "NOBODY@example.com"],
      vendorMessage: "Subscriber (0: nobody@example.com) not found; Subscriber (0: nobody@example.com) not found",
    });
    expect(outcome.ok ? "" : outcome.message).toBe("400 not found: Nobody@Example.com, NOBODY@example.com; the other 1 recipient(s) were queued");
  });

  it("names a missing subscriber given in the single form as the caller spelled it; nothing was sent", async () => {
    const outcome = await client().send({ subscriber_email: "Nobody@Example.com", template_id: 2 });
    expect(outcome).toMatchObject({ kind: "rejected", delivery: "not_sent", failedRecipients: ["Nobody@Example.com"] });
  });

  it("says nothing was sent when no recipient was found (by id)", async () => {
    const outcome = await client().send({ subscriber_ids: [98, 99], template_id: 2 });
    expect(outcome).toMatchObject({ kind: "rejected", delivery: "not_sent", failedRecipients: ["98", "99"] });
  });

  it("maps an unknown template to a rejection with listmonk's message", async () => {
    const outcome = await client().send({ subscriber_emails: ["ada@example.com"], template_id: 9 });
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent", vendorMessage: "template 9 not found", message: "400 template 9 not found" });
  });

  it("maps an unknown messenger to a rejection", async () => {
    const outcome = await client().send({ subscriber_emails: ["ada@example.com"], template_id: 2, messenger: "sms" });
    expect(outcome).toMatchObject({ kind: "rejected", vendorMessage: "Unknown messenger sms." });
  });

  it("maps listmonk's 403 to an auth failure (listmonk never sends 401)", async () => {
    const outcome = await client({ token: "wrong-token-value" }).send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(outcome).toMatchObject({ kind: "auth", status: 403, vendorMessage: "invalid API credentials", delivery: "not_sent", retryable: false });
    listmonk.answerNext({ status: 403, body: { message: "permission denied: tx:send" } });
    expect(await client().send({ subscriber_emails: ["ada@example.com"], template_id: 2 })).toMatchObject({ kind: "auth", vendorMessage: "permission denied: tx:send" });
  });

  it("maps 404 (wrong base URL), 405 and 415 to rejections", async () => {
    const notFound = await client({ baseUrl: `${listmonk.url}/wrong-prefix` }).send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(notFound).toMatchObject({ kind: "rejected", status: 404, delivery: "not_sent" });
    listmonk.answerNext({ status: 405, body: { message: "Method Not Allowed" } }, { status: 415, body: { message: "Unsupported Media Type" } });
    const send = () => client().send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(await send()).toMatchObject({ kind: "rejected", status: 405 });
    expect(await send()).toMatchObject({ kind: "rejected", status: 415, vendorMessage: "Unsupported Media Type" });
  });

  it("maps 500 to a server error whose delivery is unknown, and does not retry it", async () => {
    listmonk.answerNext({ status: 500, body: { message: "error sending message" } });
    const outcome = await client().send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, delivery: "unknown", retryable: false, attempts: 1 });
    expect(listmonk.requests).toHaveLength(1);
  });

  it("keeps a non-JSON error page as the vendor message", async () => {
    listmonk.answerNext({ status: 502, body: "<html>Bad Gateway</html>" });
    const outcome = await client().send({ subscriber_emails: ["ada@example.com"], template_id: 2 });
    expect(outcome).toMatchObject({ kind: "server_error", status: 502, vendorMessage: "<html>Bad Gateway</html>", delivery: "unknown" });
  });
});
