/**
 * What each vendor's capability table says it reports after a send, against what its entry provides: a vendor
 * whose events txgate reads exports the parser, and a table never promises kinds from a vendor that reports none.
 */
import { describe, expect, it } from "vitest";
import { deliveryEventKinds } from "../../src/core/delivery-event.js";
import { VENDOR_NAMES, VENDORS } from "../../src/vendors/registry.js";

const root = new URL("../../", import.meta.url);
/** The parser each vendor entry exports, where txgate reads that vendor's events. */
const parsers: Partial<Record<(typeof VENDOR_NAMES)[number], string>> = { everlytic: "parseEverlyticEvents", listmonk: "parseListmonkBounces" };

describe("the capability tables' delivery reporting", () => {
  it.each(VENDOR_NAMES)("%s: says how it reports, which kinds, and how an event finds its send", async (vendor) => {
    const { deliveryEvents, deliveryEventKinds: kinds, deliveryEventMatch, messageIdCarrier } = VENDORS[vendor].capabilities;
    for (const kind of kinds) expect(deliveryEventKinds).toContain(kind);
    expect(deliveryEvents === "none").toBe(kinds.length === 0);
    expect(deliveryEvents === "none").toBe(deliveryEventMatch === "none");
    if (messageIdCarrier !== "none") expect(deliveryEvents).not.toBe("none");
    const entry = (await import(new URL(VENDORS[vendor].entry.source, root).href)) as Record<string, unknown>;
    const parser = parsers[vendor];
    if (parser) expect(entry[parser]).toBeTypeOf("function");
    else expect(Object.keys(entry).filter((name) => /^parse/.test(name))).toEqual([]);
  });

  // What each of these vendors' documentation allows; a vendor added later is held to the rules above.
  it.each([
    ["listmonk", "none"],
    ["acton", "none"],
    ["everlytic", { field: "headers.custom_headers.X-Txgate-Message-Id", echoedIn: expect.stringContaining("legacy") }],
    ["expertsender", "none"],
  ] as const)("%s: records where our message id can travel out and back, or says none where no echoed field can", (vendor, carrier) => {
    expect(VENDORS[vendor].capabilities.messageIdCarrier).toEqual(carrier);
  });
});
