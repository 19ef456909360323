/**
 * The vendor clients of this isolate: each built from its secrets, or, in sandbox mode (no vendor has
 * credentials and the deployment says `SANDBOX=true`), pointed at the deployment's sandbox (its fakes) through an injected
 * `fetch`. In live mode a vendor without credentials has no client, and a worker with neither credentials nor
 * `SANDBOX=true` has none at all: a send is then refused, never quietly sandboxed.
 */
import { createActOnClient } from "../acton/index.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { CallOptions, Outcome, ValidationFailure, VendorName } from "../core/public.ts";
import { createEverlyticClient } from "../everlytic/index.ts";
import { createExpertSenderClient } from "../expertsender/index.ts";
import { createListmonkClient } from "../listmonk/index.ts";
import { accountObjectName, type VendorAccount } from "./durable/account.ts";
import { accountPacer } from "./durable/account-pacer.ts";
import { accountTokenStore } from "./durable/account-token-store.ts";
import type { Config } from "./env.ts";
import { Refusal } from "./problem.ts";
import { accountKey, vendorSettingNames, type VendorOptions, type VendorSettings } from "./vendor-settings.ts";

/** What the worker needs of any vendor client; each client validates its own input. */
export interface VendorClient {
  send(message: unknown, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The common message (a catalogue template's, for browser actions), converted by the client. */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The `validation` outcome `send` would return for `message`, without sending; `undefined` when it would send. */
  validate(message: unknown): ValidationFailure | undefined;
}

/** The registry's list and check (src/core/vendors.ts), re-exported for the worker's modules. */
export { isVendorName, VENDOR_NAMES } from "../core/vendors.ts";

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
  if (!client) throw new Refusal("not_configured", notConfigured(config, vendor));
  return client;
}

/** Why a vendor has no client here, and what to do about it, in each mode. */
function notConfigured(config: Config, vendor: VendorName): string {
  const credentials = `set ${vendor}'s credentials (${vendorSettingNames(vendor).join(", ")}) with wrangler secret put`;
  switch (config.mode) {
    case "unconfigured":
      return `no vendor is configured on this worker: ${credentials}, or set SANDBOX=true to send to the sandbox for a local trial (npm start does)`;
    case "sandbox":
      // A vendor with a fake always has a client here: only a missing fake gets this far.
      return `sandbox mode (SANDBOX=true, no vendor credentials) sends only through the fakes given as createTxgateWorker({ sandbox: { vendors } }), and this worker has none for ${vendor}: give it one (txgate/testing has a fake of each vendor), or ${credentials}`;
    case "live":
      return `${vendor} is not configured on this worker: ${credentials}; without them it is refused, never sandboxed`;
  }
}

/**
 * The settings the vendor clients are built from: the vendors' own in live mode, the fakes' in sandbox mode, none
 * otherwise.
 *
 * @example
 * const configured = Object.keys(clientSettings(config)); // ["listmonk"]
 */
export function clientSettings(config: Config): VendorSettings {
  const fakes = config.mode === "sandbox" ? (config.sandbox?.vendors ?? {}) : undefined;
  return fakes ? Object.fromEntries(Object.entries(fakes).map(([vendor, fake]) => [vendor, fake.settings])) : config.mode === "live" ? config.vendors : {};
}

/**
 * The account object of `vendor` with `options` (pacing, Act-On's tokens).
 *
 * @example
 * const account = accountObjectOf(config, "listmonk", options);
 */
export function accountObjectOf<V extends VendorName>(config: Config, vendor: V, options: VendorOptions[V]): DurableObjectStub<VendorAccount> {
  return accountObject(config, vendor, accountKey(vendor, options))();
}

function buildClients(config: Config): Partial<Record<VendorName, VendorClient>> {
  const fakes = config.mode === "sandbox" ? (config.sandbox?.vendors ?? {}) : undefined;
  const settings = clientSettings(config);
  const via = (vendor: VendorName) => (fakes?.[vendor] ? { fetch: fakes[vendor].fetch } : {});
  const clients: Partial<Record<VendorName, VendorClient>> = {};
  // Each factory's `send` is typed for its own message; the worker hands it JSON, which the client validates.
  // What must hold across isolates (caps, Act-On's tokens) goes through the account's Durable Object, sandbox too.
  const { listmonk, acton, everlytic, expertsender } = settings;
  if (listmonk) clients.listmonk = createListmonkClient({ ...listmonk, ...via("listmonk"), ...paced(config, "listmonk", accountKey("listmonk", listmonk)) }) as VendorClient;
  if (acton) clients.acton = createActOnClient({ ...acton, ...via("acton"), ...actOnAccount(config, acton) }) as VendorClient;
  if (everlytic) clients.everlytic = createEverlyticClient({ ...everlytic, ...via("everlytic"), ...paced(config, "everlytic", accountKey("everlytic", everlytic)) }) as VendorClient;
  if (expertsender) clients.expertsender = createExpertSenderClient({ ...expertsender, ...via("expertsender"), ...paced(config, "expertsender", accountKey("expertsender", expertsender)) }) as VendorClient;
  return clients;
}

/** Act-On's general API limit, which covers `POST /token`. */
const ACTON_TOKEN_CALLS_PER_SECOND = 5;

/** The account's object, a stub per use (see durable/account.ts). */
function accountObject(config: Config, vendor: VendorName, key: string) {
  const { accounts } = config;
  return () => accounts.get(accounts.idFromName(accountObjectName(vendor, key)));
}

/** The vendor's cap, held by its account's object; nothing when the deployment set none. */
function paced(config: Config, vendor: VendorName, key: string) {
  const limit = config.sendsPerSecond[vendor];
  return limit ? { pacer: accountPacer(accountObject(config, vendor, key), { limit }) } : {};
}

/** Act-On's account object holds its tokens and paces both its sends and its `/token` calls. */
function actOnAccount(config: Config, acton: VendorOptions["acton"]) {
  const key = accountKey("acton", acton);
  const account = accountObject(config, "acton", key);
  return {
    tokenStore: accountTokenStore(account),
    ...paced(config, "acton", key),
    tokenPacer: accountPacer(account, { limit: ACTON_TOKEN_CALLS_PER_SECOND }),
  };
}
