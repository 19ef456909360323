/**
 * The vendor clients of this isolate: each built from its secrets, or, in sandbox mode (no vendor has
 * credentials and the deployment says `SANDBOX=true`), pointed at the built-in sandbox through an injected
 * `fetch`. In live mode a vendor without credentials has no client, and a worker with neither credentials nor
 * `SANDBOX=true` has none at all: a send is then refused, never quietly sandboxed.
 */
import { ACTON_BASE_URL, createActOnClient } from "../src/acton/index.ts";
import type { CallOptions, Outcome, VendorName } from "../src/core/public.ts";
import { createEverlyticClient } from "../src/everlytic/index.ts";
import { createExpertSenderClient } from "../src/expertsender/index.ts";
import { createListmonkClient } from "../src/listmonk/index.ts";
import { accountObjectName } from "./durable/account.ts";
import { accountPacer } from "./durable/account-pacer.ts";
import { accountTokenStore } from "./durable/account-token-store.ts";
import type { Config, VendorSettings } from "./env.ts";
import { Refusal } from "./problem.ts";
import { ACTON_SANDBOX, EVERLYTIC_SANDBOX, EXPERTSENDER_SANDBOX, LISTMONK_SANDBOX, SANDBOX_BASE_URL, sandboxVendors } from "./sandbox/index.ts";

/** What the worker needs of any vendor client; each client validates its own input. */
export interface VendorClient {
  send(message: unknown, call?: CallOptions): Promise<Outcome<unknown>>;
}

/** The registry's list and check (src/core/vendors.ts), re-exported for the worker's modules. */
export { isVendorName, VENDOR_NAMES } from "../src/core/vendors.ts";

const sandboxSettings: Required<VendorSettings> = {
  listmonk: { baseUrl: SANDBOX_BASE_URL, ...LISTMONK_SANDBOX },
  acton: { baseUrl: SANDBOX_BASE_URL, ...ACTON_SANDBOX },
  everlytic: { baseUrl: SANDBOX_BASE_URL, ...EVERLYTIC_SANDBOX },
  expertsender: { baseUrl: SANDBOX_BASE_URL, ...EXPERTSENDER_SANDBOX },
};

const built = new WeakMap<Config, Partial<Record<VendorName, VendorClient>>>();

/**
 * The client for `vendor`; a `not_configured` refusal when this deployment has none for it.
 *
 * @example
 * const outcome = await vendorClient(config, "listmonk").send(message);
 */
export function vendorClient(config: Config, vendor: VendorName): VendorClient {
  let clients = built.get(config);
  if (!clients) built.set(config, (clients = buildClients(config)));
  const client = clients[vendor];
  if (!client) {
    throw new Refusal(
      "not_configured",
      config.mode === "unconfigured" ? "no vendor is configured on this worker (set a vendor's credentials)" : `${vendor} is not configured on this worker`,
    );
  }
  return client;
}

function buildClients(config: Config): Partial<Record<VendorName, VendorClient>> {
  const sandbox = config.mode === "sandbox";
  const settings = sandbox ? sandboxSettings : config.mode === "live" ? config.vendors : {};
  const via = (vendor: VendorName) => (sandbox ? { fetch: sandboxVendors[vendor] } : {});
  const clients: Partial<Record<VendorName, VendorClient>> = {};
  // Each factory's `send` is typed for its own message; the worker hands it JSON, which the client validates.
  // What must hold across isolates (caps, Act-On's tokens) goes through the account's Durable Object, sandbox too.
  const { listmonk, acton, everlytic, expertsender } = settings;
  if (listmonk) clients.listmonk = createListmonkClient({ ...listmonk, ...via("listmonk"), ...paced(config, "listmonk", listmonk.baseUrl) }) as VendorClient;
  if (acton) clients.acton = createActOnClient({ ...acton, ...via("acton"), ...actOnAccount(config, acton) }) as VendorClient;
  if (everlytic) clients.everlytic = createEverlyticClient({ ...everlytic, ...via("everlytic"), ...paced(config, "everlytic", `${everlytic.username} ${everlytic.baseUrl ?? ""}`) }) as VendorClient;
  if (expertsender) clients.expertsender = createExpertSenderClient({ ...expertsender, ...via("expertsender"), ...paced(config, "expertsender", expertsender.baseUrl) }) as VendorClient;
  return clients;
}

/** Act-On's general API limit, which covers `POST /token`. */
const ACTON_TOKEN_CALLS_PER_SECOND = 5;

/** The account's object, a stub per use (see worker/durable/account.ts). */
function accountObject(config: Config, vendor: VendorName, accountKey: string) {
  const { accounts } = config;
  return () => accounts.get(accounts.idFromName(accountObjectName(vendor, accountKey)));
}

/** The vendor's cap, held by its account's object; nothing when the deployment set none. */
function paced(config: Config, vendor: VendorName, accountKey: string) {
  const limit = config.sendsPerSecond[vendor];
  return limit ? { pacer: accountPacer(accountObject(config, vendor, accountKey), { limit }) } : {};
}

/** Act-On's account object holds its tokens and paces both its sends and its `/token` calls. */
function actOnAccount(config: Config, acton: NonNullable<VendorSettings["acton"]>) {
  const accountKey = `${acton.accountId} ${acton.baseUrl ?? ACTON_BASE_URL}`;
  const account = accountObject(config, "acton", accountKey);
  return {
    tokenStore: accountTokenStore(account),
    ...paced(config, "acton", accountKey),
    tokenPacer: accountPacer(account, { limit: ACTON_TOKEN_CALLS_PER_SECOND }),
  };
}
