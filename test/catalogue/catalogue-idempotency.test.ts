/**
 * One idempotency key covers a whole catalogue call, failover included (issue 17, item 1). Through the real Act-On
 * and listmonk clients against txgate/testing's fakes: Act-On answers 503, listmonk sends; Act-On recovers; the same
 * call under the same key sends nothing and returns the first call's outcome, and the key with other data is refused.
 */
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import { createActOnClient } from "../../src/acton/index.ts";
import { createMailer, defineCatalogue, type TemplateMessageClient } from "../../src/catalogue/index.ts";
import { memoryIdempotencyLedger, type IdempotencyLedger } from "../../src/core/idempotency.ts";
import type { Outcome } from "../../src/core/outcome.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import { ACTON_FAKE_ACCOUNT, createActOnFake, createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.ts";

const catalogue = defineCatalogue({
  orderShipped: {
    variables: v.object({ orderId: v.string() }),
    message: { transactional: true },
    via: [
      { vendor: "acton", template: "t-0099", message: { tracking: { opens: false, clicks: false } } },
      { vendor: "listmonk", template: 3 },
    ],
  },
});

// The Act-On client allows 5 password grants an hour per base URL in a process: one origin per setup.
let origins = 0;
const common = { retry: { retries: 0 }, timeoutMs: 1000 } as const;

/** Act-On and listmonk fakes behind real clients; the clients and the mailer share one ledger, as they do by default. */
function setup(ledger: IdempotencyLedger = memoryIdempotencyLedger()) {
  const actonFake = createActOnFake();
  const listmonkFake = createListmonkFake();
  const acton = createActOnClient({ baseUrl: `https://acton-${++origins}.test`, ...ACTON_FAKE_ACCOUNT, fetch: actonFake.fetch, idempotencyLedger: ledger, ...common });
  const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonkFake.fetch, idempotencyLedger: ledger, ...common });
  const mail = createMailer(catalogue, { acton, listmonk }, { idempotencyLedger: ledger });
  /** Every email either vendor accepted. */
  const emails = () => [...actonFake.outbox, ...listmonkFake.outbox].filter((message) => message.accepted);
  return { actonFake, listmonkFake, mail, emails };
}

const order = { to: "jane@example.com", data: { orderId: "1234" }, byVendor: { acton: { externalId: "order-1234" } } };
const K = { idempotencyKey: "order-1234-shipped" };

