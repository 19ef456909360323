/**
 * The built-in sandbox: each registered vendor's fake (txgate/testing, by its descriptor), all recording into one
 * outbox. The worker's clients reach them through an injected `fetch` (no network); the same handlers are mounted
 * at `/sandbox/<vendor>/…` so they can be called over HTTP (the load benchmark's baseline). Every fake accepts
 * its descriptor's made-up sandbox settings, and every address and template exists.
 */
import type { VendorName } from "../../src/core/public.ts";
import * as testing from "../../src/testing/index.ts";
import { VENDOR_LIST, VENDORS } from "../../src/vendors/registry.ts";
import type { WorkerSandbox } from "../../src/worker/index.ts";
import { withForcedFailures } from "../delivery/sandbox-delivery.ts";
import type { SandboxVendor } from "./http.ts";
import { keepWebhookPost } from "./webhooks.ts";
import { Outbox, type RecordedMessage } from "../../src/worker/local/outbox.ts";

/** What the sandbox vendors of this isolate received, for the outbox page. */
export const outbox = new Outbox();

/** Where the sandbox clients send: any origin works, since the request never leaves the isolate. */
export const SANDBOX_BASE_URL = "https://sandbox.txgate.invalid";

type FakeFactory = (options: Record<string, unknown>) => { fetch: SandboxVendor };

/** A vendor's fake: the txgate/testing factory its descriptor names, accepting its sandbox settings. */
function fakeOf(vendor: VendorName): SandboxVendor {
  const { factory, options } = VENDORS[vendor].sandbox.fake;
  const create = (testing as unknown as Record<string, FakeFactory>)[factory]!;
  // A fake that posts webhooks (its vendor reports delivery events) hands each post to the worker's own event handling.
  return create({
    ...options,
    onMessage: (message: unknown) => outbox.record(message as Omit<RecordedMessage, "id" | "at">),
    onWebhook: (post: unknown) => keepWebhookPost(vendor, post as Parameters<typeof keepWebhookPost>[1]),
  }).fetch;
}

/** The sandbox vendors of this isolate, sharing its outbox. */
export const sandboxVendors = Object.fromEntries(
  // Each behind the switch that can make it answer 429, 500 or 503 (POST /sandbox/failures).
  VENDOR_LIST.map(({ name }) => [name, withForcedFailures(name, fakeOf(name))]),
) as Record<VendorName, SandboxVendor>;

/**
 * The sandbox as the worker takes it: each vendor's fake and the settings its client uses against it. Each fake is
 * looked up per request, so a test can stand in for one (`vi.spyOn(sandboxVendors, "acton")`).
 *
 * @example
 * createTxgateWorker({ actions, sandbox: { vendors: sandboxClients(), serveLocal } });
 */
export function sandboxClients(): WorkerSandbox["vendors"] {
  return Object.fromEntries(
    VENDOR_LIST.map(({ name, sandbox }) => [
      name,
      { fetch: (request: Request) => sandboxVendors[name](request), settings: { baseUrl: SANDBOX_BASE_URL, ...sandbox.settings } },
    ]),
  ) as WorkerSandbox["vendors"];
}

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

