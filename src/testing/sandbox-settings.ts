/**
 * Each vendor's sandbox: the made-up settings its fake accepts and where its fake is, the one list of them. A
 * sandbox's clients are built with these at an origin that never resolves, since a sandbox client reaches its fake
 * through an injected `fetch`. Data only, so a Worker can name them without loading the fakes until a sandbox send.
 * A vendor's descriptor gives the same entry as its `sandbox` (test/vendors checks they agree).
 */
import type { VendorName } from "../core/public.ts";
import type { FakeReference, SettingsOf } from "../vendors/descriptor.ts";
import type { VENDORS } from "../vendors/registry.ts";

/** A vendor's settings in configuration, as its descriptor reads them. */
type SettingsOfVendor<V extends VendorName> = SettingsOf<(typeof VENDORS)[V]>;

/**
 * A vendor's sandbox: the settings its client uses against its fake (no base URL: the host gives it), and its fake
 * (`txgate/testing`'s factory by name, and the options that make it accept those settings).
 *
 * @example
 * const listmonk: VendorSandbox<"listmonk"> = SANDBOX_VENDORS.listmonk;
 */
export interface VendorSandbox<V extends VendorName> {
  readonly settings: Omit<SettingsOfVendor<V>, "baseUrl">;
  readonly fake: FakeReference;
}

const LISTMONK = { username: "sandbox", token: "sandbox-listmonk-token" };
const ACTON = {
  accountId: "sandbox",
  credentials: { username: "sandbox@example.com", password: "sandbox-acton-password", clientId: "sandbox-client", clientSecret: "sandbox-acton-client-secret" },
};
const EVERLYTIC = { username: "sandbox", apiKey: "sandbox-everlytic-key" };
const EXPERTSENDER = { apiKey: "sandbox-expertsender-key" };

/**
 * Every vendor's sandbox, by name. Typed by the registry's names: a vendor registered without an entry here does
 * not compile.
 *
 * @example
 * const { factory, options } = SANDBOX_VENDORS.everlytic.fake; // "createEverlyticFake", its sandbox credentials
 */
export const SANDBOX_VENDORS: { readonly [V in VendorName]: VendorSandbox<V> } = {
  listmonk: { settings: LISTMONK, fake: { factory: "createListmonkFake", options: LISTMONK } },
  // The sandbox has no per-second cap: the worker's own pacing is what a sandbox send exercises.
  acton: { settings: ACTON, fake: { factory: "createActOnFake", options: { ...ACTON, ratePerSecond: Infinity } } },
  everlytic: { settings: EVERLYTIC, fake: { factory: "createEverlyticFake", options: EVERLYTIC } },
  expertsender: { settings: EXPERTSENDER, fake: { factory: "createExpertSenderFake", options: EXPERTSENDER } },
};

/**
 * A sandbox vendor's client settings, as that vendor's client factory takes them.
 *
 * @example
 * const listmonk: SandboxSettings["listmonk"] = SANDBOX_SETTINGS.listmonk;
 */
export type SandboxSettings = { readonly [V in VendorName]: { readonly baseUrl: string } & VendorSandbox<V>["settings"] };

/** Where sandbox clients send: any origin would do, as the request never leaves the process. */
const SANDBOX_BASE_URL = "https://sandbox.txgate.invalid";

/**
 * Each vendor's sandbox settings: what `createSandboxFakes` accepts. Not secrets.
 *
 * @example
 * import { createListmonkClient } from "txgate/listmonk";
 * import { createSandboxFakes, SANDBOX_SETTINGS } from "txgate/testing";
 * const fakes = createSandboxFakes();
 * const client = createListmonkClient({ ...SANDBOX_SETTINGS.listmonk, fetch: fakes.listmonk.fetch });
 */
export const SANDBOX_SETTINGS = Object.fromEntries(
  Object.entries(SANDBOX_VENDORS).map(([name, { settings }]) => [name, { baseUrl: SANDBOX_BASE_URL, ...settings }]),
) as SandboxSettings;
