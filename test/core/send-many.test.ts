/**
 * `sendMany` on a client and on the catalogue's mailer (issue 21, item 1): an outcome per message in input order,
 * never a throw; at most `concurrency` at once; every pacer and Act-On's token rules hold as for single sends; each
 * message's own idempotency key; an abort stops what has not started. Against txgate/testing's fakes, on a fake
 * clock (setTimeout and performance.now), so a 50-second batch takes no real time and the fakes' arrival times and
 * the pacer run on the same clock.
 */
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnMessage } from "../../src/acton/index.ts";
import { createMailer, defineCatalogue } from "../../src/catalogue/index.ts";
import { memoryIdempotencyLedger } from "../../src/core/idempotency.ts";
import type { Outcome } from "../../src/core/outcome.ts";
import { createPacer } from "../../src/core/pacing.ts";
import type { SendManyOutcome } from "../../src/core/send-many.ts";
import { createEverlyticClient } from "../../src/everlytic/index.ts";
import { createExpertSenderClient } from "../../src/expertsender/index.ts";
import { createListmonkClient, type ListmonkMessage } from "../../src/listmonk/index.ts";
import {
  ACTON_FAKE_ACCOUNT,
  createActOnFake,
  createEverlyticFake,
  createExpertSenderFake,
  createListmonkFake,
  EVERLYTIC_FAKE_CREDENTIALS,
  EXPERTSENDER_FAKE_API_KEY,
  LISTMONK_FAKE_CREDENTIALS,
} from "../../src/testing/index.ts";

// The Act-On client allows 5 password grants an hour per base URL in a process: one origin per test.
let origins = 0;

/** Settles `batch` by moving the fake clock on in small steps (nothing here waits for real time). */
async function drive<T>(batch: Promise<T>): Promise<T> {
  let settled = false;
  void batch.then(() => (settled = true));
  while (!settled) await vi.advanceTimersByTimeAsync(20);
  return batch;
}

/** The most arrivals in any window of `windowMs` ending at an arrival. */
function busiestWindow(arrivals: readonly number[], windowMs = 1000): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

