/**
 * The vendors a deployment serves: the descriptors it passed to `createTxgateWorker`. The worker knows vendors only
 * through these, so a deployment bundles the vendors it lists and no other.
 */
import type { VendorName } from "../core/public.ts";
import type { AnyVendorDescriptor } from "../vendors/descriptor.ts";

/** The served vendors, by name and in the deployment's order. */
export interface ServedVendors {
  readonly names: readonly VendorName[];
  readonly list: readonly AnyVendorDescriptor[];
  /** The descriptor of `name`, `undefined` when this deployment does not serve it. */
  get(name: string): AnyVendorDescriptor | undefined;
}

/**
 * The served vendors of a deployment's list; a vendor listed twice counts once.
 *
 * @example
 * const served = servedVendors([acmeVendor]);
 * served.get("acme")?.capabilities; // acme's capability table
 */
export function servedVendors(list: readonly AnyVendorDescriptor[] = []): ServedVendors {
  const byName = new Map(list.map((descriptor) => [descriptor.name, descriptor]));
  return {
    names: [...byName.keys()] as VendorName[],
    list: [...byName.values()],
    get: (name) => byName.get(name),
  };
}
