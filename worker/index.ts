/**
 * This repo's txgate Worker: one deployment of `txgate/worker`, as a user's would be, with its actions
 * (actions.ts), the built-in sandbox (sandbox/) and the local pages (pages/). wrangler.toml binds the classes
 * re-exported below.
 */
import { createTxgateWorker } from "../src/worker/index.ts";
import { actions } from "./actions.ts";
import { serveLocal } from "./pages/local.ts";
import { takeWebhookPosts } from "./sandbox/webhooks.ts";
import { ACTON_SANDBOX, EVERLYTIC_SANDBOX, EXPERTSENDER_SANDBOX, LISTMONK_SANDBOX, SANDBOX_BASE_URL, sandboxVendors } from "./sandbox/index.ts";

// Each fake is looked up per request, so a test can stand in for one (vi.spyOn(sandboxVendors, "acton")).
export default createTxgateWorker({
  actions,
  sandbox: {
    vendors: {
      listmonk: { fetch: (request) => sandboxVendors.listmonk(request), settings: { baseUrl: SANDBOX_BASE_URL, ...LISTMONK_SANDBOX } },
      acton: { fetch: (request) => sandboxVendors.acton(request), settings: { baseUrl: SANDBOX_BASE_URL, ...ACTON_SANDBOX } },
      everlytic: { fetch: (request) => sandboxVendors.everlytic(request), settings: { baseUrl: SANDBOX_BASE_URL, ...EVERLYTIC_SANDBOX } },
      expertsender: { fetch: (request) => sandboxVendors.expertsender(request), settings: { baseUrl: SANDBOX_BASE_URL, ...EXPERTSENDER_SANDBOX } },
    },
    serveLocal,
    takeWebhookPosts,
  },
});

// Durable Objects are exported by the main module, as Workers require.
export { IdempotencyLedgerObject, MessageObject, VendorAccount } from "../src/worker/index.ts";
