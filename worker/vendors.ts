/**
 * The vendor clients of this isolate: each built from its secrets, or, in sandbox mode (no vendor has
 * credentials), pointed at the built-in sandbox through an injected `fetch`. In live mode a vendor without
 * credentials has no client: a send to it is refused, never quietly sandboxed.
 */
import { createActOnClient } from "../src/acton/index.ts";
import type { CallOptions, Outcome, VendorName } from "../src/core/public.ts";
import { createEverlyticClient } from "../src/everlytic/index.ts";
import { createExpertSenderClient } from "../src/expertsender/index.ts";
import { createListmonkClient } from "../src/listmonk/index.ts";
import type { Config, VendorSettings } from "./env.ts";
import { Refusal } from "./problem.ts";
import { ACTON_SANDBOX, EVERLYTIC_SANDBOX, EXPERTSENDER_SANDBOX, LISTMONK_SANDBOX, SANDBOX_BASE_URL, sandboxVendors } from "./sandbox/index.ts";

/** What the worker needs of any vendor client; each client validates its own input. */
export interface VendorClient {
  send(message: unknown, call?: CallOptions): Promise<Outcome<unknown>>;
}

export const VENDOR_NAMES: readonly VendorName[] = ["listmonk", "acton", "everlytic", "expertsender"];

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
  if (!client) throw new Refusal("not_configured", `${vendor} is not configured on this worker`);
  return client;
}

function buildClients(config: Config): Partial<Record<VendorName, VendorClient>> {
  const sandbox = config.mode === "sandbox";
  const settings = sandbox ? sandboxSettings : config.vendors;
  const via = (vendor: VendorName) => (sandbox ? { fetch: sandboxVendors[vendor] } : {});
  const clients: Partial<Record<VendorName, VendorClient>> = {};
  // Each factory's `send` is typed for its own message; the worker hands it JSON, which the client validates.
  if (settings.listmonk) clients.listmonk = createListmonkClient({ ...settings.listmonk, ...via("listmonk") }) as VendorClient;
  if (settings.acton) clients.acton = createActOnClient({ ...settings.acton, ...via("acton") }) as VendorClient;
  if (settings.everlytic) clients.everlytic = createEverlyticClient({ ...settings.everlytic, ...via("everlytic") }) as VendorClient;
  if (settings.expertsender) clients.expertsender = createExpertSenderClient({ ...settings.expertsender, ...via("expertsender") }) as VendorClient;
  return clients;
}

/**
 * Whether `name` is a vendor txgate knows.
 *
 * @example
 * if (!isVendorName(params.vendor)) throw new Refusal("not_found", "no such vendor");
 */
export function isVendorName(name: string): name is VendorName {
  return (VENDOR_NAMES as readonly string[]).includes(name);
}
