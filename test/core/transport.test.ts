/**
 * The one transport every vendor client is built on (src/core/transport.ts): what a vendor hands it, and what a
 * caller then sees, with a made-up vendor so that no vendor's own rules are in the way.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { withHeader } from "../../src/core/http-client.js";
import { memoryIdempotencyLedger } from "../../src/core/idempotency.js";
import type { Answer, Outcome } from "../../src/core/outcome.js";
import { Redactor } from "../../src/core/redact.js";
import { defaultFailure } from "../../src/core/response.js";
import { renewedOnRefusal, type CredentialSource } from "../../src/core/credential-source.js";
import { createTransport, type VendorTransport } from "../../src/core/transport.js";

type Paths = { "/send": unknown };
const SECRET = "s3cret-key-123";
const Message = v.strictObject({ to: v.string() });
type Message = v.InferOutput<typeof Message>;

function fakeVendor(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer(request);
  };
  return { requests, fetch };
}

const mapResponse = (status: number, body: unknown, headers: Headers): Answer<unknown> =>
  status === 200 ? { ok: true, status, data: body } : defaultFailure(status, { details: body }, headers);

function transport(fetch: (request: Request) => Promise<Response>, overrides: Partial<VendorTransport<Paths, Message, Message, unknown>> = {}) {
  return createTransport<Paths, Message, Message, unknown>({
    vendor: "listmonk",
    options: { baseUrl: "https://vendor.test", fetch, retry: { retries: 0 } },
    redactor: new Redactor().add(SECRET),
    authorization: withHeader("Authorization", `Key ${SECRET}`),
    schema: Message,
    buildRequest: (message) => ({ path: "/send", body: message, recipients: [message.to] }),
    mapResponse,
    loadConverter: async () => () => ({ success: false, issues: [{ path: "template", rule: "made_up", message: "no converter here" }] }),
    ...overrides,
  });
}

describe("the send steps", () => {
  it.each([
    ["a line break", `Key ${SECRET}\r\nX-Injected: 1`],
    ["a NUL", `Key ${SECRET}\u0000`],
    ["a character fetch cannot send", `Key ${SECRET}\u2028`],
  ])("a header value with %s fails before fetch: not_sent, the vendor never called, the value not quoted", async (_, value) => {
    const vendor = fakeVendor(() => Response.json({ queued: true }));
    const outcome = await transport(vendor.fetch, { authorization: withHeader("Authorization", value) }).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ ok: false, kind: "network", delivery: "not_sent", retryable: false });
    expect(vendor.requests).toEqual([]);
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
  });

  it("sends a valid message once, authorised by the vendor's hook, and maps the answer", async () => {
    const vendor = fakeVendor(() => Response.json({ queued: true }));
    const outcome = await transport(vendor.fetch).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk", attempts: 1, data: { queued: true } });
    expect(vendor.requests).toHaveLength(1);
    expect(vendor.requests[0]!.headers.get("authorization")).toBe(`Key ${SECRET}`);
    expect(await vendor.requests[0]!.json()).toEqual({ to: "ada@example.com" });
  });

  it("refuses bad input with a validation outcome and sends nothing, even when reading it throws", async () => {
    const vendor = fakeVendor(() => Response.json({}));
    const send = transport(vendor.fetch).send;
    expect(await send({ to: 1 } as never)).toMatchObject({ kind: "validation", delivery: "not_sent", issues: [{ path: "to" }] });
    const hostile = new Proxy({}, { get: () => { throw new Error(SECRET); }, ownKeys: () => { throw new Error(SECRET); } });
    const outcome = await send(hostile as never);
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ rule: "unreadable_input" }] });
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
    expect(vendor.requests).toHaveLength(0);
  });

  it("makes a request builder that fails an attachment_readable issue where the vendor says, and sends nothing", async () => {
    const vendor = fakeVendor(() => Response.json({}));
    const send = transport(vendor.fetch, {
      attachmentsPath: "attachments.data",
      buildRequest: async () => {
        throw new DOMException("the file changed on disk", "NotReadableError");
      },
    }).send;
    expect(await send({ to: "ada@example.com" })).toMatchObject({
      kind: "validation",
      delivery: "not_sent",
      issues: [{ path: "attachments.data", rule: "attachment_readable" }],
    });
    expect(vendor.requests).toHaveLength(0);
  });

  it("makes a body writer that cannot load a network failure before sending, retryable as any such", async () => {
    const vendor = fakeVendor(() => Response.json({}));
    const outcome = await transport(vendor.fetch, { loadBodySerializer: () => Promise.reject(new TypeError("chunk lost")) }).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent" });
    expect(vendor.requests).toHaveLength(0);
  });

  it("redacts the vendor's secrets out of what it answers", async () => {
    const vendor = fakeVendor(() => Response.json({ echo: `Key ${SECRET}` }, { status: 400 }));
    const outcome = await transport(vendor.fetch).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "rejected" });
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
  });

  it("redacts a credential a vendor echoes in an answer it accepted with", async () => {
    const vendor = fakeVendor(() => Response.json({ queued: true, note: `authorised by Key ${SECRET}` }));
    const outcome = await transport(vendor.fetch).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ ok: true, data: { queued: true } });
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
  });

  it("ends in an outcome when the vendor answers JSON nested thousands deep", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const vendor = fakeVendor(() => new Response(deep, { status: 400, headers: { "Content-Type": "application/json" } }));
    const outcome = await transport(vendor.fetch).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "rejected", delivery: "not_sent" });
  });

  it("answers a repeated idempotency key from the ledger without sending again", async () => {
    const vendor = fakeVendor(() => Response.json({ queued: true }));
    const ledger = memoryIdempotencyLedger();
    const keyed = createTransport<Paths, Message, Message, unknown>({
      vendor: "listmonk",
      options: { baseUrl: "https://vendor.test", fetch: vendor.fetch, idempotencyLedger: ledger },
      redactor: new Redactor(),
      authorization: () => {},
      schema: Message,
      buildRequest: (message) => ({ path: "/send", body: message }),
      mapResponse,
      loadConverter: async () => () => ({ success: false, issues: [] }),
    });
    const first = await keyed.send({ to: "ada@example.com" }, { idempotencyKey: "order-1234-shipped" });
    const again = await keyed.send({ to: "ada@example.com" }, { idempotencyKey: "order-1234-shipped" });
    expect(again).toEqual(first);
    expect(vendor.requests).toHaveLength(1);
  });

  it("gives sendMessage the converter's issues as a validation outcome, nothing sent", async () => {
    const vendor = fakeVendor(() => Response.json({}));
    const outcome = await transport(vendor.fetch).sendMessage({ template: 1, to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "template", rule: "made_up" }] });
    expect(vendor.requests).toHaveLength(0);
  });
});

describe("credentials with a lifecycle", () => {
  function tokens(): CredentialSource & { issued: string[]; refused: string[] } {
    const issued: string[] = [];
    const refused: string[] = [];
    return {
      issued,
      refused,
      async next() {
        const token = `token-${issued.length + 1}`;
        issued.push(token);
        return { authorize: withHeader("Authorization", `Bearer ${token}`), refuse: () => refused.push(token) };
      },
      refusedBy: (outcome: Outcome<unknown>) => !outcome.ok && outcome.kind === "auth",
    };
  }

  it("after a refused credential, gets one new credential and tries once more", async () => {
    const vendor = fakeVendor((request) =>
      request.headers.get("authorization") === "Bearer token-2" ? Response.json({ sent: true }) : new Response("{}", { status: 401 }),
    );
    const source = tokens();
    const outcome = await transport(vendor.fetch, { authorization: renewedOnRefusal(source) }).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(source.refused).toEqual(["token-1"]);
    expect(vendor.requests.map((request) => request.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("takes a second refusal as the answer", async () => {
    const vendor = fakeVendor(() => new Response("{}", { status: 401 }));
    const source = tokens();
    const outcome = await transport(vendor.fetch, { authorization: renewedOnRefusal(source) }).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "auth", attempts: 2 });
    expect(source.issued).toHaveLength(2);
  });

  it("ends the send with the source's failure, redacted, when no credential can be had", async () => {
    const vendor = fakeVendor(() => Response.json({}));
    const failure = { ok: false, vendor: "acton", attempts: 0, kind: "auth", status: 401, retryable: false, delivery: "not_sent", message: `login refused for ${SECRET}` } as const;
    const outcome = await transport(vendor.fetch, { authorization: renewedOnRefusal({ next: async () => failure, refusedBy: () => false }) }).send({ to: "ada@example.com" });
    expect(outcome).toMatchObject({ kind: "auth", delivery: "not_sent", attempts: 0 });
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
    expect(vendor.requests).toHaveLength(0);
  });
});
