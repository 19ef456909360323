/**
 * Act-On's cap of 20 sends per second per account, as a user sees it through the client: sends beyond the rate
 * wait their turn in order, every client of the account in this isolate shares the queue, the rate is
 * configurable, and a send aborted while queued ends `aborted` with nothing sent. The double refuses (and
 * records) any second with more than the rate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnOptions } from "../../src/acton/index.js";
import { minimal } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
const tokenStore = memoryTokenStore();
beforeAll(async () => {
  acton = await startActOnDouble();
  // Log in once; then wait out the window so each test starts with every slot free.
  await client().send(minimal);
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  acton.arrivals.length = 0;
  acton.delivered.length = 0;
});
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 1_050));
  acton.arrivals.length = 0;
  acton.delivered.length = 0;
});
afterAll(async () => {
  expect(acton.specViolations).toEqual([]);
  expect(acton.limitViolations).toEqual([]);
  await acton.close();
});

const client = (options: Partial<ActOnOptions> = {}) =>
  createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore, ...options });
const toAddress = (n: number) => ({ ...minimal, envelope: { toAddress: `customer-${n}@example.com` } });

describe("20 sends per second per account", () => {
  it("sends 20 at once, and the five asked for after them a second later", async () => {
    const acton1 = client();
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, n) => acton1.send(toAddress(n))));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const after = acton.arrivals.map((at) => at - started);
    expect(after).toHaveLength(25);
    expect(after.filter((ms) => ms < 1_000)).toHaveLength(20);
    expect(after.slice(20).filter((ms) => ms >= 1_000)).toHaveLength(5);
    // The last five asked went last (among themselves, parallel connections may reorder arrivals).
    expect(acton.delivered.slice(20).map((email) => email.to).sort()).toEqual([20, 21, 22, 23, 24].map((n) => `customer-${n}@example.com`));
  });

  it("shares the account's queue between clients in one isolate", async () => {
    const [a, b] = [client(), client()];
    const started = performance.now();
    await Promise.all(Array.from({ length: 24 }, (_, n) => (n % 2 ? a : b).send(toAddress(n))));
    expect(acton.arrivals.filter((at) => at - started < 1_000)).toHaveLength(20);
  });

  it("takes a lower rate when asked", async () => {
    const slow = client({ ratePerSecond: 5 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 7 }, (_, n) => slow.send(toAddress(n))));
    const after = acton.arrivals.map((at) => at - started);
    expect(after.filter((ms) => ms < 1_000)).toHaveLength(5);
    expect(after.filter((ms) => ms >= 1_000)).toHaveLength(2);
  });
});

describe("abortable while queued", () => {
  it("a send aborted while waiting for its turn ends `aborted`, nothing sent", async () => {
    const acton1 = client();
    const sends = Array.from({ length: 20 }, (_, n) => acton1.send(toAddress(n)));
    const queued = acton1.send(toAddress(20), { signal: AbortSignal.timeout(200) });
    expect(await queued).toMatchObject({ ok: false, kind: "aborted", delivery: "not_sent", retryable: false, attempts: 0 });
    await Promise.all(sends);
    expect(acton.delivered.map((email) => email.to)).not.toContain("customer-20@example.com");
    expect(acton.arrivals).toHaveLength(20);
  });
});

describe("a logger that throws", () => {
  it("does not reject the send, nor keep its slot from the sends after it", async () => {
    const noisy = client({
      ratePerSecond: 1,
      logger: () => {
        throw new Error("log sink down");
      },
    });
    await expect(noisy.send(toAddress(1))).resolves.toMatchObject({ ok: true });
    // The slot frees a second after the answer; a stranded one would hold this send for ever.
    await expect(noisy.send(toAddress(2))).resolves.toMatchObject({ ok: true });
    expect(acton.arrivals).toHaveLength(2);
  });
});
