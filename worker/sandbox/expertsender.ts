/**
 * The ExpertSender sandbox: txgate/testing's ExpertSender fake (src/testing/expertsender.ts) recording into the
 * outbox. Every transactional message id exists and is active; every receiver is a subscriber.
 */
import { createExpertSenderFake } from "../../src/testing/expertsender.ts";
import { SANDBOX_SETTINGS } from "../../src/testing/sandbox-settings.ts";
import type { Outbox } from "../../src/worker/local/outbox.ts";
import type { SandboxVendor } from "./http.ts";

/** The API key the sandbox accepts; the worker's own sandbox client uses it. Not a secret. */
const { baseUrl: _baseUrl, ...credentials } = SANDBOX_SETTINGS.expertsender;
export const EXPERTSENDER_SANDBOX = credentials;

/**
 * @example
 * const expertsender = expertsenderSandbox(outbox);
 */
export function expertsenderSandbox(outbox: Outbox): SandboxVendor {
  return createExpertSenderFake({ ...EXPERTSENDER_SANDBOX, onMessage: (message) => outbox.record(message) }).fetch;
}
