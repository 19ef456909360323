/**
 * The pacer on fake timers: at most `limit` sends per key hold a slot within any window, a slot frees a window
 * after its send was answered, waiters go first come first served, keys do not share slots, and an abort
 * while queued gives up the place without starting the send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LogEntry } from "../../src/core/options.js";
import { createPacer, type Pacer, type ReleaseSlot } from "../../src/core/pacing.js";
import { createListmonkClient } from "../../src/listmonk/index.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Asks for `count` slots of `key` and records when (fake ms) and in which order each was granted. */
function ask(pacer: ReturnType<typeof createPacer>, count: number, key = "account", signal?: AbortSignal) {
  const granted: { id: number; at: number; release: ReleaseSlot }[] = [];
  const results = Array.from({ length: count }, (_, id) =>
    pacer.acquire(key, signal).then((release) => {
      if (release) granted.push({ id, at: performance.now(), release });
      return release;
    }),
  );
  return { granted, results };
}

describe("at most `limit` sends per window", () => {
  it("starts `limit` sends at once and the next a window after the first was answered", async () => {
    const pacer = createPacer({ limit: 3 });
    const t0 = performance.now();
    const { granted } = ask(pacer, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted.map((g) => g.at - t0)).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(50);
    granted[0]!.release(); // answered at 50 ms
    granted[1]!.release();
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => [g.id, g.at - t0])).toEqual([[0, 0], [1, 0], [2, 0], [3, 1050], [4, 1050]]);
  });

  it("holds a slot for as long as its send is unanswered", async () => {
    const pacer = createPacer({ limit: 1 });
    const { granted } = ask(pacer, 2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted).toHaveLength(1);
    granted[0]!.release();
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(2);
  });

  it("releasing twice frees one slot, not two", async () => {
    const pacer = createPacer({ limit: 1, windowMs: 100 });
    const { granted } = ask(pacer, 3);
    await vi.advanceTimersByTimeAsync(0);
    granted[0]!.release();
    granted[0]!.release();
    await vi.advanceTimersByTimeAsync(100);
    expect(granted).toHaveLength(2);
  });

  it("never lets more than `limit` start within any window, whatever the answer times", async () => {
    const pacer = createPacer({ limit: 4, windowMs: 1000 });
    const starts: number[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const sends = Array.from({ length: 40 }, async () => {
      const release = await pacer.acquire("account");
      starts.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
      if (release) release();
    });
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(sends);
    expect(starts).toHaveLength(40);
    for (const [n, at] of starts.entries()) {
      expect(starts.filter((other) => other >= at && other < at + 1000).length, `window from send ${n}`).toBeLessThanOrEqual(4);
    }
  });
});

