/**
 * The shapes every registered vendor shares, run for each from the cases its tests give (`conformance` in
 * `test/<vendor>/fixtures.ts`, see ./conformance.ts) and through what its descriptor says: its client made by
 * `createClient` with its sandbox settings, against its txgate/testing fake. A registered vendor without cases
 * fails here. A vendor's own test files keep what only it does.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { TemplateMessage } from "../../src/core/message.ts";
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

type FakeFactory = (options: object) => { fetch: (request: Request) => Promise<Response>; specViolations: string[] };
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
  return { client, requests, fake };
}

/** The least common message the vendor sends: its template id type, every choice it needs stated. */
function baseMessage(descriptor: AnyVendorDescriptor): TemplateMessage {
  const { capabilities } = descriptor;
  return {
    template: descriptor.templateId === "number" ? 1 : "t-1",
    to: "ada@example.com",
    transactional: true,
    ...(capabilities.externalId ? { externalId: "conformance-1" } : {}),
    ...(capabilities.transactional === "stated" && capabilities.tracking ? { tracking: { opens: false, clicks: false } } : {}),
  };
}

/** Each field of the common message its capability table says the vendor cannot carry: the change, and the path refused. */
function uncarried(descriptor: AnyVendorDescriptor): [string, Partial<TemplateMessage>, string][] {
  const { capabilities } = descriptor;
  const cases: [string, Partial<TemplateMessage>, string][] = [
    ["a template id of the other type", { template: descriptor.templateId === "number" ? "1" : 1 }, "template"],
  ];
  for (const field of ["cc", "bcc", "from", "replyTo"] as const) {
    if (capabilities[field].max === 0) cases.push([field, { [field]: "grace@example.com" }, field]);
    else if (!capabilities[field].names) cases.push([`a display name in ${field}`, { [field]: { address: "grace@example.com", name: "Grace" } }, `${field}.name`]);
  }
  if (!capabilities.to.names) cases.push(["a display name in to", { to: [{ address: "ada@example.com", name: "Ada" }] }, "to.0.name"]);
  if (!capabilities.subject) cases.push(["a subject", { subject: "Hello" }, "subject"]);
  if (capabilities.data === "text") cases.push(["a data value that is not text", { data: { count: 2 } }, "data.count"]);
  if (!capabilities.attachments) cases.push(["an attachment", { attachments: [{ content: new Uint8Array([1]), filename: "a.bin" }] }, "attachments.0"]);
  if (capabilities.tags === 0) cases.push(["tags", { tags: ["a"] }, "tags"]);
  if (!capabilities.externalId) cases.push(["an externalId", { externalId: "order-1" }, "externalId"]);
  if (capabilities.transactional === "always") cases.push(["transactional: false", { transactional: false }, "transactional"]);
  if (!capabilities.tracking) cases.push(["tracking", { tracking: { opens: true, clicks: true } }, "tracking"]);
  return cases;
}

/** Where `value` sits in `options`, as a list of keys; undefined when it does not. */
function pathOf(options: unknown, value: string, at: string[] = []): string[] | undefined {
  if (options === value) return at;
  if (typeof options !== "object" || options === null) return undefined;
  for (const [key, child] of Object.entries(options)) {
    const found = pathOf(child, value, [...at, key]);
    if (found) return found;
  }
  return undefined;
}

/** The values of the vendor's secret settings in its sandbox settings: where reading each secret puts it. */
function sandboxSecrets(descriptor: AnyVendorDescriptor): string[] {
  const marked = descriptor.settings.read((setting: string) => (setting.endsWith("_URL") ? "https://secrets.example" : `value-of-${setting}`));
  return descriptor.settings.secrets.map((secret) => {
    const path = pathOf(marked, `value-of-${secret}`);
    expect(path, `${secret} is read into no option`).toBeDefined();
    const value = path!.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], descriptor.sandbox.settings);
    expect(value, `the sandbox settings give ${secret} no value`).toBeTypeOf("string");
    return value as string;
  });
}

describe.each(vendors)("$name", ({ name, descriptor, conformance }) => {
  describe("a common message's field the vendor cannot carry is refused, never dropped, and nothing is sent", () => {
    it.each(uncarried(descriptor))("%s", async (_, change, path) => {
      const { client, requests } = await isolatedClient(descriptor);
      const outcome = await client.sendMessage({ ...baseMessage(descriptor), ...change } as TemplateMessage);
      expect(outcome).toMatchObject({ ok: false, vendor: name, kind: "validation", delivery: "not_sent" });
      expect(!outcome.ok && outcome.kind === "validation" && outcome.issues.map((issue) => [issue.path, issue.rule])).toEqual([[path, "unsupported_by_vendor"]]);
      expect(requests).toEqual([]);
    });
  });

  describe("no outcome carries a secret", () => {
    it.each(["ada@example.com", "fail+auth@example.com", "fail+500@example.com"])("a send to %s", async (to) => {
      const secrets = sandboxSecrets(descriptor);
      expect(secrets.length).toBeGreaterThan(0);
      const { client, requests } = await isolatedClient(descriptor);
      const outcome = await client.sendMessage({ ...baseMessage(descriptor), to });
      expect(outcome.ok).toBe(to === "ada@example.com");
      expect(requests.length).toBeGreaterThan(0);
      const text = JSON.stringify(outcome) + String(outcome.ok ? "" : outcome.message);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  });

  it("gives the shared suite its cases (test/<vendor>/fixtures.ts exports `conformance`)", () => {
    expect(conformance, `test/${name}/fixtures.ts exports no conformance`).toBeDefined();
    expect(conformance!.invalid.length).toBeGreaterThan(0);
    expect(conformance!.valid.length).toBeGreaterThan(0);
  });
  if (!conformance) return;
  const { sample, invalid, valid, spec } = conformance;

  it("sends its sample through its sandbox fake", async () => {
    const { client, requests } = await isolatedClient(descriptor);
    expect(await client.send(sample)).toMatchObject({ ok: true, kind: "sent", vendor: name });
    expect(requests.length).toBeGreaterThan(0);
  });

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

  describe("valid input goes on the wire as the spec allows (the fake checks each request against it)", () => {
    it.each(valid)("%s", async (_, input) => {
      const { client, requests, fake } = await isolatedClient(descriptor);
      const outcome = await client.send(input);
      expect(outcome.ok || outcome.kind !== "validation").toBe(true);
      expect(requests.length).toBeGreaterThan(0);
      expect(fake.specViolations).toEqual([]);
    });
  });

  if (!spec) return;
  describe("valibot and the spec refuse the same messages", () => {
    it.each(invalid.filter(([, input]) => spec.judges?.(input) ?? true))("%s", async (_, input) => {
      expect(v.safeParse(spec.schema, input).success).toBe(false);
      expect(await spec.refuses(input)).not.toEqual([]);
    });
  });

  const { accepts } = spec;
  if (!accepts) return;
  describe("valibot and the spec accept the same messages", () => {
    it.each(valid)("%s", async (_, input) => {
      const parsed = v.safeParse(spec.schema, input);
      expect(parsed.issues ?? []).toEqual([]);
      expect(await accepts(parsed.output)).toEqual([]);
    });
  });
});
