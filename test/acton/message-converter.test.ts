import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { actOnCapabilities, createActOnClient, type TemplateMessage } from "../../src/acton/index.js";
import { toActOnMessage } from "../../src/acton/message-converter.js";
import { createMailer } from "../../src/catalogue/index.js";
import { catalogueVia, shipment } from "../catalogue/catalogue-fixture.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
beforeAll(async () => {
  acton = await startActOnDouble();
});
afterEach(() => {
  acton.requests.length = 0;
  acton.delivered.length = 0;
});
afterAll(async () => {
  expect(acton.specViolations).toEqual([]);
  await acton.close();
});

const client = () => createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, retry: { retries: 0 } });
const eteBodies = () => acton.requests.filter((request) => request.path.startsWith("/ete/")).map((request) => JSON.parse(request.text));
const stated = { transactional: true, externalId: "3423423-234234", tracking: { opens: false, clicks: true } } as const;

describe("the catalogue's orderShipped through Act-On", () => {
  it("sends the declared variables as personalizationDataMap, with the template in the path", async () => {
    const mail = createMailer(catalogueVia({ vendor: "acton", template: "t-0099", message: { tracking: { opens: false, clicks: false } } }), {
      acton: client(),
    });
    const outcome = await mail.send("orderShipped", { to: "jane.doe@example.com", externalId: "order-1", data: shipment });
    expect(outcome).toMatchObject({ ok: true, vendor: "acton", failover: [] });
    expect(acton.requests.find((request) => request.path.startsWith("/ete/"))!.path).toBe(`/ete/v1/email/${ACTON_ACCOUNT}/t-0099`);
    expect(eteBodies()).toEqual([
      {
        envelope: { toAddress: "jane.doe@example.com" },
        content: { personalizationDataMap: shipment },
        metadata: { transactional: true, externalId: "order-1" },
        actions: { trackOpens: false, trackClicks: false },
      },
    ]);
  });
  it("cannot reach Act-On's Personalization Failure: a missing variable is refused before sending", async () => {
    const mail = createMailer(catalogueVia({ vendor: "acton", template: "t-0099" }), { acton: client() });
    const { trackingLink: _, ...partial } = shipment;
    // @ts-expect-error trackingLink is a declared variable
    const outcome = await mail.send("orderShipped", { to: "jane.doe@example.com", externalId: "order-1", data: partial });
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent", issues: [{ path: "data.trackingLink", rule: "required" }] });
    expect(acton.requests).toEqual([]);
  });
});

describe("sendMessage: the common message as Act-On's EmailDetails", () => {
  it("carries every field Act-On can, unchanged", async () => {
    const outcome = await client().sendMessage({
      template: "t-0099",
      to: "jane.doe@example.com",
      cc: ["orders@example.com"],
      from: { address: "support@example.com", name: "The Shop" },
      replyTo: "john@example.com",
      subject: "Your order shipped",
      data: shipment,
      tags: ["shipping_confirmation"],
      ...stated,
    });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "acton" });
    expect(outcome.ok && outcome.ids).toBeUndefined();
    expect(eteBodies()).toEqual([
      {
        envelope: {
          toAddress: "jane.doe@example.com",
          ccAddressList: ["orders@example.com"],
          fromAddress: "support@example.com",
          fromDisplayName: "The Shop",
          replyToAddress: "john@example.com",
        },
        content: { subjectLine: "Your order shipped", personalizationDataMap: shipment },
        metadata: { transactional: true, externalId: "3423423-234234", tagList: ["shipping_confirmation"] },
        actions: { trackOpens: false, trackClicks: true },
      },
    ]);
  });

  it.each<[string, Partial<TemplateMessage>, string[]]>([
    ["a second to", { to: ["a@example.com", "b@example.com"] }, ["to.1"]],
    ["a display name on to", { to: { address: "a@example.com", name: "A" } }, ["to.name"]],
    ["a sixth cc", { cc: ["1@example.com", "2@example.com", "3@example.com", "4@example.com", "5@example.com", "6@example.com"] }, ["cc.5"]],
    ["bcc", { bcc: "hidden@example.com" }, ["bcc"]],
    ["a display name on replyTo", { replyTo: { address: "help@example.com", name: "Help" } }, ["replyTo.name"]],
    ["attachments", { attachments: [{ content: new Uint8Array([1]), filename: "a.pdf" }] }, ["attachments.0"]],
    ["two tags", { tags: ["one", "two"] }, ["tags.1"]],
    ["a number in data", { data: { orderNumber: 3423423 } }, ["data.orderNumber"]],
    ["a numeric template id", { template: 99 }, ["template"]],
  ])("refuses %s with unsupported_by_vendor, sending nothing", async (_, change, paths) => {
    const outcome = await client().sendMessage({ template: "t-0099", to: "jane.doe@example.com", ...stated, ...change } as TemplateMessage);
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent" });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual(
      paths.map((path) => [path, "unsupported_by_vendor"]),
    );
    expect(acton.requests).toEqual([]);
  });

  it("keeps Act-On's own rules, named at the common message's fields", async () => {
    const outcome = await client().sendMessage({ template: "t-0099", to: "jane.doe@example.com", subject: "x".repeat(91) });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual([
      ["subject", "max_length"],
      ["transactional", "required"],
      ["externalId", "required"],
      ["tracking.opens", "required"],
      ["tracking.clicks", "required"],
    ]);
    expect(acton.requests).toEqual([]);
  });

  it("has a capability table that says what the converter refuses", () => {
    expect(actOnCapabilities).toMatchObject({ to: { max: 1 }, cc: { max: 5 }, bcc: { max: 0 }, attachments: false, tags: 1, transactional: "stated" });
    expect(toActOnMessage({ template: "t-1", to: "a@example.com", bcc: "b@example.com" }).success).toBe(false);
  });
});
