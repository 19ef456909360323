/**
 * Failover as a matrix: each outcome kind × where it happens in the list of vendor templates. The next vendor is
 * tried only after a failure that proves nothing was sent; the outcome is the last vendor's, with the earlier
 * failures in `failover`, and exactly the vendors expected were called.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { createMailer, defineCatalogue, type TemplateMessageClient, type VendorRoute } from "../../src/catalogue/index.ts";
import type { TemplateMessage } from "../../src/core/message.ts";
import type { Failure, Outcome, VendorName } from "../../src/core/outcome.ts";
import type { CallOptions } from "../../src/core/options.ts";
import { TxgateConfigError } from "../../src/core/credentials.ts";
import { VENDOR_LIST, VENDOR_NAMES } from "../../src/vendors/registry.ts";

type Answer = Omit<Outcome<unknown>, "vendor">;
const base = { ok: false, message: "stub", attempts: 1 } as const;
const answers: Record<string, Answer> = {
  sent: { ok: true, kind: "sent", status: 200, data: { stub: true }, attempts: 1 },
  validation: { ...base, kind: "validation", issues: [{ path: "to.1", rule: "unsupported_by_vendor", message: "stub" }], retryable: false, delivery: "not_sent", attempts: 0 },
  auth: { ...base, kind: "auth", status: 401, retryable: false, delivery: "not_sent" },
  rate_limited: { ...base, kind: "rate_limited", status: 429, retryAfter: 1, retryable: true, delivery: "not_sent" },
  "rejected not_sent": { ...base, kind: "rejected", status: 400, retryable: false, delivery: "not_sent" },
  "rejected partial": { ...base, kind: "rejected", status: 400, retryable: false, delivery: "partial", failedRecipients: ["b@example.com"] },
  "server_error not_sent": { ...base, kind: "server_error", status: 503, retryable: true, delivery: "not_sent" },
  "server_error unknown": { ...base, kind: "server_error", status: 500, retryable: false, delivery: "unknown" },
  "network not_sent": { ...base, kind: "network", cause: { name: "TypeError", message: "refused" }, retryable: true, delivery: "not_sent" },
  "network unknown": { ...base, kind: "network", cause: { name: "TypeError", message: "reset" }, retryable: false, delivery: "unknown" },
  "timeout unknown": { ...base, kind: "timeout", timeoutMs: 15000, retryable: false, delivery: "unknown" },
  "timeout not_sent": { ...base, kind: "timeout", timeoutMs: 15000, retryable: true, delivery: "not_sent" },
  "aborted not_sent": { ...base, kind: "aborted", retryable: false, delivery: "not_sent" },
  "aborted unknown": { ...base, kind: "aborted", retryable: false, delivery: "unknown" },
  token_store: { ...base, kind: "token_store", cause: { name: "Error", message: "kv down" }, retryable: true, delivery: "not_sent" },
  idempotency_in_flight: { ...base, kind: "idempotency_in_flight", retryAfter: 1, retryable: true, delivery: "not_sent" },
  idempotency_key_reused: { ...base, kind: "idempotency_key_reused", retryable: false, delivery: "not_sent" },
} as Record<string, Answer>;

/** Whether the next vendor is tried after this answer. */
const movesOn: Record<keyof typeof answers, boolean> = {
  sent: false,
  validation: true,
  auth: true,
  rate_limited: true,
  "rejected not_sent": true,
  "rejected partial": false,
  "server_error not_sent": true,
  "server_error unknown": false,
  "network not_sent": true,
  "network unknown": false,
  "timeout unknown": false,
  "timeout not_sent": true,
  "aborted not_sent": false,
  "aborted unknown": false,
  token_store: true,
  idempotency_in_flight: false,
  idempotency_key_reused: false,
};

