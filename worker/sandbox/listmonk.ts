/**
 * The listmonk sandbox: txgate/testing's listmonk fake (src/testing/listmonk.ts) recording into the outbox.
 * Every address counts as a subscriber, and every template exists.
 */
import { createListmonkFake } from "../../src/testing/listmonk.ts";
import type { Outbox } from "./outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const LISTMONK_SANDBOX = { username: "sandbox", token: "sandbox-listmonk-token" };

/**
 * @example
 * const listmonk = listmonkSandbox(outbox);
 * const response = await listmonk(new Request("https://sandbox.invalid/api/tx", { method: "POST", ... }));
 */
export function listmonkSandbox(outbox: Outbox): SandboxVendor {
  return createListmonkFake({ ...LISTMONK_SANDBOX, onMessage: (message) => outbox.record(message) }).fetch;
}