beforeEach(async () => {
  // The batch code and the ledger load on first use: load them on the real clock, before the fake one is set.
  await import("../../src/core/send-many.ts");
  await import("../../src/core/idempotency.ts");
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance", "Date"], loopLimit: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** What message `index` of the mixed batch asks the fake for, and what its outcome must be. */
const plan = (index: number) =>
  index % 13 === 2
    ? { ask: "invalid", expect: { ok: false, kind: "validation", delivery: "not_sent", attempts: 0 } }
    : index % 17 === 3
      ? { ask: "fail+503", expect: { ok: false, kind: "server_error", delivery: "not_sent" } }
      : index % 23 === 5
        ? { ask: "fail+429", expect: { ok: false, kind: "rate_limited", delivery: "not_sent" } }
        : index % 31 === 7
          ? { ask: "fail+500", expect: { ok: false, kind: "server_error", delivery: "unknown" } }
          : index % 41 === 11
            ? { ask: "fail+timeout", expect: { ok: false, kind: "timeout", delivery: "unknown" } }
            : index % 19 === 4
              ? { ask: "fail+partial", expect: { ok: false, kind: "rejected", delivery: "partial", failedRecipients: [`fail+partial@m${index}.example.com`] } }
              : { ask: "send", expect: { ok: true, kind: "sent" } };

describe("a 1,000-message batch with mixed outcomes", () => {
  it("Act-On: an outcome per message in input order, never over 20 a second, one login for the whole batch", async () => {
    const fake = createActOnFake();
    const acton = createActOnClient({ baseUrl: `https://acton-${++origins}.test`, ...ACTON_FAKE_ACCOUNT, tokenStore: memoryTokenStore(), fetch: fake.fetch, retry: { retries: 0 }, timeoutMs: 500 });
    const message = (index: number): ActOnMessage => {
      const { ask } = plan(index);
      const to = ask === "invalid" ? `not an address ${index}` : ask.startsWith("fail+") && ask !== "fail+partial" ? `${ask}@m${index}.example.com` : `customer-${index}@example.com`;
      return {
        templateId: "t-1",
        envelope: { toAddress: to, ...(ask === "fail+partial" ? { ccAddressList: [`fail+partial@m${index}.example.com`] } : {}) },
        metadata: { transactional: true, externalId: `order-${index}` },
        actions: { trackOpens: false, trackClicks: false },
      };
    };
    const items = Array.from({ length: 1000 }, (_, index) => ({ message: message(index) }));
    const started = performance.now();
    const results = await drive(acton.sendMany(items, { concurrency: 16 }));

    expect(results).toHaveLength(1000);
    results.forEach((result, index) => expect(result.outcome, `message ${index}`).toMatchObject(plan(index).expect));
    expect(results.filter((result) => !result.started)).toEqual([]);
    // Every send request Act-On saw, accepted or not, within its cap; and the cap was what paced the batch.
    expect(fake.limitViolations).toEqual([]);
    expect(busiestWindow(fake.arrivals)).toBeLessThanOrEqual(20);
    expect(fake.arrivals.length).toBeGreaterThan(900);
    expect(performance.now() - started).toBeGreaterThanOrEqual((fake.arrivals.length / 20 - 1) * 1000);
    expect(fake.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
    const sent = results.filter((result) => result.outcome.ok).length;
    expect(fake.delivered.filter((email) => !email.to.startsWith("fail+"))).toHaveLength(sent + results.filter((_, index) => plan(index).ask === "fail+partial").length);
  });

  it("listmonk with a pacer of 10 a second: order kept, the pacer's cap never exceeded", async () => {
    const arrivals: number[] = [];
    const fake = createListmonkFake();
    const listmonk = createListmonkClient({
      baseUrl: "https://listmonk.test",
      ...LISTMONK_FAKE_CREDENTIALS,
      fetch: (request) => {
        arrivals.push(performance.now());
        return fake.fetch(request);
      },
      pacer: createPacer({ limit: 10 }),
      retry: { retries: 0 },
      timeoutMs: 500,
    });
    const message = (index: number): ListmonkMessage => {
      const { ask } = plan(index);
      if (ask === "invalid") return { template_id: 3, subscriber_emails: [`not an address ${index}`] };
      if (ask === "fail+partial") return { template_id: 3, subscriber_emails: [`customer-${index}@example.com`, `fail+partial@m${index}.example.com`], data: { index } };
      return { template_id: 3, subscriber_emails: [ask === "send" ? `customer-${index}@example.com` : `${ask}@m${index}.example.com`], data: { index } };
    };
    const results = await drive(listmonk.sendMany(Array.from({ length: 1000 }, (_, index) => ({ message: message(index) }))));

    expect(results).toHaveLength(1000);
    results.forEach((result, index) => expect(result.outcome, `message ${index}`).toMatchObject(plan(index).expect));
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(10);
    expect(arrivals.length).toBeGreaterThan(900);
    // Each accepted message reached listmonk with its own data: none was merged with another.
    const accepted = fake.outbox.filter((sent) => sent.accepted);
    expect(accepted.length).toBeGreaterThan(700);
    for (const sent of accepted) {
      const index = sent.data?.index as number;
      expect(sent.to.filter((to) => !to.startsWith("fail+")), `message ${index}`).toEqual(plan(index).ask === "send" || plan(index).ask === "fail+partial" ? [`customer-${index}@example.com`] : []);
    }
  });
});

describe("every client has sendMany", () => {
  const common = { retry: { retries: 0 }, timeoutMs: 500 } as const;
  type Batch = (to: readonly string[]) => Promise<SendManyOutcome<Outcome<unknown>>[]>;
  const vendors: Record<string, () => { fake: { outbox: { accepted: boolean }[] }; results: Batch }> = {
    everlytic: () => {
      const fake = createEverlyticFake();
      const client = createEverlyticClient({ baseUrl: "https://everlytic.test", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: fake.fetch, ...common });
      const message = (to: string) => ({ headers: { subject: "Hello", from: { email: "me@example.com" }, to: [{ email: to }] }, body: { html: "<p>Hello</p>" } });
      return { fake, results: (to: readonly string[]) => client.sendMany(to.map((address) => ({ message: message(address) }))) };
    },
    expertsender: () => {
      const fake = createExpertSenderFake();
      const client = createExpertSenderClient({ baseUrl: "https://expertsender.test", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: fake.fetch, ...common });
      return { fake, results: (to: readonly string[]) => client.sendMany(to.map((email) => ({ message: { transactionalId: 1593, Receiver: { Email: email } } }))) };
    },
  };
  it.each(Object.entries(vendors))("%s: one outcome per message, in order", async (_, make) => {
    const { fake, results } = make();
    const to = Array.from({ length: 30 }, (_, index) => (index % 7 === 3 ? `fail+503@m${index}.example.com` : `customer-${index}@example.com`));
    const outcomes = (await drive(results(to))).map((result) => result.outcome);
    expect(outcomes.map((outcome) => (outcome.ok ? "sent" : outcome.kind))).toEqual(to.map((address) => (address.startsWith("fail+503") ? "server_error" : "sent")));
    expect(fake.outbox.filter((message) => message.accepted)).toHaveLength(to.filter((address) => !address.startsWith("fail+")).length);
  });
});

describe("concurrency", () => {
  it("never has more than `concurrency` requests open, and defaults to 8", async () => {
    let open = 0;
    let most = 0;
    const fake = createListmonkFake();
    const listmonk = createListmonkClient({
      baseUrl: "https://listmonk.test",
      ...LISTMONK_FAKE_CREDENTIALS,
      fetch: async (request) => {
        most = Math.max(most, ++open);
        await new Promise((resolve) => setTimeout(resolve, 10));
        open--;
        return fake.fetch(request);
      },
    });
    const items = Array.from({ length: 50 }, (_, index) => ({ message: { template_id: 3, subscriber_emails: [`c${index}@example.com`] } }));
    await drive(listmonk.sendMany(items, { concurrency: 3 }));
    expect(most).toBe(3);
    most = 0;
    await drive(listmonk.sendMany(items));
    expect(most).toBe(8);
  });
});

describe("an abort mid-batch", () => {
  it("stops every message not yet started (aborted, not_sent, started: false) and nothing of them is sent", async () => {
    const controller = new AbortController();
    const fake = createListmonkFake();
    let requests = 0;
    const listmonk = createListmonkClient({
      baseUrl: "https://listmonk.test",
      ...LISTMONK_FAKE_CREDENTIALS,
      fetch: async (request) => {
        if (++requests === 20) controller.abort();
        return fake.fetch(request);
      },
      pacer: createPacer({ limit: 5 }),
    });
    const items = Array.from({ length: 100 }, (_, index) => ({ message: { template_id: 3, subscriber_emails: [`c${index}@example.com`] } }));
    const results = await drive(listmonk.sendMany(items, { signal: controller.signal, concurrency: 4 }));

    expect(results).toHaveLength(100);
    const notStarted = results.filter((result) => !result.started);
    expect(notStarted.length).toBeGreaterThanOrEqual(100 - 20 - 4);
    for (const result of notStarted) expect(result.outcome).toMatchObject({ ok: false, kind: "aborted", delivery: "not_sent", attempts: 0, retryable: false });
    // Started ones are in front, in order; those still waiting for a slot when it fired sent nothing either.
    const firstNotStarted = results.findIndex((result) => !result.started);
    expect(results.slice(firstNotStarted).every((result) => !result.started)).toBe(true);
    const sentIndexes = results.flatMap((result, index) => (result.outcome.ok ? [index] : []));
    expect(fake.outbox.filter((message) => message.accepted).map((message) => message.to[0])).toEqual(expect.arrayContaining(sentIndexes.map((index) => `c${index}@example.com`)));
    expect(fake.outbox.filter((message) => message.accepted)).toHaveLength(sentIndexes.length);
    for (const result of results.filter((result) => result.started && !result.outcome.ok)) {
      expect(result.outcome).toMatchObject({ kind: "aborted" });
    }
  });

  it("a signal aborted before the call starts nothing", async () => {
    const fake = createListmonkFake();
    const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: fake.fetch });
    const results = await drive(listmonk.sendMany([{ message: { template_id: 3, subscriber_emails: ["a@example.com"] } }], { signal: AbortSignal.abort() }));
    expect(results).toEqual([{ started: false, outcome: expect.objectContaining({ kind: "aborted", delivery: "not_sent", vendor: "listmonk" }) }]);
    expect(fake.outbox).toEqual([]);
  });
});

describe("each message's own idempotency key", () => {
  it("a key repeated in a batch of 100 sends one email: the repeats get its outcome, another message under it is refused", async () => {
    const fake = createListmonkFake();
    // Each answer takes 50 ms, so the repeats are asked for while the first is still being sent.
    const slow = async (request: Request) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return fake.fetch(request);
    };
    const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: slow, idempotencyLedger: memoryIdempotencyLedger() });
    const repeated = { template_id: 3, subscriber_emails: ["jane@example.com"], data: { order: 1234 } };
    const items = Array.from({ length: 100 }, (_, index) =>
      index % 10 === 3
        ? { message: repeated, idempotencyKey: "order-1234-confirmation" }
        : { message: { template_id: 3, subscriber_emails: [`c${index}@example.com`] }, idempotencyKey: `order-${index}-confirmation` },
    );
    items.push({ message: { ...repeated, data: { order: 9999 } }, idempotencyKey: "order-1234-confirmation" });
    const results = await drive(listmonk.sendMany(items, { concurrency: 16 }));

    expect(fake.outbox.filter((message) => message.to[0] === "jane@example.com")).toHaveLength(1);
    expect(fake.outbox).toHaveLength(91);
    const keyed = results.filter((_, index) => index % 10 === 3 && index < 100).map((result) => result.outcome);
    expect(keyed).toHaveLength(10);
    for (const outcome of keyed) expect(outcome).toEqual(keyed[0]);
    expect(keyed[0]).toMatchObject({ ok: true });
    expect(results[100]!.outcome).toMatchObject({ ok: false, kind: "idempotency_key_reused", delivery: "not_sent" });
  });
});

