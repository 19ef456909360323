/**
 * Act-On's token store backed by the account's Durable Object: the record lives in the object, and every
 * login or refresh runs through the object's `exclusive`, so one is in flight across all isolates.
 */
import type { ActOnTokenRecord, ActOnTokenStore } from "../../acton/tokens.ts";
import type { VendorAccountObject } from "./account.ts";

/** `Symbol.dispose`, which the worker's ES2023 types do not name yet. */
const DISPOSE = (Symbol as unknown as { readonly dispose: symbol }).dispose;

/**
 * A token store for `createActOnClient` that keeps its record in the object `account()` returns. A stub is
 * made per call, in the request that uses it, since the store outlives any one request.
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name));
 * const acton = createActOnClient({ accountId, credentials, tokenStore: accountTokenStore(account) });
 */
export function accountTokenStore(account: () => DurableObjectStub<VendorAccountObject>): ActOnTokenStore {
  return {
    get: async (key) => ((await account().tokenRecord(key)) as ActOnTokenRecord | undefined) ?? undefined,
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
