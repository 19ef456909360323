/**
 * A sandbox: one fake of each vendor, accepting `SANDBOX_SETTINGS` and otherwise as lenient as a fake can be
 * (every template exists, every sender and domain is allowed, nobody is suppressed, no per-second cap), so a
 * project's first send goes through whichever vendor its catalogue names. Typed by the registry's names: a vendor
 * added there without a fake here does not compile.
 */
import type { VendorName } from "../core/public.ts";
import { createActOnFake } from "./acton.ts";
import { createEverlyticFake } from "./everlytic.ts";
import { createExpertSenderFake } from "./expertsender.ts";
import type { FakeMessage, VendorFake } from "./fake.ts";
import { createListmonkFake } from "./listmonk.ts";
import { SANDBOX_SETTINGS } from "./sandbox-settings.ts";

/**
 * Options of `createSandboxFakes`.
 *
 * @example
 * const fakes = createSandboxFakes({ onMessage: (message) => console.log(message.vendor, message.to) } satisfies SandboxFakesOptions);
 */
export interface SandboxFakesOptions {
  /** Called with each message any of the fakes records (a Worker's outbox page keeps them this way). */
  readonly onMessage?: (message: FakeMessage) => void;
}

/**
 * One fake of each vendor, each accepting that vendor's `SANDBOX_SETTINGS`.
 *
 * @example
 * import { createListmonkClient } from "txgate/listmonk";
 * import { createSandboxFakes, SANDBOX_SETTINGS } from "txgate/testing";
 * const fakes = createSandboxFakes({ onMessage: (message) => console.log(message.vendor, message.to) });
 * const listmonk = createListmonkClient({ ...SANDBOX_SETTINGS.listmonk, fetch: fakes.listmonk.fetch });
 */
export function createSandboxFakes(options: SandboxFakesOptions = {}): { readonly [V in VendorName]: VendorFake } {
  const onMessage = options.onMessage ? { onMessage: options.onMessage } : {};
  const { baseUrl: _listmonk, ...listmonk } = SANDBOX_SETTINGS.listmonk;
  const { baseUrl: _acton, ...acton } = SANDBOX_SETTINGS.acton;
  const { baseUrl: _everlytic, ...everlytic } = SANDBOX_SETTINGS.everlytic;
  const { baseUrl: _expertsender, ...expertsender } = SANDBOX_SETTINGS.expertsender;
  return {
    listmonk: createListmonkFake({ ...listmonk, ...onMessage }),
    acton: createActOnFake({ ...acton, ratePerSecond: Infinity, ...onMessage }),
    everlytic: createEverlyticFake({ ...everlytic, ...onMessage }),
    expertsender: createExpertSenderFake({ ...expertsender, ...onMessage }),
  };
}
