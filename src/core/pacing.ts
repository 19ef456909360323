/**
 * Pacing for vendors that cap sends per second (per account, at the rate their descriptor states). One first-come,
 * first-served queue per key. A send holds one of `limit` slots from when it starts until `windowMs` after its
 * answer arrived: the vendor saw the request somewhere between those two moments, so however the network
 * delays each request, no window of `windowMs` at the vendor holds more than `limit` of them.
 *
 * Every waiter sleeps on its own timer rather than being woken by another send: on Workers a timer or a
 * promise belongs to the request that made it, and a queue driven by another request stalls when it ends.
 * The price: a waiter that aborts does not wake those behind it early; they start when their own timers fire.
 */
import { sleep } from "./retry.ts";

export interface PacerOptions {
  /** Sends per key within any window. */
  readonly limit: number;
  /** The window in ms. Default 1000. */
  readonly windowMs?: number;
}

/**
 * Call once the send has its answer (or failed): its slot frees `windowMs` later. Calling again does nothing. A
 * shared pacer's may return a promise (the release travelling to its store): the send awaits it, a little while
 * at most, before it returns its outcome, so the release is not dropped with the request that made it.
 */
export type ReleaseSlot = () => void | Promise<void>;

/**
 * Hands out send slots per key, at most `limit` per window, in the order they were asked for.
 *
 * @example
 * const pacer = createPacer({ limit: 20 });
 * const release = await pacer.acquire(accountId, signal);
 * if (!release) return "aborted while queued: nothing was sent";
 * try { await send(); } finally { release(); }
 */
export interface Pacer {
  /**
   * Waits for a send slot for `key`: a `ReleaseSlot` once the send may start, or `false` when `signal` aborted
   * the wait (the send must then not start). `createPacer`'s never rejects; a shared pacer's may (its store out of
   * reach), and the send then ends `network`, `not_sent`, retryable. `beforeStart` (which never rejects) runs
   * once the slot is granted, before `acquire` resolves: what the send must read as late as possible (a vendor
   * with renewed tokens reads its token again there), inside the time the pacer allows for the start.
   */
  acquire(key: string, signal?: AbortSignal, beforeStart?: () => Promise<void>): Promise<ReleaseSlot | false>;
}

interface Lane {
  /** Sends started and not yet answered. */
  inFlight: number;
  /** When answered sends still inside the window got their answer, oldest first. */
  readonly answered: number[];
  /** Waiting sends, first come first. */
  readonly queue: object[];
}

/**
 * Creates a pacer.
 *
 * @example
 * const pacer = createPacer({ limit: 20, windowMs: 1000 });
 * const release = await pacer.acquire("account-1234567", AbortSignal.timeout(30_000));
 */
export function createPacer({ limit, windowMs = 1000 }: PacerOptions): Pacer {
  const lanes = new Map<string, Lane>();

  /**
   * Ms until `ticket` may start, if every send queued ahead of it starts as early as it can and every send
   * in flight is answered now (the earliest it can be): a lower bound, so the waiter checks again on waking.
   */
  function wait(lane: Lane, ticket: object, now: number): number {
    const { answered } = lane;
    while (answered.length && answered[0]! <= now - windowMs) answered.shift();
    const queuedAhead = lane.queue.indexOf(ticket);
    // Room in the window for every send up to this one: the common case, answered without building the list.
    if (answered.length + lane.inFlight + queuedAhead < limit) return 0;
    const ends = [...answered, ...Array<number>(lane.inFlight).fill(now)];
    for (let ahead = queuedAhead; ahead >= 0; ahead--) {
      ends.push(ends.length < limit ? now : Math.max(now, ends[ends.length - limit]! + windowMs));
    }
    return ends.at(-1)! - now;
  }

  return {
    async acquire(key, signal, beforeStart) {
      if (signal?.aborted) return false;
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { inFlight: 0, answered: [], queue: [] }));
      const ticket = {};
      lane.queue.push(ticket);
      try {
        for (;;) {
          // The monotonic clock: a wall clock set back would hold every send until it caught up.
          const ms = wait(lane, ticket, performance.now());
          // Sends queued ahead that are due as well start in this same instant, each when its timer fires.
          if (ms <= 0) break;
          if (!(await sleep(ms, signal))) return false;
        }
      } finally {
        lane.queue.splice(lane.queue.indexOf(ticket), 1);
      }
      const held = lane;
      held.inFlight++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held.inFlight--;
        held.answered.push(performance.now());
      };
      // The slot is held from here, so a slow `beforeStart` only delays this send.
      await beforeStart?.();
      return release;
    },
  };
}
