/**
 * The shapes every registered vendor shares, run for each from the cases its tests give (`conformance` in
 * `test/<vendor>/fixtures.ts`, see ./conformance.ts) and through what its descriptor says: its client made by
 * `createClient` with its sandbox settings, against its txgate/testing fake. A registered vendor without cases
 * fails here. A vendor's own test files keep what only it does.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { AnyVendorDescriptor } from "../../src/vendors/descriptor.ts";
import { VENDOR_LIST } from "../../src/vendors/registry.ts";
import * as testing from "../../src/testing/index.ts";
import type { VendorConformance } from "./conformance.ts";

const vendors = await Promise.all(
  VENDOR_LIST.map(async (descriptor) => {
    const fixtures = (await import(`../${descriptor.name}/fixtures.ts`)) as { conformance?: VendorConformance };
    return { name: descriptor.name, descriptor: descriptor as AnyVendorDescriptor, conformance: fixtures.conformance };
  }),
);

type FakeFactory = (options: object) => { fetch: (request: Request) => Promise<Response> };
let origins = 0;

/**
 * A client of the vendor's own fake, with the log of every request that fake received. Each at its own origin, so
 * nothing (a login allowance per base URL, say) is shared between cases.
 */
async function isolatedClient(descriptor: AnyVendorDescriptor) {
  const { factory, options } = descriptor.sandbox.fake;
  const fake = (testing as unknown as Record<string, FakeFactory>)[factory]!(options);
  const requests: string[] = [];
  const fetch = (request: Request) => {
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return fake.fetch(request);
  };
  const client = await descriptor.createClient({ baseUrl: `https://${descriptor.name}-${++origins}.test`, ...descriptor.sandbox.settings, fetch });
  return { client, requests };
}

describe.each(vendors)("$name", ({ name, descriptor, conformance }) => {
  it("gives the shared suite its cases (test/<vendor>/fixtures.ts exports `conformance`)", () => {
    expect(conformance, `test/${name}/fixtures.ts exports no conformance`).toBeDefined();
    expect(conformance!.invalid.length).toBeGreaterThan(0);
    expect(conformance!.valid.length).toBeGreaterThan(0);
  });
  if (!conformance) return;
  const { invalid, valid, spec } = conformance;

  describe("invalid input gets a validation outcome and is not sent", () => {
    it.each(invalid)("%s", async (_, input, expected) => {
      const { client, requests } = await isolatedClient(descriptor);
      const outcome = await client.send(input);
      expect(outcome).toMatchObject({ ok: false, vendor: name, kind: "validation", delivery: "not_sent", retryable: false, attempts: 0 });
      const issues = outcome.ok || outcome.kind !== "validation" ? [] : outcome.issues.map((issue) => `${issue.path} ${issue.rule}`);
      expect(issues).toEqual(conformance.issues === "exact" ? expected : expect.arrayContaining([...expected]));
      expect(outcome.ok ? "" : outcome.message).toContain(expected[0]!.split(" ")[0]!);
      expect(client.validate(input)).toEqual(outcome);
      expect(requests).toEqual([]);
    });
  });

  describe("valid input passes the client's rules", () => {
    it.each(valid)("%s", async (_, input) => {
      const { client, requests } = await isolatedClient(descriptor);
      expect(client.validate(input)).toBeUndefined();
      expect(requests).toEqual([]);
    });
  });

  if (!spec) return;
  describe("valibot and the spec refuse the same messages", () => {
    it.each(invalid.filter(([, input]) => spec.judges?.(input) ?? true))("%s", async (_, input) => {
      expect(v.safeParse(spec.schema, input).success).toBe(false);
      expect(await spec.refuses(input)).not.toEqual([]);
    });
  });

  describe("valibot and the spec accept the same messages", () => {
    it.each(valid)("%s", async (_, input) => {
      const parsed = v.safeParse(spec.schema, input);
      expect(parsed.issues ?? []).toEqual([]);
      expect(await spec.accepts(parsed.output)).toEqual([]);
    });
  });
});
