/**
 * The vendor registry: the one list of the vendors txgate speaks to, each its folder's descriptor. Everything that
 * is said per vendor (the names, the template id types, the docs' tables, the repo's sandbox) is read from here.
 * It sits above core: core imports nothing of it but the vendor names' type. Descriptors are cheap (their clients
 * and fakes load on first use), but a deployment that serves fewer vendors passes its own list to
 * `createTxgateWorker` rather than importing this one.
 */
import { actOnVendor } from "../acton/descriptor.ts";
import { everlyticVendor } from "../everlytic/descriptor.ts";
import { expertSenderVendor } from "../expertsender/descriptor.ts";
import { listmonkVendor } from "../listmonk/descriptor.ts";
import type { EvaluatedSyntax, TemplateIdOf } from "./descriptor.ts";

/**
 * Every vendor's descriptor, in the order the docs list them.
 *
 * @example
 * for (const vendor of VENDOR_LIST) console.log(vendor.name, vendor.entry.specifier); // "listmonk" "txgate/listmonk", ...
 */
export const VENDOR_LIST = [listmonkVendor, actOnVendor, everlyticVendor, expertSenderVendor] as const;

type Registered = (typeof VENDOR_LIST)[number];

/** A registered vendor's name. */
export type RegisteredVendorName = Registered["name"];

/**
 * Every vendor's name, in the registry's order.
 *
 * @example
 * VENDOR_NAMES; // ["listmonk", "acton", "everlytic", "expertsender"]
 */
export const VENDOR_NAMES = VENDOR_LIST.map((vendor) => vendor.name) as unknown as NamesOf<typeof VENDOR_LIST>;

/** A tuple of descriptors' names, in order (a homomorphic mapped type keeps it a tuple). */
type NamesOf<T extends readonly { readonly name: string }[]> = { readonly [I in keyof T]: T[I]["name"] };

/**
 * Each vendor's descriptor by name.
 *
 * @example
 * const { capabilities } = VENDORS.acton;
 */
export const VENDORS = Object.fromEntries(VENDOR_LIST.map((vendor) => [vendor.name, vendor])) as {
  readonly [V in RegisteredVendorName]: Extract<Registered, { readonly name: V }>;
};

/** The type of each vendor's template id, from its descriptor (`"3"` is not `3`). */
export type RegisteredTemplateIds = { readonly [V in RegisteredVendorName]: TemplateIdOf<(typeof VENDORS)[V]> };

/**
 * Whether `value` names a registered vendor: for configuration and request paths, which arrive as text.
 *
 * @example
 * if (!isVendorName(segment)) return notFound();
 */
export function isVendorName(value: unknown): value is RegisteredVendorName {
  return (VENDOR_NAMES as readonly unknown[]).includes(value);
}

/**
 * Each vendor's template syntax that it evaluates inside the values it substitutes, from its descriptor: a browser
 * variable holding it is refused, so a page cannot make a template read data it was not given. A vendor with none
 * (its values are printed, never evaluated) refuses nothing.
 *
 * @example
 * EVALUATED_SYNTAX.listmonk; // undefined: nothing to refuse
 */
export const EVALUATED_SYNTAX = Object.fromEntries(VENDOR_LIST.map((vendor) => [vendor.name, vendor.evaluatedSyntax])) as Readonly<
  Record<RegisteredVendorName, EvaluatedSyntax | undefined>
>;