describe("the catalogue mailer's sendMany", () => {
  const catalogue = defineCatalogue({
    orderShipped: { variables: v.object({ orderId: v.string() }), via: [{ vendor: "listmonk", template: 3 }] },
    welcome: { variables: v.object({ name: v.string() }), via: [{ vendor: "listmonk", template: 4 }] },
  });

  it("sends each item through its template, in order, each key covering its item's whole call", async () => {
    const fake = createListmonkFake();
    const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: fake.fetch, retry: { retries: 0 } });
    const mail = createMailer(catalogue, { listmonk }, { idempotencyLedger: memoryIdempotencyLedger() });
    const results = await drive(
      mail.sendMany([
        { template: "orderShipped", message: { to: "a@example.com", data: { orderId: "1" } }, idempotencyKey: "shipped-order-1" },
        { template: "welcome", message: { to: "b@example.com", data: { name: "Bea" } } },
        { template: "welcome", message: { to: "fail+503@example.com", data: { name: "Cy" } } },
        // @ts-expect-error name must be a string
        { template: "welcome", message: { to: "d@example.com", data: { name: 4 } } },
        { template: "orderShipped", message: { to: "a@example.com", data: { orderId: "1" } }, idempotencyKey: "shipped-order-1" },
      ]),
    );
    expect(results.map((result) => [result.outcome.ok ? "sent" : result.outcome.kind, result.outcome.failover.length, result.started])).toEqual([
      ["sent", 0, true],
      ["sent", 0, true],
      ["server_error", 0, true],
      ["validation", 0, true],
      ["sent", 0, true],
    ]);
    expect(results[4]!.outcome).toEqual(results[0]!.outcome);
    // Sent concurrently, so in any order: one email each.
    expect(fake.outbox.filter((message) => message.accepted).map((message) => `${message.template} ${message.to[0]}`).sort()).toEqual(["3 a@example.com", "4 b@example.com"]);
  });
});

