/**
 * The vendor clients of this isolate: each built from its secrets, or, in sandbox mode (no vendor has
 * credentials and the deployment says `SANDBOX=true`), pointed at the deployment's sandbox (its fakes) through an injected
 * `fetch`. In live mode a vendor without credentials has no client, and a worker with neither credentials nor
 * `SANDBOX=true` has none at all: a send is then refused, never quietly sandboxed. What each vendor needs (its
 * pacing, a shared token store) is its descriptor's; its client code loads with its first send.
 */
import { TxgateConfigError } from "../core/credentials.ts";
import { notLoaded } from "../core/deliver.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { CallOptions, CheckCallOptions, CredentialCheck, Outcome, ValidationFailure, VendorName } from "../core/public.ts";
import { accountKey, type AnyVendorDescriptor, type VendorClient, type VendorWiring } from "../vendors/descriptor.ts";
import { accountObjectName, type VendorAccountObject } from "./durable/account.ts";
import { accountPacer } from "./durable/account-pacer.ts";
import { accountTokenStore } from "./durable/account-token-store.ts";
import type { Config } from "./env.ts";
import { Refusal } from "./problem.ts";
import type { VendorSettings } from "./vendor-settings.ts";

export type { VendorClient } from "../vendors/descriptor.ts";

/**
 * A served vendor's client as the worker holds it: its code loads with its first use, so checking a message
 * without sending (`validate`, before a send is queued) waits for that load too.
 *
 * @example
 * const refused = await vendorClient(config, vendor).validate(message);
 */
