/** ExpertSender as txgate knows it: the one place that says what the registry, the worker and the sandbox need of it. */
import { defineVendor, type VendorClient } from "../vendors/descriptor.ts";
import { expertSenderCapabilities } from "./capabilities.ts";
import type { ExpertSenderOptions } from "./options.ts";

/** ExpertSender's settings in configuration: its client's options without what the host adds. */
export type ExpertSenderSettings = Pick<ExpertSenderOptions, "baseUrl" | "apiKey">;

const SANDBOX = { apiKey: "sandbox-expertsender-key" };

/**
 * ExpertSender's descriptor: template ids are numbers; it evaluates personalization tags (`*[subscriber_firstname]*`)
 * inside snippet values (its SystemTransactionals page), so a browser variable holding one is refused. Each account
 * lives on one API host, which names it. Unpaced by default.
 *
 * @example
 * export default createTxgateWorker({ vendors: [expertSenderVendor], actions });
 */
export const expertSenderVendor = defineVendor<"expertsender", number, ExpertSenderSettings>({
  name: "expertsender",
  title: "ExpertSender",
  entry: { specifier: "txgate/expertsender", source: "src/expertsender/index.ts", factory: "createExpertSenderClient" },
  templateId: "number",
  capabilities: expertSenderCapabilities,
  evaluatedSyntax: { pattern: /\*\[/, description: "ExpertSender personalization tags (*[ ]*)" },
  settings: {
    required: ["EXPERTSENDER_BASE_URL", "EXPERTSENDER_API_KEY"],
    optional: [],
    secrets: ["EXPERTSENDER_API_KEY"],
    read: (text) => ({ baseUrl: text("EXPERTSENDER_BASE_URL")!, apiKey: text("EXPERTSENDER_API_KEY")! }),
  },
  pacing: {},
  sharedTokenStore: false,
  createClient: async ({ tokenStore: _unused, tokenPacer: _unusedPacer, ...options }) =>
    (await import("./client.ts")).createExpertSenderClient(options) as VendorClient,
  sandbox: {
    settings: SANDBOX,
    fake: { factory: "createExpertSenderFake", options: SANDBOX },
  },
});
