/**
 * The token store of a vendor whose descriptor asks for one shared by every isolate (`sharedTokenStore`), backed by
 * the account's Durable Object: the record lives in the object, and every login or refresh runs through the
 * object's `exclusive`, so one is in flight across all isolates.
 */
import type { VendorAccountObject } from "./account.ts";

/** `Symbol.dispose`, which the worker's ES2023 types do not name yet. */
const DISPOSE = (Symbol as unknown as { readonly dispose: symbol }).dispose;

/**
 * Token records kept by key, as a vendor client that renews tokens reads and writes them. The records are the
 * vendor's own JSON; the store neither reads nor changes them.
 */
export interface SharedTokenStore {
  /** The record kept under `key`, if any. */
  get(key: string): Promise<object | undefined>;
  /** Keeps `record` under `key`, replacing what was there. */
  set(key: string, record: object): Promise<void>;
  /** Runs `renew` once every renewal queued before it for `key`, in any isolate, has settled. */
  exclusive<T>(key: string, renew: () => Promise<T>): Promise<T>;
}

/**
 * A token store that keeps its records in the object `account()` returns. A stub is made per call, in the
 * request that uses it, since the store outlives any one request.
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name));
 * const client = await descriptor.createClient({ ...settings, tokenStore: accountTokenStore(account) });
 */
export function accountTokenStore(account: () => DurableObjectStub<VendorAccountObject>): SharedTokenStore {
  return {
    get: async (key) => ((await account().tokenRecord(key)) as object | undefined) ?? undefined,
    set: async (key, record) => {
      await account().keepTokenRecord(key, record);
    },
    // `renew` stays in this isolate; the object calls it back over RPC when its turn comes.
    exclusive: async <T>(key: string, renew: () => Promise<T>) => {
      const result = await account().exclusive(key, renew);
      // A call that passed a function answers with a disposer that lets the object drop its hold on that function.
      const dispose = typeof result === "object" && result !== null ? (result as Record<symbol, unknown>)[DISPOSE] : undefined;
      if (typeof dispose === "function") dispose.call(result);
      return result as T;
    },
  };
}
