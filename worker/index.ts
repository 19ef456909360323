/**
 * This repo's txgate Worker: one deployment of `txgate/worker`, as a user's would be, with its actions
 * (actions.ts), the built-in sandbox (sandbox/) and the local pages (pages/). wrangler.toml binds the classes
 * re-exported below.
 */
import { createTxgateWorker } from "../src/worker/index.ts";
import { actions } from "./actions.ts";
import { serveLocal } from "./pages/local.ts";
import { VENDOR_LIST } from "../src/vendors/registry.ts";
import { sandboxClients } from "./sandbox/index.ts";
import { takeWebhookPosts } from "./sandbox/webhooks.ts";

// This repo's deployment serves every registered vendor; a user's lists the ones it sends through.
export default createTxgateWorker({ vendors: VENDOR_LIST, actions, sandbox: { vendors: sandboxClients(), serveLocal, takeWebhookPosts } });

// Durable Objects are exported by the main module, as Workers require.
export { IdempotencyLedgerObject, MessageIndexObject, MessageObject, VendorAccountObject } from "../src/worker/index.ts";
