/**
 * The listmonk sandbox: txgate/testing's listmonk fake (src/testing/listmonk.ts) recording into the outbox.
 * Every address counts as a subscriber, and every template exists.
 */
import { createListmonkFake } from "../../src/testing/listmonk.ts";
import { SANDBOX_SETTINGS } from "../../src/testing/sandbox-settings.ts";
import type { Outbox } from "../../src/worker/local/outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
const { baseUrl: _baseUrl, ...credentials } = SANDBOX_SETTINGS.listmonk;
export const LISTMONK_SANDBOX = credentials;

/**
 * @example
 * const listmonk = listmonkSandbox(outbox);
 * const response = await listmonk(new Request("https://sandbox.invalid/api/tx", { method: "POST", ... }));
 */
export function listmonkSandbox(outbox: Outbox): SandboxVendor {
  return createListmonkFake({ ...LISTMONK_SANDBOX, onMessage: (message) => outbox.record(message) }).fetch;
}