/** A route to each registered vendor (a template id of its type), with the ones these tests name spelled out. */
const ROUTES = {
  ...(Object.fromEntries(VENDOR_LIST.map(({ name, templateId }) => [name, { vendor: name, template: templateId === "number" ? 1 : "t-1" }])) as Record<VendorName, VendorRoute>),
  acton: { vendor: "acton", template: "t-0099" },
  listmonk: { vendor: "listmonk", template: 3 },
  everlytic: { vendor: "everlytic", template: "order-shipped" },
  expertsender: { vendor: "expertsender", template: 123 },
} as const satisfies Record<VendorName, VendorRoute>;

/** Stub clients answering in turn; `calls` records which vendor got which message. */
function stubs(script: Partial<Record<VendorName, Answer>>) {
  const calls: { vendor: VendorName; message: TemplateMessage; call?: CallOptions }[] = [];
  const client = (vendor: VendorName): TemplateMessageClient => ({
    async sendMessage(message, call) {
      calls.push({ vendor, message, call });
      return { ...script[vendor]!, vendor } as Outcome<unknown>;
    },
  });
  return { calls, clients: Object.fromEntries(VENDOR_NAMES.map((vendor) => [vendor, client(vendor)])) as Record<VendorName, TemplateMessageClient> };
}

function mailerFor(vendors: readonly VendorName[], script: Partial<Record<VendorName, Answer>>) {
  const catalogue = defineCatalogue({
    orderShipped: { variables: v.object({ orderId: v.string() }), via: vendors.map((vendor): VendorRoute => ROUTES[vendor]) as [VendorRoute, ...VendorRoute[]] },
  });
  const { calls, clients } = stubs(script);
  return { calls, mail: createMailer(catalogue, clients) };
}

const send = (mail: ReturnType<typeof mailerFor>["mail"]) => mail.send("orderShipped", { to: "a@example.com", data: { orderId: "1" } });
const moving = answers.rate_limited!;
const kinds = Object.keys(answers);

describe("failover matrix: outcome kind × position", () => {
  describe.each(kinds)("%s", (name) => {
    const answer = answers[name]!;
    const next = movesOn[name]!;

    it("first of two: the second vendor is called only if the first proved nothing was sent", async () => {
      const { calls, mail } = mailerFor(["acton", "listmonk"], { acton: answer, listmonk: answers.sent });
      const outcome = await send(mail);
      expect(calls.map((call) => call.vendor)).toEqual(next ? ["acton", "listmonk"] : ["acton"]);
      if (next) {
        expect(outcome).toMatchObject({ ok: true, vendor: "listmonk" });
        expect(outcome.failover).toEqual([{ ...answer, vendor: "acton" }]);
      } else {
        expect(outcome).toEqual({ ...answer, vendor: "acton", failover: [] });
      }
    });

    it("second of two: the first failure is kept; the second's answer is the outcome", async () => {
      const { calls, mail } = mailerFor(["acton", "listmonk"], { acton: moving, listmonk: answer });
      const outcome = await send(mail);
      expect(calls.map((call) => call.vendor)).toEqual(["acton", "listmonk"]);
      expect(outcome).toEqual({ ...answer, vendor: "listmonk", failover: [{ ...moving, vendor: "acton" }] });
    });

    it("middle of three: the third vendor is called only if the middle one proved nothing was sent", async () => {
      const { calls, mail } = mailerFor(["everlytic", "acton", "expertsender"], { everlytic: moving, acton: answer, expertsender: answers.sent });
      const outcome = await send(mail);
      expect(calls.map((call) => call.vendor)).toEqual(next ? ["everlytic", "acton", "expertsender"] : ["everlytic", "acton"]);
      if (next) {
        expect(outcome).toMatchObject({ ok: true, vendor: "expertsender" });
        expect(outcome.failover).toEqual([
          { ...moving, vendor: "everlytic" },
          { ...answer, vendor: "acton" },
        ]);
      } else {
        expect(outcome).toEqual({ ...answer, vendor: "acton", failover: [{ ...moving, vendor: "everlytic" }] });
      }
    });
  });
});

