/**
 * The Act-On sandbox: txgate/testing's Act-On fake (src/testing/acton.ts) recording into the outbox. Every
 * template exists, every sender is allowed, nobody is suppressed, and there is no per-second cap.
 */
import { createActOnFake } from "../../src/testing/acton.ts";
import type { Outbox } from "./outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The account and credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const ACTON_SANDBOX = {
  accountId: "sandbox",
  credentials: { username: "sandbox@example.com", password: "sandbox-acton-password", clientId: "sandbox-client", clientSecret: "sandbox-acton-client-secret" },
};

/**
 * @example
 * const acton = actonSandbox(outbox);
 */
export function actonSandbox(outbox: Outbox): SandboxVendor {
  return createActOnFake({ ...ACTON_SANDBOX, ratePerSecond: Infinity, onMessage: (message) => outbox.record(message) }).fetch;
}
