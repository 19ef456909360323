/**
 * How the worker reads each vendor's settings from its environment: each vendor's descriptor says which settings
 * it has, which are secrets, what their text must be and how they become its client's options, so the worker's
 * `Env` and configuration never spell a vendor's settings out themselves. They are valibot schemas, checked with
 * the worker's own settings (env.ts). A vendor is configured when any of its settings is set; then all its required
 * ones must be.
 */
import * as v from "valibot";
import { holdsUserInfo } from "../core/credentials.ts";
import type { VendorName } from "../core/public.ts";
import type { AnyVendorDescriptor, ReadSetting, SettingsOf } from "../vendors/descriptor.ts";
import type { VENDORS } from "../vendors/registry.ts";
import type { VendorAccountObject } from "./durable/account.ts";
import { optionalSetting, settingPath, wholeNumber } from "./setting-schemas.ts";

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
 * The schema of each served vendor's settings, by setting name: its descriptor's rules, a URL that holds no user
 * name or password, its pace (`<VENDOR>_SENDS_PER_SECOND`, at most its documented cap) and its webhook credentials.
 *
 * @example
 * const Settings = v.object({ ...vendorSettingEntries([acmeVendor]) });
 */
export function vendorSettingEntries(vendors: readonly AnyVendorDescriptor[]): Record<string, v.GenericSchema<unknown, unknown>> {
  const entries: Record<string, v.GenericSchema<unknown, unknown>> = {};
  for (const { name: vendor, title, settings: spec, pacing } of vendors) {
    for (const name of [...spec.required, ...spec.optional]) {
      const rule = spec.rules?.[name];
      // The client would refuse such a URL only when first built, mid-request; here it is a configuration error.
      const credentialFree = name.endsWith("_URL")
        ? [v.check((url: string) => !holdsUserInfo(url), `holds a user name or password: take them out of the URL and set them in ${vendor}'s credential settings`)]
        : [];
      entries[name] = optionalSetting(...(rule ? [rule] : []), ...credentialFree);
    }
    const cap = pacing.maxSendsPerSecond;
    entries[`${vendor.toUpperCase()}_SENDS_PER_SECOND`] = optionalSetting<number>(
      ...wholeNumber("a whole number of sends a second, at least 1"),
      ...(cap === undefined ? [] : [v.check((rate: number) => rate <= cap, `${title} allows ${cap} at most`)]),
    );
    entries[`${vendor.toUpperCase()}_WEBHOOK_USER`] = optionalSetting();
    entries[`${vendor.toUpperCase()}_WEBHOOK_PASSWORD`] = optionalSetting();
  }
  return entries;
}

/**
 * The checks across each vendor's settings, on the parsed settings: a vendor set in part (some settings, not every
 * required one), and webhook credentials that come without their pair or for a vendor that posts no events.
 *
 * @example
 * const Settings = v.pipe(v.object(vendorSettingEntries(vendors)), vendorSettingChecks(vendors));
 */
export function vendorSettingChecks(vendors: readonly AnyVendorDescriptor[]) {
  return v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
    const value = dataset.value as Record<string, unknown>;
    const set = (name: string) => value[name] !== undefined;
    for (const { name: vendor, settings: spec, webhookEvents } of vendors) {
      const prefix = vendor.toUpperCase();
      if ([...spec.required, ...spec.optional].some(set)) {
        const missing = spec.required.filter((name) => !set(name));
        if (missing.length) addIssue({ message: `${vendor} is partly configured: ${missing.join(", ")} missing (set them, or unset every ${prefix}_ setting)` });
      }
      const [user, password] = [`${prefix}_WEBHOOK_USER`, `${prefix}_WEBHOOK_PASSWORD`];
      if (!set(user) && !set(password)) continue;
      if (!webhookEvents) addIssue({ message: `${vendor} posts no events: unset ${user} and ${password}`, path: settingPath(user) });
      else if (!set(user) || !set(password)) addIssue({ message: `${user} and ${password} go together: set both, or neither` });
    }
  });
}

/**
 * Each configured vendor's options, from settings that passed `vendorSettingEntries` and `vendorSettingChecks`.
 *
 * @example
 * const vendors = readVendorSettings([acmeVendor], settings); // { acme: { baseUrl, apiKey } }
 */
export function readVendorSettings(vendors: readonly AnyVendorDescriptor[], settings: Readonly<Record<string, unknown>>): VendorSettings {
  const text = (name: string) => settings[name] as string | undefined;
  const configured: VendorSettings = {};
  for (const { name: vendor, settings: spec } of vendors) {
    if (spec.required.every((name) => text(name) !== undefined)) (configured as Record<string, unknown>)[vendor] = spec.read(text);
  }
  return configured;
}

/**
 * Each vendor's pace in sends a second: the deployment's `<VENDOR>_SENDS_PER_SECOND`, or else its documented cap
 * where it has one; a vendor with neither is unpaced.
 *
 * @example
 * sendsPerSecond([acmeVendor, otherVendor], {}); // { acme: 20 }: only acme's descriptor states a cap
 */
export function sendsPerSecond(vendors: readonly AnyVendorDescriptor[], settings: Readonly<Record<string, unknown>>): Partial<Record<VendorName, number>> {
  const rates: Partial<Record<VendorName, number>> = {};
  for (const { name, pacing } of vendors) {
    const rate = (settings[`${name.toUpperCase()}_SENDS_PER_SECOND`] as number | undefined) ?? pacing.maxSendsPerSecond;
    if (rate !== undefined) rates[name as VendorName] = rate;
  }
  return rates;
}

/**
 * The webhook credentials of each vendor that has both (`<VENDOR>_WEBHOOK_USER`, `<VENDOR>_WEBHOOK_PASSWORD`).
 *
 * @example
 * webhookCredentials([acmeVendor], settings); // { acme: { user: "acme-posts", password } }
 */
export function webhookCredentials(vendors: readonly AnyVendorDescriptor[], settings: Readonly<Record<string, unknown>>): Partial<Record<VendorName, { readonly user: string; readonly password: string }>> {
  const webhooks: Partial<Record<VendorName, { user: string; password: string }>> = {};
  for (const { name } of vendors) {
    const user = settings[`${name.toUpperCase()}_WEBHOOK_USER`] as string | undefined;
    const password = settings[`${name.toUpperCase()}_WEBHOOK_PASSWORD`] as string | undefined;
    if (user !== undefined && password !== undefined) webhooks[name as VendorName] = { user, password };
  }
  return webhooks;
}

/** Every vendor setting that is a secret, for the redactor. */
export function vendorSecrets(vendors: readonly AnyVendorDescriptor[]): string[] {
  return vendors.flatMap((vendor) => vendor.settings.secrets);
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