describe("what failover never does", () => {
  it("sends nothing when the template's variables are invalid: no vendor is called, the issues are under data", async () => {
    const { calls, mail } = mailerFor(["acton", "listmonk"], { acton: answers.sent, listmonk: answers.sent });
    // @ts-expect-error orderId must be a string
    const outcome = await mail.send("orderShipped", { to: "a@example.com", data: { orderId: 1 } });
    expect(outcome).toMatchObject({ ok: false, kind: "validation", vendor: "acton", delivery: "not_sent", failover: [] });
    expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual([["data.orderId", "string"]]);
    expect(calls).toEqual([]);
  });

  it("refuses a message whose reading throws (JavaScript callers) as unreadable_input, calling no vendor", async () => {
    const { calls, mail } = mailerFor(["acton", "listmonk"], { acton: answers.sent, listmonk: answers.sent });
    const hostile = Object.defineProperty({ to: "a@example.com" }, "data", { enumerable: true, get: () => { throw new Error("boom"); } });
    const outcome = await mail.send("orderShipped", hostile as never);
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent", issues: [{ path: "", rule: "unreadable_input" }], failover: [] });
    expect(await mail.send("orderShipped", null as never)).toMatchObject({ ok: false, kind: "validation", issues: [{ rule: "unreadable_input" }] });
    expect(calls).toEqual([]);
  });

  it("refuses a template name not in the catalogue (JavaScript callers) naming the first declared vendor, calling none", async () => {
    const { calls, mail } = mailerFor(["expertsender", "listmonk"], { expertsender: answers.sent, listmonk: answers.sent });
    const outcome = await mail.send("noSuchTemplate" as never, { to: "a@example.com", data: { orderId: "1" } } as never);
    expect(outcome).toMatchObject({ ok: false, kind: "validation", vendor: "expertsender", delivery: "not_sent", issues: [{ path: "", rule: "unknown_template" }], failover: [] });
    expect(calls).toEqual([]);
  });

  it("refuses a catalogue that declares no template when the mailer is made, not at its first send", () => {
    expect(() => createMailer(defineCatalogue({}), {})).toThrow(TxgateConfigError);
  });

  it("ends with the last failure when every vendor fails with nothing sent, the earlier ones in order", async () => {
    const { calls, mail } = mailerFor(["acton", "listmonk", "everlytic"], { acton: moving, listmonk: answers.auth, everlytic: answers["server_error not_sent"] });
    const outcome = await send(mail);
    expect(calls.map((call) => call.vendor)).toEqual(["acton", "listmonk", "everlytic"]);
    expect(outcome).toEqual({
      ...answers["server_error not_sent"],
      vendor: "everlytic",
      failover: [
        { ...moving, vendor: "acton" },
        { ...answers.auth, vendor: "listmonk" },
      ],
    });
  });

  it("treats a client that throws as unknown: the next vendor is not called", async () => {
    const catalogue = defineCatalogue({ t: { variables: v.object({}), via: [ROUTES.acton, ROUTES.listmonk] } });
    const listmonk = stubs({ listmonk: answers.sent });
    const mail = createMailer(catalogue, {
      acton: { sendMessage: () => Promise.reject(new Error("secret-token-in-message")) },
      listmonk: listmonk.clients.listmonk,
    });
    const outcome = await mail.send("t", { to: "a@example.com", data: {} });
    expect(outcome).toMatchObject({ ok: false, kind: "network", vendor: "acton", delivery: "unknown", failover: [] });
    expect(JSON.stringify(outcome)).not.toContain("secret-token");
    expect(listmonk.calls).toEqual([]);
  });
});

