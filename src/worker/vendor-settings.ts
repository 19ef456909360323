/**
 * How the worker reads each vendor's settings from its environment: one entry per vendor of the registry
 * (src/core/vendors.ts), typed by that vendor's own options (`ListmonkOptions`, ...), so the worker's `Env` and
 * configuration never spell a vendor's settings out themselves. A vendor is configured when any of its settings
 * is set; then all its required ones must be.
 */
import { ACTON_BASE_URL, type ActOnOptions } from "../acton/options.ts";
import { ACTON_PASSWORD_GRANTS_PER_HOUR, actOnTokenKey, passwordGrantsInLastHour } from "../acton/tokens.ts";
import { holdsUserInfo } from "../core/credentials.ts";
import type { VendorName } from "../core/public.ts";
import type { EverlyticOptions } from "../everlytic/options.ts";
import type { ExpertSenderOptions } from "../expertsender/options.ts";
import type { ListmonkOptions } from "../listmonk/options.ts";
import type { VendorAccount } from "./durable/account.ts";

/** Each vendor's settings, as its factory takes them (what the worker adds, pacing and token stores, aside). */
export interface VendorOptions {
  readonly listmonk: Pick<ListmonkOptions, "baseUrl" | "username" | "token" | "authScheme">;
  readonly acton: Pick<ActOnOptions, "baseUrl" | "accountId" | "credentials">;
  readonly everlytic: Pick<EverlyticOptions, "baseUrl" | "username" | "apiKey">;
  readonly expertsender: Pick<ExpertSenderOptions, "baseUrl" | "apiKey">;
}

/** The vendors that have settings, each as its factory takes them. */
export type VendorSettings = { -readonly [V in VendorName]?: VendorOptions[V] };

/** A vendor's settings in the environment: `<VENDOR>_…`, all optional text. */
export type VendorEnv = { readonly [name in `${Uppercase<VendorName>}_${string}`]?: string };

/** A setting's trimmed text, `undefined` when unset or blank. */
export type ReadSetting = (name: string) => string | undefined;

interface VendorSettingsEntry<V extends VendorName> {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** The settings that are secrets: the worker's redactor learns their values. */
  readonly secrets: readonly string[];
  /** The options from settings whose required ones are all set; a bad optional one goes to `wrong`. */
  read(text: ReadSetting, wrong: string[]): VendorOptions[V];
  /** What names the vendor account (its Durable Object: pacing, Act-On's tokens). */
  accountKey(options: VendorOptions[V]): string;
  /**
   * What an operator must know of the account's use that only its account object holds (Act-On: the logins of
   * the last hour), read through the object's public methods; counts only, never a token.
   */
  usage?(options: VendorOptions[V], account: DurableObjectStub<VendorAccount>): Promise<Readonly<Record<string, number>>>;
}

const ifSet = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

const SETTINGS: { readonly [V in VendorName]: VendorSettingsEntry<V> } = {
  listmonk: {
    required: ["LISTMONK_URL", "LISTMONK_USERNAME", "LISTMONK_TOKEN"],
    optional: ["LISTMONK_AUTH_SCHEME"],
    secrets: ["LISTMONK_TOKEN"],
    read: (text, wrong) => {
      const scheme = text("LISTMONK_AUTH_SCHEME");
      if (scheme !== undefined && scheme !== "basic" && scheme !== "token") wrong.push("LISTMONK_AUTH_SCHEME (basic or token)");
      return {
        baseUrl: text("LISTMONK_URL")!,
        username: text("LISTMONK_USERNAME")!,
        token: text("LISTMONK_TOKEN")!,
        ...(scheme === "token" || scheme === "basic" ? { authScheme: scheme } : {}),
      };
    },
    accountKey: (options) => options.baseUrl,
  },
  acton: {
    required: ["ACTON_ACCOUNT_ID", "ACTON_USERNAME", "ACTON_PASSWORD", "ACTON_CLIENT_ID", "ACTON_CLIENT_SECRET"],
    optional: ["ACTON_BASE_URL"],
    secrets: ["ACTON_PASSWORD", "ACTON_CLIENT_SECRET"],
    read: (text) => ({
      ...ifSet("baseUrl", text("ACTON_BASE_URL")),
      accountId: text("ACTON_ACCOUNT_ID")!,
      credentials: {
        username: text("ACTON_USERNAME")!,
        password: text("ACTON_PASSWORD")!,
        clientId: text("ACTON_CLIENT_ID")!,
        clientSecret: text("ACTON_CLIENT_SECRET")!,
      },
    }),
    accountKey: (options) => `${options.accountId} ${options.baseUrl ?? ACTON_BASE_URL}`,
    usage: async (options, account) => {
      const record = await account.tokenRecord(actOnTokenKey(options.baseUrl ?? ACTON_BASE_URL, options.credentials));
      return { loginsThisHour: passwordGrantsInLastHour(record as { passwordGrantsAt: number[] } | undefined), loginsPerHour: ACTON_PASSWORD_GRANTS_PER_HOUR };
    },
  },
  everlytic: {
    required: ["EVERLYTIC_USERNAME", "EVERLYTIC_API_KEY"],
    optional: ["EVERLYTIC_BASE_URL"],
    secrets: ["EVERLYTIC_API_KEY"],
    read: (text) => ({ ...ifSet("baseUrl", text("EVERLYTIC_BASE_URL")), username: text("EVERLYTIC_USERNAME")!, apiKey: text("EVERLYTIC_API_KEY")! }),
    accountKey: (options) => `${options.username} ${options.baseUrl ?? ""}`,
  },
  expertsender: {
    required: ["EXPERTSENDER_BASE_URL", "EXPERTSENDER_API_KEY"],
    optional: [],
    secrets: ["EXPERTSENDER_API_KEY"],
    read: (text) => ({ baseUrl: text("EXPERTSENDER_BASE_URL")!, apiKey: text("EXPERTSENDER_API_KEY")! }),
    accountKey: (options) => options.baseUrl,
  },
};

