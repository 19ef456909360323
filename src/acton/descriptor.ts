/** Act-On as txgate knows it: the one place that says what the registry, the worker and the sandbox need of it. */
import { defineVendor, type VendorClient } from "../vendors/descriptor.ts";
import { actOnCapabilities } from "./capabilities.ts";
import { ACTON_BASE_URL, ACTON_SENDS_PER_SECOND, ACTON_TOKEN_CALLS_PER_SECOND, type ActOnOptions } from "./options.ts";
import { ACTON_PASSWORD_GRANTS_PER_HOUR, actOnTokenKey, passwordGrantsInLastHour, type ActOnTokenStore } from "./tokens.ts";

/** Act-On's settings in configuration: its client's options without what the host adds. */
export type ActOnSettings = Pick<ActOnOptions, "baseUrl" | "accountId" | "credentials">;

const SANDBOX = {
  accountId: "sandbox",
  credentials: { username: "sandbox@example.com", password: "sandbox-acton-password", clientId: "sandbox-client", clientSecret: "sandbox-acton-client-secret" },
};

/**
 * Act-On's descriptor: template ids are strings; it puts `{{field}}` personalization in templates and does not
 * document whether a substituted value is read for it again, so a value that could be one is refused rather than
 * bet on. Its account is the account id at its gateway, paced to its cap of sends a second; its OAuth tokens
 * and its token calls are shared by every isolate.
 *
 * @example
 * export default createTxgateWorker({ vendors: [actOnVendor], actions });
 */
export const actOnVendor = defineVendor<"acton", string, ActOnSettings>({
  name: "acton",
  title: "Act-On",
  entry: { specifier: "txgate/acton", source: "src/acton/index.ts", factory: "createActOnClient" },
  templateId: "string",
  capabilities: actOnCapabilities,
  evaluatedSyntax: { pattern: /\{\{|\}\}/, description: "personalization tags ({{ }})" },
  settings: {
    required: ["ACTON_ACCOUNT_ID", "ACTON_USERNAME", "ACTON_PASSWORD", "ACTON_CLIENT_ID", "ACTON_CLIENT_SECRET"],
    optional: ["ACTON_BASE_URL"],
    secrets: ["ACTON_PASSWORD", "ACTON_CLIENT_SECRET"],
    read: (text) => {
      const baseUrl = text("ACTON_BASE_URL");
      return {
        ...(baseUrl === undefined ? {} : { baseUrl }),
        accountId: text("ACTON_ACCOUNT_ID")!,
        credentials: {
          username: text("ACTON_USERNAME")!,
          password: text("ACTON_PASSWORD")!,
          clientId: text("ACTON_CLIENT_ID")!,
          clientSecret: text("ACTON_CLIENT_SECRET")!,
        },
      };
    },
  },
  accountOwner: (settings) => settings.accountId,
  defaultBaseUrl: ACTON_BASE_URL,
  pacing: { maxSendsPerSecond: ACTON_SENDS_PER_SECOND, tokenCallsPerSecond: ACTON_TOKEN_CALLS_PER_SECOND },
  sharedTokenStore: true,
  // Logins are what Act-On rations (5 an hour): an operator sees how many the hour has left.
  usage: async (settings, account) => {
    const record = await account.tokenRecord(actOnTokenKey(settings.baseUrl ?? ACTON_BASE_URL, settings.credentials));
    return { loginsThisHour: passwordGrantsInLastHour(record as { passwordGrantsAt: number[] } | undefined), loginsPerHour: ACTON_PASSWORD_GRANTS_PER_HOUR };
  },
  createClient: async ({ tokenStore, ...options }) =>
    (await import("./client.ts")).createActOnClient({ ...options, ...(tokenStore ? { tokenStore: tokenStore as ActOnTokenStore } : {}) }) as VendorClient,
  sandbox: {
    settings: SANDBOX,
    // The sandbox has no per-second cap: the worker's own pacing is what a sandbox send exercises.
    fake: { factory: "createActOnFake", options: { ...SANDBOX, ratePerSecond: Infinity } },
  },
});
