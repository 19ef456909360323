/** listmonk as txgate knows it: the one place that says what the registry, the worker and the sandbox need of it. */
import * as v from "valibot";
import { defineVendor, type VendorClient } from "../vendors/descriptor.ts";
import { listmonkCapabilities } from "./capabilities.ts";
import type { ListmonkOptions } from "./options.ts";

/** listmonk's settings in configuration: its client's options without what the host adds. */
export type ListmonkSettings = Pick<ListmonkOptions, "baseUrl" | "username" | "token" | "authScheme">;

const SANDBOX = { username: "sandbox", token: "sandbox-listmonk-token" };

/**
 * listmonk's descriptor: template ids are numbers; its values are Go template data, which a Go template prints
 * and never evaluates, so no browser variable is refused for its syntax. Self-hosted: no default base URL, and
 * the base URL alone names the account. Unpaced by default.
 *
 * @example
 * export default createTxgateWorker({ vendors: [listmonkVendor], actions });
 */
export const listmonkVendor = defineVendor<"listmonk", number, ListmonkSettings>({
  name: "listmonk",
  title: "listmonk",
  entry: { specifier: "txgate/listmonk", source: "src/listmonk/index.ts", factory: "createListmonkClient" },
  templateId: "number",
  capabilities: listmonkCapabilities,
  evaluatedSyntax: undefined,
  settings: {
    required: ["LISTMONK_URL", "LISTMONK_USERNAME", "LISTMONK_TOKEN"],
    optional: ["LISTMONK_AUTH_SCHEME"],
    secrets: ["LISTMONK_TOKEN"],
    rules: { LISTMONK_AUTH_SCHEME: v.picklist(["basic", "token"], "basic or token") },
    read: (text) => {
      const scheme = text("LISTMONK_AUTH_SCHEME");
      return {
        baseUrl: text("LISTMONK_URL")!,
        username: text("LISTMONK_USERNAME")!,
        token: text("LISTMONK_TOKEN")!,
        ...(scheme === "token" || scheme === "basic" ? { authScheme: scheme } : {}),
      };
    },
  },
  pacing: {},
  sharedTokenStore: false,
  createClient: async ({ tokenStore: _unused, tokenPacer: _unusedPacer, ...options }) =>
    (await import("./client.ts")).createListmonkClient(options) as VendorClient,
  sandbox: {
    settings: SANDBOX,
    fake: { factory: "createListmonkFake", options: SANDBOX },
  },
});
