/**
 * Act-On's token store backed by the account's Durable Object: the record lives in the object, and every
 * login or refresh runs through the object's `exclusive`, so one is in flight across all isolates.
 */
import type { ActOnTokenRecord, ActOnTokenStore } from "../../src/acton/tokens.ts";
import type { VendorAccount } from "./account.ts";

/**
 * A token store for `createActOnClient` that keeps its record in the object `account()` returns. A stub is
 * made per call, in the request that uses it, since the store outlives any one request.
 *
 * @example
 * const account = () => env.VENDOR_ACCOUNT.get(env.VENDOR_ACCOUNT.idFromName(name));
 * const acton = createActOnClient({ accountId, credentials, tokenStore: accountTokenStore(account) });
 */
export function accountTokenStore(account: () => DurableObjectStub<VendorAccount>): ActOnTokenStore {
  return {
    get: async (key) => ((await account().tokenRecord(key)) as ActOnTokenRecord | undefined) ?? undefined,
    set: async (key, record) => {
      await account().keepTokenRecord(key, record);
    },
    // `renew` stays in this isolate; the object calls it back over RPC when its turn comes.
    exclusive: async <T>(key: string, renew: () => Promise<T>) => (await account().exclusive(key, renew)) as T,
  };
}