describe("input a JavaScript caller can get wrong: an outcome, never a throw", () => {
  const fake = createListmonkFake();
  const listmonk = createListmonkClient({ baseUrl: "https://listmonk.test", ...LISTMONK_FAKE_CREDENTIALS, fetch: fake.fetch });
  const one = [{ message: { template_id: 3, subscriber_emails: ["a@example.com"] } }];

  it.each([
    ["items that are not an array", () => listmonk.sendMany({} as never), "send_many_items"],
    ["concurrency 0", () => listmonk.sendMany(one, { concurrency: 0 }), "concurrency"],
    ["concurrency 2.5", () => listmonk.sendMany(one, { concurrency: 2.5 }), "concurrency"],
    ["a signal that is not an AbortSignal", () => listmonk.sendMany(one, { signal: "stop" as never }), "abort_signal"],
    ["an item that is not an object", () => listmonk.sendMany([null as never]), "send_many_item"],
    ["an item whose reading throws", () => listmonk.sendMany([Object.defineProperty({}, "message", { enumerable: true, get: () => { throw new Error("boom"); } }) as never]), "send_many_item"],
  ])("%s", async (_, call, rule) => {
    const results: SendManyOutcome<Outcome<unknown>>[] = await drive(call());
    expect(results).toEqual([{ started: false, outcome: expect.objectContaining({ ok: false, kind: "validation", delivery: "not_sent", issues: [expect.objectContaining({ rule })] }) }]);
    expect(fake.outbox).toEqual([]);
  });

  it("an empty batch is an empty result", async () => {
    expect(await drive(listmonk.sendMany([]))).toEqual([]);
  });
});
