/** The one error envelope, and what each audience learns about a vendor failure. */
import { describe, expect, it } from "vitest";
import { failureKinds, type Failure } from "../../src/core/outcome.ts";
import { OUTCOME_STATUS, outcomeProblem, problemResponse, Refusal } from "../../src/worker/problem.ts";
import { decodeAttachments } from "../../src/worker/binary-fields.ts";
import { VENDOR_NAMES, VENDORS } from "../../src/vendors/registry.ts";

const rejected: Failure = {
  ok: false,
  kind: "rejected",
  vendor: "listmonk",
  status: 400,
  message: "400 template 9 not found",
  vendorMessage: "template 9 not found",
  details: { message: "template 9 not found", internal: "db host 10.0.0.5" },
  retryable: false,
  delivery: "partial",
  attempts: 1,
  failedRecipients: ["x@example.com"],
};

describe("outcome kinds map to HTTP statuses", () => {
  it("covers every failure kind", () => {
    expect(Object.keys(OUTCOME_STATUS).sort()).toEqual([...failureKinds].sort());
  });
  it("never answers 401 for the vendor refusing the worker's own credentials", () => {
    expect(OUTCOME_STATUS.auth).toBe(502);
  });
});

describe("a failed send's problem", () => {
  it("tells a trusted caller the library's message, code and failed recipients, never the raw body", () => {
    const problem = outcomeProblem(rejected, "caller");
    expect(problem).toEqual({
      type: "urn:txgate:problem:rejected",
      title: "The email service refused the message",
      status: 422,
      detail: "400 template 9 not found",
      kind: "rejected",
      retryable: false,
      delivery: "partial",
      vendor: "listmonk",
      failedRecipients: ["x@example.com"],
    });
  });
  it("tells a browser only the kind, retryable and delivery", () => {
    const problem = outcomeProblem(rejected, "browser");
    expect(JSON.stringify(problem)).not.toMatch(/template 9|x@example|listmonk|10\.0\.0\.5/);
    expect(problem).toMatchObject({ kind: "rejected", retryable: false, delivery: "partial" });
  });
  it("is served as application/problem+json with Retry-After when known", async () => {
    const response = problemResponse(new Refusal("rate_limited", "slow down", { retryAfter: 60 }).problem);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("retry-after")).toBe("60");
    expect(await response.json()).toMatchObject({ status: 429, kind: "rate_limited", retryable: true, delivery: "not_sent" });
  });
});

describe("attachments in JSON", () => {
  it("decode <field>Base64 into bytes for each vendor's attachment field", () => {
    const listmonk = decodeAttachments(VENDORS.listmonk, { attachments: [{ filename: "a", contentBase64: "aGk=" }] }) as { attachments: { content: Uint8Array }[] };
    expect([...listmonk.attachments[0]!.content]).toEqual([104, 105]);
    const expertsender = decodeAttachments(VENDORS.expertsender, { Attachments: [{ FileName: "a", ContentBase64: "aGk=" }] }) as { Attachments: { Content: Uint8Array }[] };
    expect(expertsender.Attachments[0]!.Content).toBeInstanceOf(Uint8Array);
    const everlytic = decodeAttachments(VENDORS.everlytic, { attachments: { data: [{ filename: "a", contentBase64: "aGk=" }] } }) as { attachments: { data: { content: Uint8Array }[] } };
    expect(everlytic.attachments.data[0]!.content).toBeInstanceOf(Uint8Array);
  });
  it("refuse both forms at once, and invalid base64", () => {
    expect(() => decodeAttachments(VENDORS.listmonk, { attachments: [{ content: "x", contentBase64: "aGk=" }] })).toThrow(Refusal);
    expect(() => decodeAttachments(VENDORS.listmonk, { attachments: [{ contentBase64: "a b" }] })).toThrow(Refusal);
  });
  it("are found where each vendor's capability table says, for every vendor that takes attachments", () => {
    for (const vendor of VENDOR_NAMES) {
      const { attachments, nativeAttachments } = VENDORS[vendor].capabilities;
      expect(nativeAttachments !== undefined, vendor).toBe(attachments);
    }
  });
  it("leave everything else as it is", () => {
    expect(decodeAttachments(VENDORS.acton, { templateId: "t" })).toEqual({ templateId: "t" });
    expect(decodeAttachments(VENDORS.listmonk, { template_id: 2 })).toEqual({ template_id: 2 });
  });
});