describe("first come, first served", () => {
  it("grants in the order the slots were asked for", async () => {
    const pacer = createPacer({ limit: 2, windowMs: 100 });
    const { granted } = ask(pacer, 7);
    for (let round = 0; round < 4; round++) {
      await vi.advanceTimersByTimeAsync(100);
      for (const g of granted) g.release();
    }
    expect(granted.map((g) => g.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("keeps one queue per key: a busy key does not slow another", async () => {
    const pacer = createPacer({ limit: 1 });
    const busy = ask(pacer, 3, "account-1");
    const other = ask(pacer, 1, "account-2");
    await vi.advanceTimersByTimeAsync(0);
    expect([busy.granted.length, other.granted.length]).toEqual([1, 1]);
  });
});

describe("abortable while queued", () => {
  it("an abort while waiting resolves false at once, and the send behind still gets its turn", async () => {
    const pacer = createPacer({ limit: 1, windowMs: 100 });
    const first = ask(pacer, 1);
    const controller = new AbortController();
    const queued = ask(pacer, 1, "account", controller.signal);
    const behind = ask(pacer, 1);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await queued.results[0]).toBe(false);
    first.granted[0]!.release();
    // Nothing wakes a sleeping waiter (see core/pacing.ts): the one behind starts when its own timer, set for
    // the turn after the aborted send's, fires. Never later than it would have without the abort.
    await vi.advanceTimersByTimeAsync(189);
    expect(behind.granted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(behind.granted).toHaveLength(1);
  });

  it("an already aborted signal gets no slot, even a free one", async () => {
    const pacer = createPacer({ limit: 5 });
    expect(await pacer.acquire("account", AbortSignal.abort())).toBe(false);
  });
});

describe("a pacer given to a client (a Durable Object's, say)", () => {
  const listmonk = (pacer: Pacer, fetch: (request: Request) => Promise<Response>) =>
    createListmonkClient({ baseUrl: "http://lists.test", username: "api", token: "listmonk-token", pacer, fetch });
  const message = { template_id: 2, subscriber_emails: ["ada@example.com"] };

  it("paces every send, keyed by vendor and base URL, and frees the slot once answered", async () => {
    const events: string[] = [];
    const pacer: Pacer = {
      acquire: async (key) => {
        events.push(`acquire ${key}`);
        return () => void events.push("release");
      },
    };
    const outcome = await listmonk(pacer, async () => {
      events.push("fetch");
      return Response.json({ data: true });
    }).send(message);
    expect(outcome.ok).toBe(true);
    expect(events).toEqual(["acquire listmonk http://lists.test", "fetch", "release"]);
  });

  it("a shared pacer's release (a call to its store) is awaited before the outcome returns, so it is not dropped with the request", async () => {
    const events: string[] = [];
    const pacer: Pacer = {
      acquire: async () => () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            events.push("released");
            resolve();
          }, 50),
        ),
    };
    const sent = listmonk(pacer, async () => Response.json({ data: true }))
      .send(message)
      .then((outcome) => (events.push("outcome"), outcome));
    await vi.advanceTimersByTimeAsync(100);
    expect((await sent).ok).toBe(true);
    expect(events).toEqual(["released", "outcome"]);
  });

  it("a release that never settles or fails holds the outcome 2 s at most and goes to the log, not to the caller", async () => {
    const logged: LogEntry[] = [];
    const hangs: Pacer = { acquire: async () => () => new Promise<void>(() => {}) };
    const fails: Pacer = { acquire: async () => () => Promise.reject(new Error("Durable Object reset")) };
    const hung = createListmonkClient({ baseUrl: "http://lists.test", username: "api", token: "t", pacer: hangs, fetch: async () => Response.json({ data: true }) }).send(message);
    let settled = false;
    void hung.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect((await hung).ok).toBe(true);
    const failed = await createListmonkClient({
      baseUrl: "http://lists.test",
      username: "api",
      token: "t",
      pacer: fails,
      fetch: async () => Response.json({ data: true }),
      logger: (entry) => logged.push(entry),
    }).send(message);
    expect(failed.ok).toBe(true);
    expect(logged).toContainEqual(expect.objectContaining({ event: "release", message: expect.stringContaining("Durable Object reset") }));
  });

  it("a pacer that cannot give a slot (its object out of reach) ends the send not_sent and retryable, nothing fetched", async () => {
    const fetch = vi.fn(async () => Response.json({ data: true }));
    const pacer: Pacer = { acquire: () => Promise.reject(new Error("Durable Object is overloaded")) };
    const outcome = await listmonk(pacer, fetch).send(message);
    expect(outcome).toMatchObject({ ok: false, kind: "network", delivery: "not_sent", retryable: true, attempts: 0 });
    expect(outcome.ok || outcome.message).toContain("Durable Object is overloaded");
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("beforeStart: what a send reads as late as possible", () => {
  it("runs once the slot is granted, inside it, before the send may start", async () => {
    const pacer = createPacer({ limit: 1 });
    const steps: string[] = [];
    const first = await pacer.acquire("account");
    const second = pacer.acquire("account", undefined, async () => void steps.push("beforeStart"));
    await vi.advanceTimersByTimeAsync(0);
    // Still waiting for the slot: nothing read yet.
    expect(steps).toEqual([]);
    (first as ReleaseSlot)();
    await vi.advanceTimersByTimeAsync(1000);
    const release = await second;
    expect(steps).toEqual(["beforeStart"]);
    expect(release).not.toBe(false);
  });
});
