/**
 * The Everlytic sandbox: txgate/testing's Everlytic fake (src/testing/everlytic.ts) recording into the outbox.
 * Every template exists and every sending domain is verified.
 */
import { createEverlyticFake } from "../../src/testing/everlytic.ts";
import type { Outbox } from "./outbox.ts";
import type { SandboxVendor } from "./http.ts";
import { keepWebhookPost } from "./webhooks.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const EVERLYTIC_SANDBOX = { username: "sandbox", apiKey: "sandbox-everlytic-key" };

/**
 * @example
 * const everlytic = everlyticSandbox(outbox);
 */
export function everlyticSandbox(outbox: Outbox): SandboxVendor {
  // Its webhook posts (bounced@example.com bounces, opened@example.com is opened, any other is delivered) go to the
  // worker's own event handling, after each queued send.
  return createEverlyticFake({ ...EVERLYTIC_SANDBOX, onMessage: (message) => outbox.record(message), onWebhook: (post) => keepWebhookPost("everlytic", post) }).fetch;
}
