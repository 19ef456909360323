/**
 * The vendor registry (src/core/vendors.ts) against what it describes: each entry's module and factory, the
 * package's exports, and the README's table of what each vendor can carry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { VendorCapabilities } from "../../src/core/capabilities.ts";
import { isVendorName, VENDOR_NAMES, VENDORS } from "../../src/core/vendors.ts";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const readme = readFileSync(new URL("README.md", root), "utf8");

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

  it("agrees with the README's table of what each vendor can carry", () => {
    const start = readme.indexOf("### What each vendor can carry");
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const rows = section
      .split("\n")
      .filter((line) => line.startsWith("| "))
      .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
    const [header, ...fields] = rows.filter((row) => !row[0]!.startsWith("---"));
    const cannot = (capabilities: VendorCapabilities, field: string): boolean => {
      switch (field) {
        case "to":
        case "cc":
        case "bcc":
        case "from":
        case "replyTo":
          return capabilities[field].max === 0;
        case "subject":
        case "attachments":
        case "externalId":
        case "tracking":
          return !capabilities[field];
        case "tags":
          return capabilities.tags === 0;
        default:
          return false;
      }
    };
    for (const vendor of VENDOR_NAMES) {
      const column = header!.indexOf(VENDORS[vendor].title);
      expect(column, VENDORS[vendor].title).toBeGreaterThan(0);
      for (const row of fields) {
        const field = row[0]!.replace(/`/g, "");
        const refused = row[column] === "—" || row[column]!.startsWith("— ");
        expect(refused, `${vendor} ${field}: "${row[column]}"`).toBe(cannot(VENDORS[vendor].capabilities, field));
      }
    }
  });
});
