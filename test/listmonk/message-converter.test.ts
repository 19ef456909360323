import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createListmonkClient, listmonkCapabilities, type TemplateMessage } from "../../src/listmonk/index.js";
import { createMailer } from "../../src/catalogue/index.js";
import { catalogueVia, shipment } from "../catalogue/catalogue-fixture.js";
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
  expect(listmonk.specViolations).toEqual([]);
  await listmonk.close();
});

const client = () => createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN, retry: { retries: 0 } });

describe("the catalogue's orderShipped through listmonk", () => {
  it("sends the declared variables as data, to template_id, for each to", async () => {
    const mail = createMailer(catalogueVia({ vendor: "listmonk", template: 2 }), { listmonk: client() });
    const outcome = await mail.send("orderShipped", { to: ["ada@example.com", "grace@example.com"], data: shipment });
    expect(outcome).toMatchObject({ ok: true, vendor: "listmonk", failover: [] });
    expect(JSON.parse(listmonk.requests[0]!.text)).toEqual({ template_id: 2, subscriber_emails: ["ada@example.com", "grace@example.com"], data: shipment });
    expect(listmonk.queued.map((message) => [message.email, message.templateId])).toEqual([
      ["ada@example.com", 2],
      ["grace@example.com", 2],
    ]);
  });
});

describe("sendMessage: the common message as listmonk's /api/tx body", () => {
  it("carries from, replyTo (a Reply-To header), subject, data and attachments unchanged", async () => {
    const pdf = new Uint8Array([37, 80, 68, 70]);
    const outcome = await client().sendMessage({
      template: 2,
      to: "ada@example.com",
      from: "shop@example.com",
      replyTo: "help@example.com",
      subject: "Your order shipped",
      data: { order: { id: 1234, items: ["book"] } },
      attachments: [{ content: pdf, filename: "invoice.pdf", contentType: "application/pdf" }],
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk" });
    const [queued] = listmonk.queued;
    expect(queued!.message).toMatchObject({
      template_id: 2,
      subscriber_emails: ["ada@example.com"],
      from_email: "shop@example.com",
      subject: "Your order shipped",
      data: { order: { id: 1234, items: ["book"] } },
      headers: [{ "Reply-To": "help@example.com" }],
    });
    expect(queued!.files).toEqual([{ name: "invoice.pdf", type: "application/pdf", bytes: pdf }]);
  });

  it("carries a from display name as `Name <address>`, as listmonk's from_email takes it", async () => {
    const outcome = await client().sendMessage({ template: 2, to: "ada@example.com", from: { address: "shop@example.com", name: "Example Shop" } });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk" });
    expect(JSON.parse(listmonk.requests[0]!.text)).toMatchObject({ from_email: "Example Shop <shop@example.com>" });
  });

  it("adds native fields the common message has no word for, checked by listmonk's own rules", async () => {
    const outcome = await client().sendMessage({ template: 2, to: "ada@example.com", native: { subscriber_mode: "fallback" } });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk" });
    expect(JSON.parse(listmonk.requests[0]!.text)).toEqual({ template_id: 2, subscriber_emails: ["ada@example.com"], subscriber_mode: "fallback" });
  });

  it.each<[string, Record<string, unknown>, [string, string][]]>([
    ["a value listmonk refuses", { subscriber_mode: "everyone" }, [["native.subscriber_mode", "picklist"]]],
    ["a field listmonk does not have", { priority: "high" }, [["native.priority", "unknown_field"]]],
    ["a field the conversion already set", { template_id: 9 }, [["native.template_id", "native_conflict"]]],
  ])("refuses a native field that is %s, sending nothing", async (_, native, issues) => {
    const outcome = await client().sendMessage({ template: 2, to: "ada@example.com", native });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual(issues);
    expect(listmonk.requests).toEqual([]);
  });

  it.each<[string, Partial<TemplateMessage>, string[]]>([
    ["cc", { cc: "a@example.com" }, ["cc"]],
    ["bcc", { bcc: ["a@example.com"] }, ["bcc"]],
    ["a display name on to", { to: [{ address: "ada@example.com", name: "Ada" }] }, ["to.0.name"]],
    ["a from name listmonk would have to quote", { from: { address: "shop@example.com", name: 'Shop "Best", Inc' } }, ["from.name"]],
    ["a from name with two spaces in a row", { from: { address: "shop@example.com", name: "Example  Shop" } }, ["from.name"]],
    ["tags", { tags: ["x"] }, ["tags"]],
    ["externalId", { externalId: "order-1" }, ["externalId"]],
    ["tracking", { tracking: { opens: true, clicks: true } }, ["tracking"]],
    ["transactional: false", { transactional: false }, ["transactional"]],
    ["a string template id", { template: "2" }, ["template"]],
  ])("refuses %s with unsupported_by_vendor, sending nothing", async (_, change, paths) => {
    const outcome = await client().sendMessage({ template: 2, to: "ada@example.com", ...change } as TemplateMessage);
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual(
      paths.map((path) => [path, "unsupported_by_vendor"]),
    );
    expect(listmonk.requests).toEqual([]);
  });

  it("keeps listmonk's own rules, named at the common message's fields", async () => {
    const outcome = await client().sendMessage({ template: 2, to: "ada@example.com", subject: "two\nlines", data: { when: new Date(0) } });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual([
      ["subject", "no_line_breaks"],
      ["data.when", "json_value"],
    ]);
    expect(listmonk.requests).toEqual([]);
  });

  it("has a capability table: many to, no cc or bcc, JSON data", () => {
    expect(listmonkCapabilities).toMatchObject({ to: { max: Infinity }, cc: { max: 0 }, bcc: { max: 0 }, data: "json", attachments: true });
  });
});
