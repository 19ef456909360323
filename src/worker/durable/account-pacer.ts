/**
 * The library's `Pacer`, backed by the account's Durable Object: every isolate asks the same object for its
 * slots, so an account's cap holds for the whole deployment, not per isolate.
 *
 * A slot is a lease: held from its grant until the send's answer (`releaseSlot`), then counted one more window.
 * The release is a call to the object that the send awaits before returning its outcome (see `deliver`), so the
 * request's end cannot drop it; a release that never arrives (the isolate gone) frees the slot after `holdMs`.
 */
import type { Pacer } from "../../core/pacing.ts";
import type { VendorAccountObject } from "./account.ts";

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

/** How many times a request that failed (lost to a restart of the object, say) is asked again. */
const RESTART_RETRIES = 2;

/**
 * A pacer whose slots come from the object `account()` returns (a stub per call, in the request that uses it).
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name));
 * const client = await descriptor.createClient({ ...settings, pacer: accountPacer(account, { limit: 50 }) });
 */
export function accountPacer(stub: () => DurableObjectStub<VendorAccountObject>, { limit, windowMs = 1000, holdMs = 60_000 }: AccountPacerOptions): Pacer {
  /** One request for a slot: `true` granted, `false` withdrawn (the signal aborted). */
  async function ask(account: DurableObjectStub<VendorAccountObject>, lane: string, ticket: string, signal: AbortSignal | undefined): Promise<boolean> {
    const granted = account.acquireSlot({ lane, limit, windowMs, ticket, holdMs });
    return new Promise<boolean>((resolve, reject) => {
      // The object cannot see this signal: on abort it is told to drop the request (or free a slot just granted),
      // and the send waits for that word to arrive, so it is not dropped with the request either.
      const onAbort = () => {
        void account.withdrawSlot(ticket).then(
          () => resolve(false),
          // An unreachable object frees the slot itself after `holdMs`.
          () => resolve(false),
        );
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      Promise.resolve(granted).then(
        (value) => {
          signal?.removeEventListener("abort", onAbort);
          if (!signal?.aborted) resolve(value);
        },
        (error: unknown) => {
          signal?.removeEventListener("abort", onAbort);
          if (!signal?.aborted) reject(error);
        },
      );
    });
  }

  return {
    async acquire(lane, signal, beforeStart) {
      let account: DurableObjectStub<VendorAccountObject>;
      let ticket: string;
      for (let tries = 0; ; tries++) {
        if (signal?.aborted) return false;
        account = stub();
        ticket = crypto.randomUUID();
        try {
          if (!(await ask(account, lane, ticket, signal))) return false;
          break;
        } catch (error) {
          // A restart of the object loses the requests waiting in its memory, and the call fails (workerd marks
          // the error no way we can rely on): ask again, with a new stub (the old one stays broken). Nothing was
          // sent, so asking again cannot send twice. An overloaded object is not asked again.
          if (tries >= RESTART_RETRIES || isOverloaded(error)) throw error;
          // Granted just before the restart, the lost request would hold its slot until `holdMs`: give it back.
          await stub()
            .withdrawSlot(ticket)
            .catch(() => {});
        }
      }
      const held = ticket;
      let released: Promise<void> | undefined;
      // A new stub: the object may have restarted since the grant, and the old stub stays broken after that.
      const release = () =>
        (released ??= stub()
          .releaseSlot(held)
          .then(
          () => undefined,
          () => {
            // Not told in time, the object frees the slot after `holdMs`: slower, never over the cap.
          },
        ));
      try {
        await beforeStart?.();
      } catch (error) {
        await release();
        throw error;
      }
      return release;
    },
  };
}

/** Whether a Durable Object call failed because the object is overloaded: asking again would only add to it. */
function isOverloaded(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { overloaded?: unknown }).overloaded === true;
}
