/**
 * How the worker reads each vendor's settings from its environment: each vendor's descriptor says which settings
 * it has, which are secrets and how they become its client's options, so the worker's `Env` and configuration
 * never spell a vendor's settings out themselves. A vendor is configured when any of its settings is set; then all
 * its required ones must be.
 */
import { holdsUserInfo } from "../core/credentials.ts";
import type { VendorName } from "../core/public.ts";
import type { AnyVendorDescriptor, ReadSetting, SettingsOf } from "../vendors/descriptor.ts";
import type { VENDORS } from "../vendors/registry.ts";
import type { VendorAccountObject } from "./durable/account.ts";

export type { ReadSetting } from "../vendors/descriptor.ts";

/**
 * Each vendor's settings, as its factory takes them (what the worker adds, pacing and token stores, aside).
 *
 * @example
 * const acme: VendorOptions["acme"] = { baseUrl: "https://api.acme.example", apiKey };
 */
export type VendorOptions = { readonly [V in VendorName]: SettingsOf<(typeof VENDORS)[V]> };

/**
 * The vendors that have settings, each as its factory takes them.
 *
 * @example
 * const settings: VendorSettings = { acme: { baseUrl: "https://api.acme.example", apiKey } };
 */
export type VendorSettings = { -readonly [V in VendorName]?: VendorOptions[V] };

/** A vendor's settings in the environment: `<VENDOR>_…`, all optional text. */
export type VendorEnv = { readonly [name in `${Uppercase<VendorName>}_${string}`]?: string };

/**
 * Every configured vendor's options; a partly configured vendor is named in `wrong`.
 *
 * @example
 * const vendors = readVendorSettings([acmeVendor], text, wrong); // { acme: { baseUrl, apiKey } }
 */
export function readVendorSettings(vendors: readonly AnyVendorDescriptor[], text: ReadSetting, wrong: string[]): VendorSettings {
  const settings: VendorSettings = {};
  for (const { name: vendor, settings: spec } of vendors) {
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
    else (settings as Record<string, unknown>)[vendor] = options;
  }
  return settings;
}

/** Every vendor setting that is a secret, for the redactor. */
export function vendorSecrets(vendors: readonly AnyVendorDescriptor[]): string[] {
  return vendors.flatMap((vendor) => vendor.settings.secrets);
}

/**
 * Each vendor's pace in sends a second when the deployment sets none: its documented cap, where it has one.
 *
 * @example
 * defaultSendsPerSecond([acmeVendor, otherVendor]); // { acme: 20 }: only acme's descriptor states a cap
 */
export function defaultSendsPerSecond(vendors: readonly AnyVendorDescriptor[]): Partial<Record<VendorName, number>> {
  const rates: Partial<Record<VendorName, number>> = {};
  for (const { name, pacing } of vendors) if (pacing.maxSendsPerSecond !== undefined) rates[name as VendorName] = pacing.maxSendsPerSecond;
  return rates;
}

/**
 * The account's use an operator must know of (its descriptor's `usage`), `undefined` for a vendor that has none.
 *
 * @example
 * await accountUsage(descriptor, options, account); // { loginsThisHour: 1, loginsPerHour: 5 }
 */
export function accountUsage(descriptor: AnyVendorDescriptor, options: object, account: DurableObjectStub<VendorAccountObject>): Promise<Readonly<Record<string, number>>> | undefined {
  return descriptor.usage?.(options, account);
}

/**
 * Why a deployment's pace for `vendor` is above what the vendor allows, or `undefined` when it is not.
 *
 * @example
 * paceAboveCap(acmeVendor, 25); // "Acme allows 20 at most"
 */
export function paceAboveCap({ title, pacing }: AnyVendorDescriptor, rate: number): string | undefined {
  return pacing.maxSendsPerSecond !== undefined && rate > pacing.maxSendsPerSecond ? `${title} allows ${pacing.maxSendsPerSecond} at most` : undefined;
}

