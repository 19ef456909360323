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

/**
 * One failure of each kind, as the library returns it, with the HTTP answer the worker gives for it: the status,
 * and the whole body each audience reads. Written out, so that no kind's status or body changes unnoticed.
 */
const base = { ok: false as const, vendor: "acton" as const, attempts: 1 };
const everyKind: { readonly failure: Failure; readonly status: number; readonly title: string; readonly caller?: Record<string, unknown> }[] = [
  {
    failure: { ...base, attempts: 0, kind: "validation", issues: [{ path: "templateId", rule: "required", message: "is required" }], retryable: false, delivery: "not_sent", message: "Invalid input, nothing sent: templateId: is required" },
    status: 422,
    title: "Invalid message",
    caller: { issues: [{ path: "templateId", rule: "required", message: "is required" }] },
  },
  { failure: { ...base, kind: "rejected", status: 400, vendorCode: "BAD_TEMPLATE", retryable: false, delivery: "not_sent", message: "400 no such template" }, status: 422, title: "The email service refused the message", caller: { vendorCode: "BAD_TEMPLATE" } },
  { failure: { ...base, kind: "rate_limited", status: 429, retryAfter: 7, retryable: true, delivery: "not_sent", message: "429 slow down" }, status: 429, title: "The email service asked to slow down" },
  { failure: { ...base, kind: "auth", status: 401, retryable: false, delivery: "not_sent", message: "401 bad credentials" }, status: 502, title: "The email service refused the worker's credentials" },
  { failure: { ...base, kind: "server_error", status: 500, retryable: false, delivery: "unknown", message: "500 internal error" }, status: 502, title: "The email service failed" },
  { failure: { ...base, kind: "network", cause: { name: "TypeError", message: "connection reset" }, retryable: false, delivery: "unknown", message: "The connection to acton failed; the email may have been sent" }, status: 502, title: "The email service could not be reached" },
  { failure: { ...base, kind: "timeout", timeoutMs: 10_000, retryable: false, delivery: "unknown", message: "No answer from acton within 10000 ms; the email may have been sent" }, status: 504, title: "The email service did not answer in time" },
  { failure: { ...base, attempts: 0, kind: "token_store", cause: { name: "Error", message: "storage down" }, retryable: true, delivery: "not_sent", message: "The token store failed: storage down" }, status: 503, title: "The worker's token store failed" },
  { failure: { ...base, attempts: 0, kind: "aborted", retryable: false, delivery: "not_sent", message: "Aborted before the request was sent" }, status: 503, title: "The send was cancelled" },
  { failure: { ...base, attempts: 0, kind: "idempotency_in_flight", retryAfter: 2, retryable: true, delivery: "not_sent", message: "still being sent" }, status: 409, title: "A request with this idempotency key is still being sent" },
  { failure: { ...base, attempts: 0, kind: "idempotency_key_reused", retryable: false, delivery: "not_sent", message: "key used for another request" }, status: 422, title: "This idempotency key was used for a different request" },
];

describe("every failure kind's HTTP answer", () => {
  it("the table covers every kind", () => {
    expect(everyKind.map((row) => row.failure.kind).sort()).toEqual([...failureKinds].sort());
  });

  for (const { failure, status, title, caller } of everyKind) {
    it(`${failure.kind}: ${status}, with its kind, retryable, delivery and Retry-After, to a caller and to a browser`, async () => {
      const retryAfter = "retryAfter" in failure && failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {};
      const common = { type: `urn:txgate:problem:${failure.kind}`, title, status, kind: failure.kind, retryable: failure.retryable, delivery: failure.delivery, ...retryAfter };

      const toCaller = problemResponse(outcomeProblem(failure, "caller"));
      expect(toCaller.status).toBe(status);
      expect(toCaller.headers.get("content-type")).toBe("application/problem+json");
      expect(toCaller.headers.get("retry-after")).toBe("retryAfter" in retryAfter ? String(retryAfter.retryAfter) : null);
      expect(await toCaller.json()).toEqual({ ...common, detail: failure.message, vendor: "acton", ...caller });

      const toBrowser = problemResponse(outcomeProblem(failure, "browser"));
      expect(toBrowser.status).toBe(status);
      expect(await toBrowser.json()).toEqual({ ...common, detail: title });
    });
  }
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
