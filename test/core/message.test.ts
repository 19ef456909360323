import { describe, expect, it } from "vitest";
import { unsupportedFields, type VendorCapabilities } from "../../src/core/capabilities.ts";
import { TemplateMessageSchema, type TemplateMessage } from "../../src/core/message.ts";
import { templateMessageSender } from "../../src/core/message-sender.ts";
import type { Outcome } from "../../src/core/outcome.ts";
import { Redactor } from "../../src/core/redact.ts";
import { validateInput } from "../../src/core/validation.ts";
import { actOnCapabilities } from "../../src/acton/index.ts";
import { everlyticCapabilities } from "../../src/everlytic/index.ts";
import { expertSenderCapabilities } from "../../src/expertsender/index.ts";
import { listmonkCapabilities } from "../../src/listmonk/index.ts";
import { toActOnMessage } from "../../src/acton/message-converter.ts";
import { toEverlyticMessage } from "../../src/everlytic/message-converter.ts";
import { toExpertSenderMessage } from "../../src/expertsender/message-converter.ts";
import { toListmonkMessage } from "../../src/listmonk/message-converter.ts";

const issuesOf = (input: unknown) => {
  const checked = validateInput(TemplateMessageSchema, input);
  return checked.success ? [] : checked.issues.map((issue) => [issue.path, issue.rule]);
};

describe("the rules every vendor shares", () => {
  it("takes an address bare or with a name, one or a list", () => {
    expect(issuesOf({ template: 1, to: "a@example.com" })).toEqual([]);
    expect(issuesOf({ template: "t", to: [{ address: "a@example.com", name: "A" }, "b@example.com"], cc: { address: "c@example.com" } })).toEqual([]);
  });

  it("refuses a Name <address> string, a name with CR/LF, unknown fields and a non-object data", () => {
    expect(issuesOf({ template: 1, to: "Ada <a@example.com>" })).toContainEqual(["to", "email"]);
    expect(issuesOf({ template: 1, to: { address: "a@example.com", name: "A\r\nBcc: x@example.com" } })).toContainEqual(["to.name", "no_line_breaks"]);
    expect(issuesOf({ template: 1, to: "a@example.com", headers: {} })).toEqual([["headers", "unknown_field"]]);
    expect(issuesOf({ template: 1, to: "a@example.com", data: [1] })).toEqual([["data", "object"]]);
    expect(issuesOf({ template: 1 })).toEqual([["to", "required"]]);
    expect(issuesOf({ template: 1, to: [] })).toEqual([["to", "min_length"]]);
  });
});

describe("unsupported_by_vendor: one rule name, the field's path, for every vendor", () => {
  const everything: TemplateMessage = {
    template: "t",
    to: [{ address: "a@example.com", name: "A" }, "b@example.com"],
    cc: "c@example.com",
    bcc: "d@example.com",
    from: { address: "e@example.com", name: "E" },
    replyTo: { address: "f@example.com", name: "F" },
    subject: "s",
    data: { n: 1 },
    attachments: [{ content: new Uint8Array([1]), filename: "a.bin", contentType: "application/octet-stream" }],
    tags: ["x", "y"],
    externalId: "id",
    transactional: false,
    tracking: { opens: true, clicks: true },
  };
  const table: [VendorCapabilities, string[]][] = [
    [actOnCapabilities, ["to.0.name", "to.1", "bcc", "replyTo.name", "data.n", "attachments.0", "tags.1"]],
    [listmonkCapabilities, ["template", "to.0.name", "cc", "bcc", "replyTo.name", "tags", "externalId", "transactional", "tracking"]],
    [everlyticCapabilities, ["data.n", "attachments.0.contentType", "tags", "externalId", "transactional"]],
    [expertSenderCapabilities, ["template", "to.1", "to.0.name", "cc", "from", "replyTo", "subject", "data.n", "tags", "externalId", "transactional", "tracking"]],
  ];
  it.each(table)("$vendor", (capabilities, paths) => {
    const checked = validateInput(TemplateMessageSchema, everything);
    if (!checked.success) throw new Error("the shared rules refused the message");
    const issues = unsupportedFields(capabilities, checked.output);
    expect(issues.map((issue) => issue.path).sort()).toEqual([...paths].sort());
    expect(new Set(issues.map((issue) => issue.rule))).toEqual(new Set(["unsupported_by_vendor"]));
  });
});

describe("templateMessageSender", () => {
  const sent: Outcome<string> = { ok: true, kind: "sent", vendor: "listmonk", status: 200, data: "ok", attempts: 1 };

  it("converts, then sends the native message through the native send", async () => {
    const natives: unknown[] = [];
    const sendMessage = templateMessageSender(
      "listmonk",
      async () => (message) => ({ success: true, output: { native: { id: message.template }, origins: [] } }),
      async (native) => (natives.push(native), sent),
      new Redactor(),
    );
    expect(await sendMessage({ template: 7, to: "a@example.com" })).toBe(sent);
    expect(natives).toEqual([{ id: 7 }]);
  });

  it("names the native rules' issues at the common message's fields", async () => {
    const sendMessage = templateMessageSender(
      "acton",
      async () => () => ({ success: true, output: { native: {}, origins: [["envelope.ccAddressList", "cc"], ["metadata.externalId", "externalId"]] } }),
      async () => ({
        ok: false,
        kind: "validation",
        vendor: "acton",
        retryable: false,
        delivery: "not_sent",
        attempts: 0,
        message: "x",
        issues: [
          { path: "envelope.ccAddressList.5", rule: "max_length", message: "too many" },
          { path: "metadata.externalId", rule: "required", message: "needed" },
          { path: "metadata.externalIdentifier", rule: "unknown_field", message: "no" },
        ],
      }),
      new Redactor(),
    );
    const outcome = await sendMessage({ template: "t", to: "a@example.com" });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => issue.path)).toEqual(["cc.5", "externalId", "metadata.externalIdentifier"]);
    expect(!outcome.ok && outcome.message).toContain("cc.5: too many");
  });

  it("answers a converter that cannot load with network, not_sent, retryable, and sends nothing", async () => {
    let called = false;
    const sendMessage = templateMessageSender(
      "expertsender",
      () => Promise.reject(new TypeError("Failed to fetch dynamically imported module")),
      async () => ((called = true), sent),
      new Redactor(),
    );
    expect(await sendMessage({ template: 1, to: "a@example.com" })).toMatchObject({ ok: false, kind: "network", delivery: "not_sent", retryable: true, attempts: 0 });
    expect(called).toBe(false);
  });
});

describe("the four converters never throw", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const inputs: [string, unknown][] = [
    ["null", null],
    ["an empty object", {}],
    ["no recipients", { template: 1, to: [] }],
    ["a revoked Proxy", revoked.proxy],
    ["a throwing getter", Object.defineProperty({ template: 1 }, "to", { enumerable: true, get: () => { throw new Error("boom"); } })],
    ["an array as data", { template: 1, to: "a@example.com", data: ["x"] }],
  ];
  const converters = [toActOnMessage, toListmonkMessage, toEverlyticMessage, toExpertSenderMessage];
  it.each(inputs)("%s is a validation failure, not a throw", (_, input) => {
    for (const convert of converters) {
      const converted = convert(input as TemplateMessage);
      expect(converted.success).toBe(false);
      expect(!converted.success && converted.issues.length).toBeGreaterThan(0);
    }
  });
});
