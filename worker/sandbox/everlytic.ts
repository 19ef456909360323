/**
 * The Everlytic sandbox: txgate/testing's Everlytic fake (src/testing/everlytic.ts) recording into the outbox.
 * Every template exists and every sending domain is verified.
 */
import { createEverlyticFake } from "../../src/testing/everlytic.ts";
import { SANDBOX_SETTINGS } from "../../src/testing/sandbox-settings.ts";
import type { Outbox } from "../../src/worker/local/outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
const { baseUrl: _baseUrl, ...credentials } = SANDBOX_SETTINGS.everlytic;
export const EVERLYTIC_SANDBOX = credentials;

/**
 * @example
 * const everlytic = everlyticSandbox(outbox);
 */
export function everlyticSandbox(outbox: Outbox): SandboxVendor {
  return createEverlyticFake({ ...EVERLYTIC_SANDBOX, onMessage: (message) => outbox.record(message) }).fetch;
}
