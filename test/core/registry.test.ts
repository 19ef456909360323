/**
 * The vendor registry (src/core/vendors.ts) against what it describes: each entry's module and factory, the
 * package's exports. The table of what each vendor can carry in docs/ is written from the registry
 * (scripts/docs-tables.ts, checked by test/docs/tables.test.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isVendorName, VENDOR_NAMES, VENDORS } from "../../src/core/vendors.ts";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

describe("the vendor registry", () => {
  it.each(VENDOR_NAMES)("%s: its entry exports the registry's factory and capability table", async (vendor) => {
    const { source, createClient, capabilities } = VENDORS[vendor];
    const entry = (await import(new URL(source, root).href)) as Record<string, unknown>;
    expect(entry[createClient]).toBeTypeOf("function");
    expect(Object.values(entry)).toContain(capabilities);
    expect(capabilities.vendor).toBe(vendor);
  });

  it("names every vendor entry the package exports, and no other", () => {
    const vendorExports = Object.keys(pkg.exports).filter((subpath) => isVendorName(subpath.replace(/^\.\//, "")));
    expect(vendorExports).toEqual(VENDOR_NAMES.map((vendor) => `./${vendor}`));
    for (const vendor of VENDOR_NAMES) expect(VENDORS[vendor].entry).toBe(`txgate/${vendor}`);
  });

});
