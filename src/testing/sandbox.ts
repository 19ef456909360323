/**
 * A sandbox: one fake of each vendor, accepting `SANDBOX_SETTINGS` and otherwise as lenient as a fake can be
 * (every template exists, every sender and domain is allowed, nobody is suppressed, no per-second cap), so a
 * project's first send goes through whichever vendor its catalogue names. Each is the factory its sandbox entry names
 * (./sandbox-settings.ts, typed by the registry's names) among the factories of ./vendor-fakes.ts.
 */
import type { VendorName } from "../core/public.ts";
import type { FakeMessage, VendorFake } from "./fake.ts";
import { SANDBOX_VENDORS } from "./sandbox-settings.ts";
import factoriesByName from "./vendor-fakes.ts";

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
  const factories = factoriesByName as Readonly<Record<string, (options: object) => VendorFake>>;
  return Object.fromEntries(
    Object.entries(SANDBOX_VENDORS).map(([name, { fake }]) => [name, factories[fake.factory]!({ ...fake.options, ...onMessage })]),
  ) as { readonly [V in VendorName]: VendorFake };
}
