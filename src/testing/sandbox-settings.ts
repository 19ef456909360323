/**
 * The settings a sandbox's clients are built with, one entry per vendor: made-up credentials the sandbox fakes
 * (./sandbox.ts) accept, at an origin that never resolves, since a sandbox client reaches its fake through an
 * injected `fetch`. Data only, so a Worker can name them without loading the fakes until a sandbox send.
 */
import type { ActOnOptions } from "../acton/options.ts";
import type { VendorName } from "../core/public.ts";
import type { EverlyticOptions } from "../everlytic/options.ts";
import type { ExpertSenderOptions } from "../expertsender/options.ts";
import type { ListmonkOptions } from "../listmonk/options.ts";

/**
 * A sandbox vendor's client settings, as that vendor's client factory takes them.
 *
 * @example
 * const listmonk: SandboxSettings["listmonk"] = SANDBOX_SETTINGS.listmonk;
 */
export interface SandboxSettings {
  readonly listmonk: Required<Pick<ListmonkOptions, "baseUrl" | "username" | "token">>;
  readonly acton: Required<Pick<ActOnOptions, "baseUrl" | "accountId" | "credentials">>;
  readonly everlytic: Required<Pick<EverlyticOptions, "baseUrl" | "username" | "apiKey">>;
  readonly expertsender: Required<Pick<ExpertSenderOptions, "baseUrl" | "apiKey">>;
}

/** Where sandbox clients send: any origin would do, as the request never leaves the process. */
const SANDBOX_BASE_URL = "https://sandbox.txgate.invalid";

/**
 * Each vendor's sandbox settings: what `createSandboxFakes` accepts. Not secrets.
 *
 * @example
 * import { createListmonkClient } from "txgate/listmonk";
 * import { createSandboxFakes, SANDBOX_SETTINGS } from "txgate/testing";
 * const fakes = createSandboxFakes();
 * const client = createListmonkClient({ ...SANDBOX_SETTINGS.listmonk, fetch: fakes.listmonk.fetch });
 */
export const SANDBOX_SETTINGS: { readonly [V in VendorName]: SandboxSettings[V] } = {
  listmonk: { baseUrl: SANDBOX_BASE_URL, username: "sandbox", token: "sandbox-listmonk-token" },
  acton: {
    baseUrl: SANDBOX_BASE_URL,
    accountId: "sandbox",
    credentials: { username: "sandbox@example.com", password: "sandbox-acton-password", clientId: "sandbox-client", clientSecret: "sandbox-acton-client-secret" },
  },
  everlytic: { baseUrl: SANDBOX_BASE_URL, username: "sandbox", apiKey: "sandbox-everlytic-key" },
  expertsender: { baseUrl: SANDBOX_BASE_URL, apiKey: "sandbox-expertsender-key" },
};
