/**
 * txgate/testing: one fake of each vendor's HTTP API, for your own tests. Each is a `fetch` handler (pass it as a
 * client's `fetch`; no server, no network) that holds requests to the vendor's spec, answers as the vendor
 * documents, records what it received (`outbox`), and plays failures on request: a recipient whose local part is
 * `fail+timeout`, `fail+429`, `fail+503`, `fail+500`, `fail+auth` or `fail+partial`, or `failNext: [...]`.
 *
 * @example
 * import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "txgate/testing";
 * const listmonk = createListmonkFake();
 * const client = createListmonkClient({ baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonk.fetch });
 */
export { failureOf, type FakeFailure, type FakeMessage, type FakeOptions, type VendorFake } from "./fake.ts";
export { createListmonkFake, LISTMONK_FAKE_CREDENTIALS, type ListmonkFake, type ListmonkFakeOptions, type ListmonkQueued } from "./listmonk.ts";
export {
  createEverlyticFake,
  everlyticError,
  EVERLYTIC_FAKE_CREDENTIALS,
  type EverlyticDelivered,
  type EverlyticFake,
  type EverlyticFakeOptions,
  type EverlyticFakeTemplate,
  type EverlyticWebhookPost,
} from "./everlytic.ts";
export {
  ACTON_FAKE_ACCOUNT,
  createActOnFake,
  type ActOnDelivered,
  type ActOnFake,
  type ActOnFakeOptions,
  type ActOnTokenCall,
} from "./acton.ts";
export {
  createExpertSenderFake,
  EXPERTSENDER_FAKE_API_KEY,
  type ExpertSenderFake,
  type ExpertSenderFakeOptions,
  type ExpertSenderSent,
  type ExpertSenderSubscriber,
} from "./expertsender.ts";
export { createSandboxFakes, type SandboxFakesOptions } from "./sandbox.ts";
export { SANDBOX_SETTINGS, type SandboxSettings } from "./sandbox-settings.ts";
