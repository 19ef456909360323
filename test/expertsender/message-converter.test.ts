import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createExpertSenderClient, expertSenderCapabilities, type TemplateMessage } from "../../src/expertsender/index.js";
import { createMailer } from "../../src/catalogue/index.js";
import { catalogueVia, shipment } from "../catalogue/catalogue-fixture.js";
import { EXPERTSENDER_API_KEY, startExpertSenderDouble, type ExpertSenderDouble } from "./double.js";

let expertsender: ExpertSenderDouble;
beforeAll(async () => {
  expertsender = await startExpertSenderDouble();
});
afterEach(() => {
  expertsender.requests.length = 0;
  expertsender.sent.length = 0;
});
afterAll(async () => {
  expect(expertsender.specViolations).toEqual([]);
  await expertsender.close();
});

const client = () => createExpertSenderClient({ baseUrl: expertsender.url, apiKey: EXPERTSENDER_API_KEY, retry: { retries: 0 } });

describe("the catalogue's orderShipped through ExpertSender", () => {
  it("sends each declared variable as a snippet of the transactional message, and Sent.ids holds the GUID", async () => {
    const mail = createMailer(catalogueVia({ vendor: "expertsender", template: 123 }), { expertsender: client() });
    const outcome = await mail.send("orderShipped", { to: "patrick@example.com", data: shipment });
    expect(outcome).toMatchObject({ ok: true, vendor: "expertsender", failover: [] });
    const [sent] = expertsender.sent;
    expect(sent).toMatchObject({ transactionalId: 123, subscriber: { email: "patrick@example.com" }, snippets: shipment });
    expect(outcome.ok && outcome.ids).toEqual([sent!.guid]);
    expect(outcome.ok && outcome.data).toEqual({ guid: sent!.guid });
  });
});

describe("sendMessage: the common message as ExpertSender's <Data>", () => {
  it("carries bcc (;-joined), snippets and attachments unchanged", async () => {
    const outcome = await client().sendMessage({
      template: 123,
      to: "patrick@example.com",
      bcc: ["audit@example.com", "archive@example.com"],
      data: { helloMessage: "<b>Hello Patrick!</b>" },
      attachments: [{ content: new Uint8Array([104, 105]), filename: "note.txt", contentType: "text/plain" }],
      transactional: true,
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "expertsender" });
    const [sent] = expertsender.sent;
    expect(sent!.snippets).toEqual({ helloMessage: "<b>Hello Patrick!</b>" });
    expect(sent!.attachments).toEqual([{ fileName: "note.txt", mimeType: "text/plain", bytes: new Uint8Array([104, 105]) }]);
    expect((sent!.model as { Data: { Receiver: { Bcc: string } } }).Data.Receiver.Bcc).toBe("audit@example.com;archive@example.com");
  });

  it.each<[string, Partial<TemplateMessage>, string[]]>([
    ["a second to", { to: ["a@example.com", "b@example.com"] }, ["to.1"]],
    ["a display name on to", { to: { address: "a@example.com", name: "A" } }, ["to.name"]],
    ["cc", { cc: "a@example.com" }, ["cc"]],
    ["from", { from: "shop@example.com" }, ["from"]],
    ["replyTo", { replyTo: "help@example.com" }, ["replyTo"]],
    ["subject", { subject: "Hi" }, ["subject"]],
    ["tags", { tags: ["x"] }, ["tags"]],
    ["externalId", { externalId: "order-1" }, ["externalId"]],
    ["tracking", { tracking: { opens: true, clicks: true } }, ["tracking"]],
    ["a string template id", { template: "123" }, ["template"]],
  ])("refuses %s with unsupported_by_vendor, sending nothing", async (_, change, paths) => {
    const outcome = await client().sendMessage({ template: 123, to: "patrick@example.com", ...change } as TemplateMessage);
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual(
      paths.map((path) => [path, "unsupported_by_vendor"]),
    );
    expect(expertsender.requests).toEqual([]);
  });

  it("keeps ExpertSender's own rules: a data name must be a snippet name", async () => {
    const outcome = await client().sendMessage({ template: 123, to: "patrick@example.com", data: { "order-id": "1" } });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual([["data.order-id", "snippet_name"]]);
    expect(expertsender.requests).toEqual([]);
  });

  it("has a capability table: one receiver without a name, no cc, sender or subject per message", () => {
    expect(expertSenderCapabilities).toMatchObject({ to: { max: 1, names: false }, cc: { max: 0 }, from: { max: 0 }, subject: false });
  });
});
