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
export * from "./vendor-fakes.ts";
export { createSandboxFakes, type SandboxFakesOptions } from "./sandbox.ts";
export { SANDBOX_SETTINGS, type SandboxSettings } from "./sandbox-settings.ts";
