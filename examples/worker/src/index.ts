/**
 * The whole Worker: txgate's router over this project's actions. With `SANDBOX=true` and no vendor credentials
 * (`npm start`), every send goes to the local sandbox and shows up at http://localhost:8787/sandbox. Set a vendor's
 * credentials with `wrangler secret put` and its sends go to the vendor instead.
 */
import { everlyticVendor } from "txgate/everlytic";
import { listmonkVendor } from "txgate/listmonk";
import { createLocalSandbox, createTxgateWorker } from "txgate/worker";
import { actions } from "./actions.ts";

// The vendors this Worker serves (its actions' templates name them): only their code is bundled.
export default createTxgateWorker({ vendors: [listmonkVendor, everlyticVendor], actions, sandbox: createLocalSandbox() });

// wrangler.toml binds these Durable Object classes, so the Worker's main module must export them.
export { IdempotencyLedgerObject, MessageIndexObject, MessageObject, VendorAccountObject } from "txgate/worker";
