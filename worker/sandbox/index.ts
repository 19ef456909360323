/**
 * The built-in sandbox: one fake of each vendor's HTTP API, all recording into one outbox. The worker's clients
 * reach them through an injected `fetch` (no network); the same handlers are mounted at
 * `/sandbox/<vendor>/…` so they can be called over HTTP (the load benchmark's baseline).
 */
import type { VendorName } from "../../src/core/public.ts";
import { VENDOR_NAMES } from "../../src/core/vendors.ts";
import { withForcedFailures } from "../delivery/sandbox-delivery.ts";
import { actonSandbox } from "./acton.ts";
import { everlyticSandbox } from "./everlytic.ts";
import { expertsenderSandbox } from "./expertsender.ts";
import type { SandboxVendor } from "./http.ts";
import { listmonkSandbox } from "./listmonk.ts";
import { SANDBOX_SETTINGS } from "../../src/testing/sandbox-settings.ts";
import { Outbox } from "../../src/worker/local/outbox.ts";

/** What the sandbox vendors of this isolate received, for the outbox page. */
export const outbox = new Outbox();

/** Where the sandbox clients send: any origin works, since the request never leaves the isolate. */
export const SANDBOX_BASE_URL = SANDBOX_SETTINGS.listmonk.baseUrl;

/** Each vendor's fake; typed by the registry's names, so a vendor added there without a fake does not compile. */
const fakes: Record<VendorName, (box: typeof outbox) => SandboxVendor> = {
  listmonk: listmonkSandbox,
  acton: actonSandbox,
  everlytic: everlyticSandbox,
  expertsender: expertsenderSandbox,
};

/** The sandbox vendors of this isolate, sharing its outbox. */
export const sandboxVendors = Object.fromEntries(
  // Each behind the switch that can make it answer 429, 500 or 503 (POST /sandbox/failures).
  VENDOR_NAMES.map((vendor) => [vendor, withForcedFailures(vendor, fakes[vendor](outbox))]),
) as Record<VendorName, SandboxVendor>;

/**
 * Serves `/sandbox/<vendor>/<vendor path>` with that vendor's sandbox, as if `<vendor path>` had been
 * requested from the vendor.
 *
 * @example
 * // POST /sandbox/listmonk/api/tx → the listmonk sandbox's POST /api/tx
 * return serveSandboxApi(request, "listmonk", "/api/tx");
 */
export async function serveSandboxApi(request: Request, vendor: VendorName, path: string): Promise<Response> {
  const url = new URL(request.url);
  return sandboxVendors[vendor](new Request(`${SANDBOX_BASE_URL}${path}${url.search}`, request));
}

export { ACTON_SANDBOX } from "./acton.ts";
export { EVERLYTIC_SANDBOX } from "./everlytic.ts";
export { EXPERTSENDER_SANDBOX } from "./expertsender.ts";
export { LISTMONK_SANDBOX } from "./listmonk.ts";