describe("what each vendor gets", () => {
  it("the route's template, the declaration's and route's fields under the caller's, and the validated variables", async () => {
    const catalogue = defineCatalogue({
      orderShipped: {
        variables: v.object({ orderId: v.string() }),
        message: { transactional: true, subject: "Shipped" },
        via: [{ vendor: "acton", template: "t-0099", message: { tracking: { opens: false, clicks: false } } }, ROUTES.listmonk],
      },
    });
    const { calls, clients } = stubs({ acton: answers["rejected not_sent"], listmonk: answers.sent });
    const mail = createMailer(catalogue, { acton: clients.acton, listmonk: clients.listmonk });
    await mail.send("orderShipped", {
      to: "a@example.com",
      subject: "Your order shipped",
      data: { orderId: "1" },
      byVendor: { acton: { externalId: "order-1" } },
    });
    expect(calls.map((call) => call.message)).toEqual([
      {
        template: "t-0099",
        to: "a@example.com",
        transactional: true,
        subject: "Your order shipped",
        tracking: { opens: false, clicks: false },
        externalId: "order-1",
        data: { orderId: "1" },
      },
      { template: 3, to: "a@example.com", transactional: true, subject: "Your order shipped", data: { orderId: "1" } },
    ]);
  });

  it("a route's data function makes that vendor's data from the checked variables, and its native fields reach only it", async () => {
    const escape = (variables: Readonly<Record<string, unknown>>) => Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value).replace(/&/g, "&#38;")]));
    const catalogue = defineCatalogue({
      t: {
        variables: v.strictObject({ name: v.pipe(v.string(), v.maxLength(4)) }),
        via: [{ vendor: "expertsender", template: 123, data: escape }, { vendor: "listmonk", template: 3, message: { native: { subscriber_mode: "fallback" } } }],
      },
    });
    const { calls, clients } = stubs({ expertsender: moving, listmonk: answers.sent });
    const mail = createMailer(catalogue, { expertsender: clients.expertsender, listmonk: clients.listmonk });
    // Checked before the data function: "A&&B" escaped is longer than the schema's 4, and still sent.
    await mail.send("t", { to: "a@example.com", data: { name: "A&&B" } });
    expect(calls.map((call) => call.message)).toEqual([
      { template: 123, to: "a@example.com", data: { name: "A&#38;&#38;B" } },
      { template: 3, to: "a@example.com", native: { subscriber_mode: "fallback" }, data: { name: "A&&B" } },
    ]);
  });

  it("a data function that throws is a validation failure for that vendor (nothing sent), and the next is tried", async () => {
    const catalogue = defineCatalogue({
      t: { variables: v.object({}), via: [{ vendor: "expertsender", template: 123, data: () => { throw new Error("bug"); } }, ROUTES.listmonk] },
    });
    const { calls, clients } = stubs({ listmonk: answers.sent });
    const outcome = await createMailer(catalogue, { expertsender: clients.expertsender, listmonk: clients.listmonk }).send("t", { to: "a@example.com", data: {} });
    expect(outcome).toMatchObject({ ok: true, vendor: "listmonk", failover: [{ kind: "validation", vendor: "expertsender", delivery: "not_sent", issues: [{ path: "data", rule: "data_function" }] }] });
    expect(calls.map((call) => call.vendor)).toEqual(["listmonk"]);
  });

  it("an idempotency key per vendor, so a repeated call replays each vendor's own outcome", async () => {
    const { calls, mail } = mailerFor(["acton", "listmonk"], { acton: moving, listmonk: answers.sent });
    const signal = new AbortController().signal;
    await mail.send("orderShipped", { to: "a@example.com", data: { orderId: "1" } }, { idempotencyKey: "order-1-shipped", signal });
    expect(calls.map((call) => call.call)).toEqual([
      { idempotencyKey: "order-1-shipped.acton", signal },
      { idempotencyKey: "order-1-shipped.listmonk", signal },
    ]);
  });

  it("a vendor without a client (JavaScript callers) is a validation failure for that vendor, and the next is tried", async () => {
    const catalogue = defineCatalogue({ t: { variables: v.object({}), via: [ROUTES.acton, ROUTES.listmonk] } });
    const { calls, clients } = stubs({ listmonk: answers.sent });
    const mail = createMailer(catalogue, { listmonk: clients.listmonk } as never);
    const outcome = await mail.send("t", { to: "a@example.com", data: {} });
    expect(outcome).toMatchObject({ ok: true, vendor: "listmonk", failover: [{ kind: "validation", vendor: "acton", issues: [{ rule: "no_client" }] }] });
    expect(calls.map((call) => call.vendor)).toEqual(["listmonk"]);
  });
});
