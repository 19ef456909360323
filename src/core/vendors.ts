/**
 * The vendor registry: the one list of the vendors txgate speaks to, with where each one's entry is and what it can
 * carry. Data only: it imports no client, so whatever iterates over it (the worker's configuration, the sandbox,
 * the docs, the tests) pulls no vendor's code into a bundle, and no single-vendor entry imports it.
 */
import { actOnCapabilities } from "../acton/capabilities.ts";
import { everlyticCapabilities } from "../everlytic/capabilities.ts";
import { expertSenderCapabilities } from "../expertsender/capabilities.ts";
import { listmonkCapabilities } from "../listmonk/capabilities.ts";
import type { VendorCapabilities } from "./capabilities.ts";

/**
 * Every vendor's name, in the order the docs list them. `VendorName` is one of these.
 *
 * @example
 * for (const vendor of VENDOR_NAMES) console.log(VENDORS[vendor].entry); // "txgate/listmonk", ...
 */
export const VENDOR_NAMES = ["listmonk", "acton", "everlytic", "expertsender"] as const;

/** One vendor as the registry knows it. */
export interface VendorEntry {
  /** As the vendor spells itself. */
  readonly title: string;
  /** The package entry a user imports. */
  readonly entry: string;
  /** That entry's TypeScript source, from the package root. */
  readonly source: string;
  /** The entry's client factory. */
  readonly createClient: string;
  readonly capabilities: VendorCapabilities;
}

/**
 * Each vendor's entry, factory and capability table.
 *
 * @example
 * const { createClient } = VENDORS.acton; // "createActOnClient"
 */
export const VENDORS: { readonly [V in (typeof VENDOR_NAMES)[number]]: VendorEntry } = {
  listmonk: entry("listmonk", "listmonk", "createListmonkClient", listmonkCapabilities),
  acton: entry("acton", "Act-On", "createActOnClient", actOnCapabilities),
  everlytic: entry("everlytic", "Everlytic", "createEverlyticClient", everlyticCapabilities),
  expertsender: entry("expertsender", "ExpertSender", "createExpertSenderClient", expertSenderCapabilities),
};

function entry(name: string, title: string, createClient: string, capabilities: VendorCapabilities): VendorEntry {
  return { title, entry: `txgate/${name}`, source: `src/${name}/index.ts`, createClient, capabilities };
}

/**
 * Whether `value` names a vendor: for configuration and request paths, which arrive as text.
 *
 * @example
 * if (!isVendorName(segment)) return notFound();
 */
export function isVendorName(value: unknown): value is (typeof VENDOR_NAMES)[number] {
  return (VENDOR_NAMES as readonly unknown[]).includes(value);
}