/**
 * Every configured vendor's options, iterating the registry; a partly configured vendor is named in `wrong`.
 *
 * @example
 * const vendors = readVendorSettings(text, wrong); // { listmonk: { baseUrl, username, token } }
 */
export function readVendorSettings(vendors: readonly VendorName[], text: ReadSetting, wrong: string[]): VendorSettings {
  const settings: VendorSettings = {};
  for (const vendor of vendors) {
    const entry = SETTINGS[vendor] as VendorSettingsEntry<VendorName>;
    // A bad optional setting is reported even when the vendor is otherwise unset.
    const options = entry.read(text, wrong);
    // The client would refuse such a URL only when first built, mid-request; here it is a configuration error.
    for (const name of [...entry.required, ...entry.optional]) {
      if (name.endsWith("_URL") && holdsUserInfo(text(name))) {
        wrong.push(`${name} (holds a user name or password: take them out of the URL and set them in ${vendor}'s credential settings)`);
      }
    }
    if (![...entry.required, ...entry.optional].some((name) => text(name) !== undefined)) continue;
    const missing = entry.required.filter((name) => text(name) === undefined);
    if (missing.length) wrong.push(`${vendor} is partly configured: ${missing.join(", ")} missing`);
    else (settings as Record<VendorName, unknown>)[vendor] = options;
  }
  return settings;
}

/** Every vendor setting that is a secret, for the redactor. */
export function vendorSecrets(vendors: readonly VendorName[]): string[] {
  return vendors.flatMap((vendor) => SETTINGS[vendor].secrets);
}

/**
 * The name of the vendor account these options reach.
 *
 * @example
 * accountKey("listmonk", { baseUrl: "https://lists.example.com", username: "u", token: "t" }); // "https://lists.example.com"
 */
export function accountKey<V extends VendorName>(vendor: V, options: VendorOptions[V]): string {
  return (SETTINGS[vendor] as VendorSettingsEntry<V>).accountKey(options);
}

/**
 * The account's use an operator must know of (`usage` of its entry), `undefined` for a vendor that has none.
 *
 * @example
 * await accountUsage("acton", options, account); // { loginsThisHour: 1, loginsPerHour: 5 }
 */
export function accountUsage<V extends VendorName>(vendor: V, options: VendorOptions[V], account: DurableObjectStub<VendorAccount>): Promise<Readonly<Record<string, number>>> | undefined {
  return (SETTINGS[vendor] as VendorSettingsEntry<V>).usage?.(options, account);
}

/**
 * The settings a vendor needs, for telling an operator what to set.
 *
 * @example
 * vendorSettingNames("everlytic"); // ["EVERLYTIC_USERNAME", "EVERLYTIC_API_KEY"]
 */
export function vendorSettingNames(vendor: VendorName): readonly string[] {
  return SETTINGS[vendor].required;
}
