/**
 * The Act-On sandbox: txgate/testing's Act-On fake (src/testing/acton.ts) recording into the outbox. Every
 * template exists, every sender is allowed, nobody is suppressed, and there is no per-second cap.
 */
import { createActOnFake } from "../../src/testing/acton.ts";
import { SANDBOX_SETTINGS } from "../../src/testing/sandbox-settings.ts";
import type { Outbox } from "../../src/worker/local/outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The account and credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
const { baseUrl: _baseUrl, ...credentials } = SANDBOX_SETTINGS.acton;
export const ACTON_SANDBOX = credentials;

/**
 * @example
 * const acton = actonSandbox(outbox);
 */
export function actonSandbox(outbox: Outbox): SandboxVendor {
  return createActOnFake({ ...ACTON_SANDBOX, ratePerSecond: Infinity, onMessage: (message) => outbox.record(message) }).fetch;
}