describe("a catalogue call's idempotency key covers the whole call", () => {
  it("Act-On 503, listmonk sends; once Act-On recovers, the same call with the key sends nothing and returns the first outcome", async () => {
    const { actonFake, listmonkFake, mail, emails } = setup();
    actonFake.failNext("503");
    const first = await mail.send("orderShipped", order, K);
    expect(first).toMatchObject({ ok: true, vendor: "listmonk", failover: [{ kind: "server_error", vendor: "acton", delivery: "not_sent" }] });
    expect(emails().map((email) => email.vendor)).toEqual(["listmonk"]);

    // Act-On now answers normally: without the mailer's key it would be tried first again, and send.
    const again = await mail.send("orderShipped", { byVendor: { acton: { externalId: "order-1234" } }, data: { orderId: "1234" }, to: "jane@example.com" }, K);
    expect(again).toEqual(first);
    expect(emails().map((email) => email.vendor)).toEqual(["listmonk"]);
    expect(actonFake.delivered).toEqual([]);
    expect(listmonkFake.outbox).toHaveLength(1);
  });

  it("the same key with other data, another recipient or another template is idempotency_key_reused, nothing sent", async () => {
    const { actonFake, mail, emails } = setup();
    actonFake.failNext("503");
    await mail.send("orderShipped", order, K);
    const others = [
      await mail.send("orderShipped", { ...order, data: { orderId: "9999" } }, K),
      await mail.send("orderShipped", { ...order, to: "john@example.com" }, K),
      await mail.send("orderShipped", { ...order, subject: "Another subject" }, K),
    ];
    for (const outcome of others) {
      expect(outcome).toMatchObject({ ok: false, kind: "idempotency_key_reused", delivery: "not_sent", retryable: false, failover: [] });
    }
    expect(emails()).toHaveLength(1);
  });

  it("a repeat while the first call runs is idempotency_in_flight and asks no vendor", async () => {
    let answer!: (outcome: Outcome<unknown>) => void;
    const calls: string[] = [];
    const slow: TemplateMessageClient = {
      sendMessage: (message) => {
        calls.push(String(message.template));
        return new Promise((resolve) => (answer = resolve));
      },
    };
    const mail = createMailer(catalogue, { acton: slow, listmonk: slow }, { idempotencyLedger: memoryIdempotencyLedger() });
    const first = mail.send("orderShipped", order, K);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const during = await mail.send("orderShipped", order, K);
    expect(during).toMatchObject({ ok: false, kind: "idempotency_in_flight", delivery: "not_sent", retryable: true, retryAfter: 1, failover: [] });
    answer({ ok: true, kind: "sent", vendor: "acton", status: 200, data: {}, attempts: 1 });
    expect(await first).toMatchObject({ ok: true, vendor: "acton" });
    expect(await mail.send("orderShipped", order, K)).toMatchObject({ ok: true, vendor: "acton", failover: [] });
    expect(calls).toEqual(["t-0099"]);
  });

  it("a call whose every vendor failed with nothing sent frees the key: the same call may be tried again, and then holds it", async () => {
    const { actonFake, listmonkFake, mail, emails } = setup();
    actonFake.failNext("503");
    listmonkFake.failNext("503");
    const failed = await mail.send("orderShipped", order, K);
    expect(failed).toMatchObject({ ok: false, kind: "server_error", vendor: "listmonk", delivery: "not_sent", failover: [{ vendor: "acton" }] });
    expect(emails()).toEqual([]);

    const retried = await mail.send("orderShipped", order, K);
    expect(retried).toMatchObject({ ok: true, vendor: "acton", failover: [] });
    expect(await mail.send("orderShipped", order, K)).toEqual(retried);
    expect(emails().map((email) => email.vendor)).toEqual(["acton"]);
  });

  it("an outcome that may have sent (unknown) holds the key: the repeat is answered with it and no vendor is asked", async () => {
    const { actonFake, mail, emails } = setup();
    actonFake.failNext("500");
    const first = await mail.send("orderShipped", order, K);
    expect(first).toMatchObject({ ok: false, vendor: "acton", delivery: "unknown", failover: [] });
    expect(await mail.send("orderShipped", order, K)).toEqual(first);
    expect(emails().map((email) => email.vendor)).toEqual(["acton"]);
  });

  it("without a ledger of its own the mailer uses the process's shared memory ledger", async () => {
    const actonFake = createActOnFake();
    const acton = createActOnClient({ baseUrl: `https://acton-${++origins}.test`, ...ACTON_FAKE_ACCOUNT, fetch: actonFake.fetch, ...common });
    const listmonkFake = createListmonkFake();
    const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonkFake.fetch, ...common });
    const mail = createMailer(catalogue, { acton, listmonk });
    const key = { idempotencyKey: `shared-ledger-${crypto.randomUUID()}` };
    actonFake.failNext("503");
    const first = await mail.send("orderShipped", order, key);
    expect(await createMailer(catalogue, { acton, listmonk }).send("orderShipped", order, key)).toEqual(first);
    expect(actonFake.delivered).toEqual([]);
    expect(listmonkFake.outbox).toHaveLength(1);
  });

  it("a malformed key or options object is refused before any vendor is asked", async () => {
    const { mail, emails } = setup();
    expect(await mail.send("orderShipped", order, { idempotencyKey: "short" })).toMatchObject({
      ok: false,
      kind: "validation",
      issues: [{ path: "idempotencyKey", rule: "idempotency_key" }],
      failover: [],
    });
    expect(await mail.send("orderShipped", order, { signal: "stop" } as never)).toMatchObject({ ok: false, kind: "validation", failover: [] });
    expect(emails()).toEqual([]);
  });
});
