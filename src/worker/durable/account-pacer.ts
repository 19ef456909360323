/**
 * The library's `Pacer`, backed by the account's Durable Object: every isolate asks the same object for its
 * slots, so an account's cap holds for the whole deployment, not per isolate.
 *
 * A slot is a start time the object reserves and stores, not a lease the caller must give back: a send that ends
 * in any way (answered, aborted, its isolate gone, its response returned before it finished) leaves nothing
 * behind to release, and a restarted object still knows the slots it gave out.
 */
import type { Pacer, ReleaseSlot } from "../../core/pacing.ts";
import { sleep } from "../../core/retry.ts";
import { SLOT_SLACK, type VendorAccount } from "./account.ts";

export interface AccountPacerOptions {
  /** Sends that may start in any window. */
  readonly limit: number;
  /** The window in ms. Default 1000. */
  readonly windowMs?: number;
}

/** Nothing to give back: the slot was a time. */
const NOTHING_TO_RELEASE: ReleaseSlot = () => {};

/**
 * A pacer whose slots come from the object `account()` returns (a stub per call, in the request that uses it).
 * Each send asks the object for its start time, then waits in its own isolate. No window of `windowMs` holds
 * more than `limit` starts, even if each starts up to a fifth of the window late; a send that aborts while it
 * waits leaves its slot unused.
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name));
 * const client = createListmonkClient({ baseUrl, username, token, pacer: accountPacer(account, { limit: 50 }) });
 */
export function accountPacer(account: () => DurableObjectStub<VendorAccount>, { limit, windowMs = 1000 }: AccountPacerOptions): Pacer {
  // Half the slack the object leaves between slots: the rest is for the way from here to the vendor.
  const lateMs = (windowMs * SLOT_SLACK) / 2;
  return {
    async acquire(lane, signal, beforeStart) {
      for (let tries = 1; ; tries++) {
        if (signal?.aborted) return false;
        const { waitMs } = await account().reserveSlot({ lane, limit, windowMs });
        // `waitMs` from now, never `at` by this isolate's clock: the object's clock may lag (Workers advance it on
        // I/O), and a wait measured against a lagging `at` would send early, several at once. Counted from the
        // answer's arrival, a wait only ever errs late, by the answer's trip back.
        const due = Date.now() + waitMs;
        if (waitMs > 0 && !(await sleep(waitMs, signal))) return false;
        await beforeStart?.();
        if (signal?.aborted) return false;
        // Woken well after its slot (a busy isolate) or slow to get ready, the send would crowd the slots after
        // it: it takes a later one, leaving this one unused. The third is used however late, so a send is never
        // held back for ever.
        if (Date.now() - due <= lateMs || tries === 3) return NOTHING_TO_RELEASE;
      }
    },
  };
}