export interface ServedClient {
  send(message: unknown, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The common message (a catalogue template's, for browser actions), converted by the client. */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The `validation` outcome `send` would return for `message`, without sending; `undefined` when it would send. */
  validate(message: unknown): Promise<ValidationFailure | undefined>;
  /** Whether the vendor accepts the credentials, asked without sending (`unsupported` where its client cannot). Never rejects. */
  checkCredentials(call?: CheckCallOptions): Promise<CredentialCheck>;
}

/**
 * Whether this deployment serves `vendor` (`createTxgateWorker({ vendors })`): a request path names it as text.
 *
 * @example
 * if (!isServedVendor(config, segment)) throw new Refusal("not_found", "no such vendor");
 */
export function isServedVendor(config: Config, vendor: string): vendor is VendorName {
  return config.served.get(vendor) !== undefined;
}

const built = new WeakMap<Config, Partial<Record<VendorName, ServedClient>>>();

/**
 * The client for `vendor`; a `not_configured` refusal when this deployment has none for it.
 *
 * @example
 * const outcome = await vendorClient(config, vendor).send(message);
 */
export function vendorClient(config: Config, vendor: VendorName): ServedClient {
  let clients = built.get(config);
  if (!clients) built.set(config, (clients = buildClients(config)));
  const client = clients[vendor];
  if (!client) throw new Refusal("not_configured", notConfigured(config, vendor));
  return client;
}

/** Why a vendor has no client here, and what to do about it, in each mode. */
function notConfigured(config: Config, vendor: VendorName): string {
  const names = config.served.get(vendor)?.settings.required ?? [];
  const credentials = `set ${vendor}'s credentials (${names.join(", ")}) with wrangler secret put`;
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
 * const configured = Object.keys(clientSettings(config)); // ["acme"]
 */
export function clientSettings(config: Config): VendorSettings {
  const fakes = config.mode === "sandbox" ? (config.sandbox?.vendors ?? {}) : undefined;
  return fakes ? Object.fromEntries(Object.entries(fakes).map(([vendor, fake]) => [vendor, fake.settings])) : config.mode === "live" ? config.vendors : {};
}

/**
 * The account object of a served vendor with `options` (pacing, shared tokens).
 *
 * @example
 * const account = accountObjectOf(config, descriptor, options);
 */
export function accountObjectOf(config: Config, descriptor: AnyVendorDescriptor, options: object): DurableObjectStub<VendorAccountObject> {
  return accountObject(config, descriptor.name as VendorName, accountKey(descriptor, options))();
}

function buildClients(config: Config): Partial<Record<VendorName, ServedClient>> {
  const fakes = config.mode === "sandbox" ? (config.sandbox?.vendors ?? {}) : undefined;
  const settings = clientSettings(config);
  const clients: Partial<Record<VendorName, ServedClient>> = {};
  for (const [vendor, options] of Object.entries(settings) as [VendorName, object][]) {
    const descriptor = config.served.get(vendor);
    if (!options || !descriptor) continue;
    // What must hold across isolates (caps, shared tokens) goes through the account's Durable Object, sandbox too.
    const wiring: VendorWiring = { ...(fakes?.[vendor] ? { fetch: fakes[vendor].fetch } : {}), ...accountWiring(config, descriptor, accountKey(descriptor, options)) };
    clients[vendor] = loadedOnFirstSend(vendor, () => descriptor.createClient({ ...options, ...wiring }));
  }
  return clients;
}

/**
 * A client whose code is loaded with its first send. Nothing is sent until it is built: code that cannot load is a
 * retryable `not_sent` outcome, settings its factory refuses are the worker's `misconfigured` refusal.
 */
function loadedOnFirstSend(vendor: VendorName, create: () => Promise<VendorClient>): ServedClient {
  let client: Promise<VendorClient> | undefined;
  const load = () =>
    (client ??= create().catch((error: unknown) => {
      client = undefined; // the next use tries again
      throw error;
    }));
  // Settings its factory refuses are the worker's misconfiguration, named in the log line only.
  const loadOrRefuse = async (): Promise<VendorClient | { readonly notLoaded: unknown }> => {
    try {
      return await load();
    } catch (error) {
      if (error instanceof TxgateConfigError) {
        throw new Refusal("misconfigured", "the worker's configuration is invalid: this request's log line names each setting to fix", { log: { error: `${vendor}: ${error.message}`.slice(0, 300) } });
      }
      return { notLoaded: error };
    }
  };
  const sendWith = async (send: (client: VendorClient) => Promise<Outcome<unknown>>): Promise<Outcome<unknown>> => {
    const ready = await loadOrRefuse();
    return "notLoaded" in ready ? notLoaded(vendor, "client", ready.notLoaded) : send(ready);
  };
  return {
    send: (message: unknown, call?: CallOptions) => sendWith((ready) => ready.send(message, call)),
    sendMessage: (message: TemplateMessage, call?: CallOptions) => sendWith((ready) => ready.sendMessage(message, call)),
    // Code that cannot load is found by the send itself (a retryable not_sent); only what the rules refuse is refused here.
    validate: async (message: unknown) => {
      const ready = await loadOrRefuse();
      return "notLoaded" in ready ? undefined : ready.validate(message);
    },
    checkCredentials: async (call?: CheckCallOptions): Promise<CredentialCheck> => {
      let ready: Awaited<ReturnType<typeof loadOrRefuse>>;
      try {
        ready = await loadOrRefuse();
      } catch {
        // Settings the factory refuses: the check says so and asks nothing; a send's log line names the setting.
        return { kind: "error", vendor, requests: 0, message: "the worker's settings for this vendor are invalid (a send's log line names the one to fix); nothing was asked" };
      }
      if ("notLoaded" in ready) return { kind: "error", vendor, requests: 0, message: "the client's code could not be loaded; nothing was asked" };
      if (!ready.checkCredentials) return { kind: "unsupported", vendor, requests: 0, message: "the vendor documents no read that needs the send's credentials, and a check never sends an email" };
      return ready.checkCredentials(call);
    },
  };
}

/** The account's object, a stub per use (see durable/account.ts). */
function accountObject(config: Config, vendor: VendorName, key: string) {
  const { accounts } = config;
  return () => accounts.get(accounts.idFromName(accountObjectName(vendor, key)));
}

/** The vendor's cap, held by its account's object (nothing when the deployment set none), and its shared tokens. */
function accountWiring(config: Config, descriptor: AnyVendorDescriptor, key: string): VendorWiring {
  const vendor = descriptor.name as VendorName;
  const account = accountObject(config, vendor, key);
  const limit = config.sendsPerSecond[vendor];
  const { tokenCallsPerSecond } = descriptor.pacing;
  return {
    ...(limit ? { pacer: accountPacer(account, { limit }) } : {}),
    ...(descriptor.sharedTokenStore ? { tokenStore: accountTokenStore(account) } : {}),
    ...(descriptor.sharedTokenStore && tokenCallsPerSecond ? { tokenPacer: accountPacer(account, { limit: tokenCallsPerSecond }) } : {}),
  };
}
