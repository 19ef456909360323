import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEverlyticClient, everlyticCapabilities, type TemplateMessage } from "../../src/everlytic/index.js";
import { createMailer } from "../../src/catalogue/index.js";
import { catalogueVia, shipment } from "../catalogue/catalogue-fixture.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "./double.js";

const SHIPPED = "order-shipped-7c2e";
let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble({
    templates: { [SHIPPED]: { subject: "Order {{orderNumber}} shipped", from: "shop@example.com", html: "<p>{{name}}: {{trackingLink}}</p>" } },
  });
});
afterEach(() => {
  everlytic.requests.length = 0;
  everlytic.delivered.length = 0;
});
afterAll(async () => {
  expect(everlytic.specViolations).toEqual([]);
  await everlytic.close();
});

const client = () => createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY, retry: { retries: 0 } });
const lastBody = () => JSON.parse(everlytic.requests.at(-1)!.text);

describe("the catalogue's orderShipped through Everlytic", () => {
  it("sends the declared variables as common_fields of the template, and Sent.ids holds the transaction ids", async () => {
    const mail = createMailer(catalogueVia({ vendor: "everlytic", template: SHIPPED }), { everlytic: client() });
    const outcome = await mail.send("orderShipped", { to: { address: "jane@example.com", name: "Jane Doe" }, data: shipment });
    expect(outcome).toMatchObject({ ok: true, vendor: "everlytic", failover: [] });
    expect(lastBody()).toEqual({
      body: { personalisation_fields: { common_fields: shipment } },
      headers: { to: [{ email: "jane@example.com", name: "Jane Doe" }] },
      options: { template_id: SHIPPED },
    });
    const [email] = everlytic.delivered;
    expect([email!.subject, email!.html]).toEqual(["Order 3423423-234234 shipped", "<p>Jane Doe: https://track.example.com/3423423</p>"]);
    expect(outcome.ok && outcome.ids).toEqual([email!.transactionId]);
  });
});

describe("sendMessage: the common message as Everlytic's mail body", () => {
  it("carries every field Everlytic can, unchanged, with one id per recipient", async () => {
    const outcome = await client().sendMessage({
      template: SHIPPED,
      to: [{ address: "jane@example.com", name: "Jane" }],
      cc: "orders@example.com",
      bcc: [{ address: "audit@example.com", name: "Audit" }],
      from: { address: "shop@example.com", name: "The Shop" },
      replyTo: { address: "help@example.com", name: "Help" },
      subject: "Shipped",
      data: shipment,
      attachments: [{ content: new Uint8Array([104, 105]), filename: "note.txt" }],
      tracking: { opens: true, clicks: false },
      transactional: true,
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "everlytic" });
    expect(lastBody()).toEqual({
      body: { personalisation_fields: { common_fields: shipment } },
      headers: {
        subject: "Shipped",
        from: { email: "shop@example.com", name: "The Shop" },
        to: [{ email: "jane@example.com", name: "Jane" }],
        cc: [{ email: "orders@example.com" }],
        bcc: [{ email: "audit@example.com", name: "Audit" }],
        reply_to: { email: "help@example.com", name: "Help" },
      },
      options: { template_id: SHIPPED, track_opens: true, track_links: false },
      attachments: { data: [{ filename: "note.txt", data: "aGk=" }] },
    });
    expect(outcome.ok && outcome.ids).toEqual(everlytic.delivered.map((email) => email.transactionId));
    expect(outcome.ok && outcome.ids).toHaveLength(3);
  });

  it.each<[string, Partial<TemplateMessage>, string[]]>([
    ["tags", { tags: ["x"] }, ["tags"]],
    ["externalId", { externalId: "order-1" }, ["externalId"]],
    ["an attachment's content type", { attachments: [{ content: new Uint8Array([1]), filename: "a.bin", contentType: "application/pdf" }] }, ["attachments.0.contentType"]],
    ["a number in data", { data: { count: 2 } }, ["data.count"]],
    ["transactional: false", { transactional: false }, ["transactional"]],
  ])("refuses %s with unsupported_by_vendor, sending nothing", async (_, change, paths) => {
    const outcome = await client().sendMessage({ template: SHIPPED, to: "jane@example.com", ...change } as TemplateMessage);
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual(
      paths.map((path) => [path, "unsupported_by_vendor"]),
    );
    expect(everlytic.requests).toEqual([]);
  });

  it("keeps Everlytic's own rules, named at the common message's fields", async () => {
    const outcome = await client().sendMessage({ template: "", to: "jane@example.com" });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => issue.path)).toContain("template");
    const named = await client().sendMessage({ template: SHIPPED, to: { address: "jane@example.com", name: "Jane\r\nBcc: x@example.com" } });
    expect(!named.ok && named.kind === "validation" && named.issues.map((issue) => [issue.path, issue.rule])).toEqual([["to.name", "no_line_breaks"]]);
    expect(everlytic.requests).toEqual([]);
  });

  it("has a capability table: to, cc and bcc with names, text data", () => {
    expect(everlyticCapabilities).toMatchObject({ to: { names: true }, cc: { names: true }, bcc: { names: true }, data: "text", tags: 0 });
  });
});
