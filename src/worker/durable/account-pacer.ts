/**
 * The library's `Pacer`, backed by the account's Durable Object: every isolate asks the same object for its
 * slots, so an account's cap holds for the whole deployment, not per isolate.
 */
import type { Pacer } from "../../core/pacing.ts";
import type { VendorAccount } from "./account.ts";

export interface AccountPacerOptions {
  /** Calls in any window. */
  readonly limit: number;
  /** The window in ms. Default 1000. */
  readonly windowMs?: number;
  /**
   * The longest one call may hold its slot, answered or not. If this isolate ends before it releases the slot,
   * the object frees it then. Longer than any attempt's timeout (the library's default is 15 s). Default 60 s.
   */
  readonly holdMs?: number;
}

/**
 * A pacer whose slots come from the object `account()` returns (a stub per call, in the request that uses it).
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name));
 * const client = createListmonkClient({ baseUrl, username, token, pacer: accountPacer(account, { limit: 50 }) });
 */
export function accountPacer(stub: () => DurableObjectStub<VendorAccount>, { limit, windowMs = 1000, holdMs = 60_000 }: AccountPacerOptions): Pacer {
  return {
    async acquire(lane, signal) {
      if (signal?.aborted) return false;
      const account = stub();
      const ticket = crypto.randomUUID();
      const granted = account.acquireSlot({ lane, limit, windowMs, ticket, holdMs });
      const ok = await new Promise<boolean>((resolve, reject) => {
        // The object cannot see this signal: on abort it is told to drop the request (or free a slot just granted).
        const onAbort = () => {
          resolve(false);
          void account.withdrawSlot(ticket).catch(() => {
            // An unreachable object frees the slot itself after `holdMs`.
          });
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        Promise.resolve(granted).then(
          (value) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(value);
          },
          (error: unknown) => {
            signal?.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      });
      if (!ok) return false;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        void account.releaseSlot(ticket).catch(() => {
          // Not told in time, the object frees the slot after `holdMs`: slower, never over the cap.
        });
      };
    },
  };
}
