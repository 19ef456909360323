/** Everlytic as txgate knows it: the one place that says what the registry, the worker and the sandbox need of it. */
import { defineVendor, type VendorClient } from "../vendors/descriptor.ts";
import { everlyticCapabilities } from "./capabilities.ts";
import { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.ts";

/** Everlytic's settings in configuration: its client's options without what the host adds. */
export type EverlyticSettings = Pick<EverlyticOptions, "baseUrl" | "username" | "apiKey">;

const SANDBOX = { username: "sandbox", apiKey: "sandbox-everlytic-key" };

/**
 * Everlytic's descriptor: template ids are strings; it puts `{{field}}` personalization in templates and does not
 * document whether a substituted value is read for it again, so a value that could be one is refused rather than
 * bet on. Its account is the API user at its base URL. Unpaced by default.
 *
 * @example
 * export default createTxgateWorker({ vendors: [everlyticVendor], actions });
 */
export const everlyticVendor = defineVendor<"everlytic", string, EverlyticSettings>({
  name: "everlytic",
  title: "Everlytic",
  entry: { specifier: "txgate/everlytic", source: "src/everlytic/index.ts", factory: "createEverlyticClient" },
  templateId: "string",
  capabilities: everlyticCapabilities,
  evaluatedSyntax: { pattern: /\{\{|\}\}/, description: "personalization tags ({{ }})" },
  settings: {
    required: ["EVERLYTIC_USERNAME", "EVERLYTIC_API_KEY"],
    optional: ["EVERLYTIC_BASE_URL"],
    secrets: ["EVERLYTIC_API_KEY"],
    read: (text) => {
      const baseUrl = text("EVERLYTIC_BASE_URL");
      return { ...(baseUrl === undefined ? {} : { baseUrl }), username: text("EVERLYTIC_USERNAME")!, apiKey: text("EVERLYTIC_API_KEY")! };
    },
  },
  accountOwner: (settings) => settings.username,
  defaultBaseUrl: EVERLYTIC_BASE_URL,
  pacing: {},
  sharedTokenStore: false,
  webhookEvents: async () => (await import("./events.ts")).parseEverlyticEvents,
  createClient: async ({ tokenStore: _unused, tokenPacer: _unusedPacer, ...options }) =>
    (await import("./client.ts")).createEverlyticClient(options) as VendorClient,
  sandbox: {
    settings: SANDBOX,
    fake: { factory: "createEverlyticFake", options: SANDBOX },
  },
});
