/**
 * How the worker reads each vendor's settings from its environment: each vendor's descriptor says which settings
 * it has, which are secrets and how they become its client's options, so the worker's `Env` and configuration
 * never spell a vendor's settings out themselves. A vendor is configured when any of its settings is set; then all
 * its required ones must be.
 */
import { holdsUserInfo } from "../core/credentials.ts";
import type { VendorName } from "../core/public.ts";
import { accountKey as descriptorAccountKey, type ReadSetting, type SettingsOf } from "../vendors/descriptor.ts";
import { VENDORS } from "../vendors/registry.ts";

export type { ReadSetting } from "../vendors/descriptor.ts";

/** Each vendor's settings, as its factory takes them (what the worker adds, pacing and token stores, aside). */
export type VendorOptions = { readonly [V in VendorName]: SettingsOf<(typeof VENDORS)[V]> };

/** The vendors that have settings, each as its factory takes them. */
export type VendorSettings = { -readonly [V in VendorName]?: VendorOptions[V] };

/** A vendor's settings in the environment: `<VENDOR>_…`, all optional text. */
export type VendorEnv = { readonly [name in `${Uppercase<VendorName>}_${string}`]?: string };

/**
 * Every configured vendor's options; a partly configured vendor is named in `wrong`.
 *
 * @example
 * const vendors = readVendorSettings(text, wrong); // { listmonk: { baseUrl, username, token } }
 */
export function readVendorSettings(vendors: readonly VendorName[], text: ReadSetting, wrong: string[]): VendorSettings {
  const settings: VendorSettings = {};
  for (const vendor of vendors) {
    const spec = VENDORS[vendor].settings;
    // A bad optional setting is reported even when the vendor is otherwise unset.
    const options = spec.read(text, wrong);
    // The client would refuse such a URL only when first built, mid-request; here it is a configuration error.
    for (const name of [...spec.required, ...spec.optional]) {
      if (name.endsWith("_URL") && holdsUserInfo(text(name))) {
        wrong.push(`${name} (holds a user name or password: take them out of the URL and set them in ${vendor}'s credential settings)`);
      }
    }
    if (![...spec.required, ...spec.optional].some((name) => text(name) !== undefined)) continue;
    const missing = spec.required.filter((name) => text(name) === undefined);
    if (missing.length) wrong.push(`${vendor} is partly configured: ${missing.join(", ")} missing`);
    else (settings as Record<VendorName, unknown>)[vendor] = options;
  }
  return settings;
}

/** Every vendor setting that is a secret, for the redactor. */
export function vendorSecrets(vendors: readonly VendorName[]): string[] {
  return vendors.flatMap((vendor) => VENDORS[vendor].settings.secrets);
}

/**
 * The name of the vendor account these options reach: the key of its Durable Object (pacing, shared tokens).
 *
 * @example
 * accountKey("listmonk", { baseUrl: "https://lists.example.com", username: "u", token: "t" }); // "https://lists.example.com"
 */
export function accountKey<V extends VendorName>(vendor: V, options: VendorOptions[V]): string {
  return descriptorAccountKey(VENDORS[vendor] as never, options as never);
}

/**
 * Each vendor's pace in sends a second when the deployment sets none: its documented cap, where it has one.
 *
 * @example
 * defaultSendsPerSecond(["acton", "listmonk"]); // { acton: 20 }
 */
export function defaultSendsPerSecond(vendors: readonly VendorName[]): Partial<Record<VendorName, number>> {
  const rates: Partial<Record<VendorName, number>> = {};
  for (const vendor of vendors) {
    const cap = VENDORS[vendor].pacing.maxSendsPerSecond;
    if (cap !== undefined) rates[vendor] = cap;
  }
  return rates;
}

/**
 * Why a deployment's pace for `vendor` is above what the vendor allows, or `undefined` when it is not.
 *
 * @example
 * paceAboveCap("acton", 25); // "Act-On allows 20 at most"
 */
export function paceAboveCap(vendor: VendorName, rate: number): string | undefined {
  const { title, pacing } = VENDORS[vendor];
  return pacing.maxSendsPerSecond !== undefined && rate > pacing.maxSendsPerSecond ? `${title} allows ${pacing.maxSendsPerSecond} at most` : undefined;
}
