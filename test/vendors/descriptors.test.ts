/**
 * The vendor registry (src/vendors/registry.ts) against what it describes: a registered vendor that lacks any piece
 * (its entry, factory, capabilities, settings, account key, pacing, client, fake, sandbox, package entries, docs)
 * fails here, rather than being left out silently where a hand-written list forgot it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountKey, type AnyVendorDescriptor } from "../../src/vendors/descriptor.ts";
import { isVendorName, VENDOR_LIST, VENDOR_NAMES, VENDORS } from "../../src/vendors/registry.ts";
import { SANDBOX_SETTINGS, SANDBOX_VENDORS } from "../../src/testing/sandbox-settings.ts";
// @ts-expect-error: a plain .mjs build script, without declarations
import { publicEntries } from "../../scripts/build.mjs";
// @ts-expect-error: a plain .mjs script, without declarations
import { jsrManifest } from "../../scripts/jsr.mjs";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const every = VENDOR_LIST.map((descriptor) => [descriptor.name, descriptor as AnyVendorDescriptor] as const);

/** Every setting of the descriptor set to a made-up value that names it, so a value can be traced to its setting. */
function allSet(descriptor: AnyVendorDescriptor): (name: string) => string | undefined {
  const names = new Set([...descriptor.settings.required, ...descriptor.settings.optional]);
  return (name) => (!names.has(name) ? undefined : name.endsWith("_URL") ? `https://${name.toLowerCase().replaceAll("_", "-")}.example` : name.endsWith("_SCHEME") ? "token" : `value-of-${name}`);
}

describe("the vendor registry", () => {
  it.each(every)("%s: its entry exports its factory, capability table and descriptor", async (name, descriptor) => {
    const entry = (await import(new URL(descriptor.entry.source, root).href)) as Record<string, unknown>;
    expect(descriptor.entry.source).toBe(`src/${name}/index.ts`);
    expect(entry[descriptor.entry.factory]).toBeTypeOf("function");
    expect(Object.values(entry)).toContain(descriptor.capabilities);
    expect(Object.values(entry)).toContain(VENDORS[name as keyof typeof VENDORS]);
  });

  it.each(every)("%s: its name, capabilities and template id type agree", (name, descriptor) => {
    expect(isVendorName(name)).toBe(true);
    expect(descriptor.title).toMatch(/\S/);
    expect(descriptor.capabilities.vendor).toBe(name);
    expect(descriptor.templateId).toBe(descriptor.capabilities.template);
    // Stated, even when it is none: a vendor's syntax is a decision, not an omission.
    expect(Object.keys(descriptor)).toContain("evaluatedSyntax");
    if (descriptor.evaluatedSyntax) expect(descriptor.evaluatedSyntax.description).toMatch(/\S/);
    if (descriptor.capabilities.attachments) expect(descriptor.capabilities.nativeAttachments).toBeDefined();
  });

  it.each(every)("%s: its settings are its own, its secrets among them, and reading them gives its options", (name, descriptor) => {
    const { required, optional, secrets } = descriptor.settings;
    expect(required.length).toBeGreaterThan(0);
    for (const setting of [...required, ...optional]) expect(setting.startsWith(`${name.toUpperCase()}_`)).toBe(true);
    for (const secret of secrets) expect([...required, ...optional]).toContain(secret);
    const wrong: string[] = [];
    const options = descriptor.settings.read(allSet(descriptor), wrong);
    expect(wrong).toEqual([]);
    const text = JSON.stringify(options);
    // Every setting reaches the options: none is read and then dropped.
    for (const setting of [...required, ...optional]) expect(text).toContain(allSet(descriptor)(setting)!.replace("token", ""));
    expect(accountKey(descriptor, options)).toMatch(/\S/);
  });

  it.each(every)("%s: its account key holds its base URL, the default one when none is set", (_name, descriptor) => {
    const options = descriptor.settings.read(allSet(descriptor), []);
    expect(accountKey(descriptor, options)).toContain(options.baseUrl);
    if (descriptor.defaultBaseUrl) expect(accountKey(descriptor, { ...options, baseUrl: undefined })).toContain(descriptor.defaultBaseUrl);
    else expect(descriptor.settings.required.some((setting) => setting.endsWith("_URL"))).toBe(true);
  });

  it.each(every)("%s: its pacing is whole numbers, and a token pace comes with a shared token store", (_name, descriptor) => {
    const { maxSendsPerSecond, tokenCallsPerSecond } = descriptor.pacing;
    for (const rate of [maxSendsPerSecond, tokenCallsPerSecond]) if (rate !== undefined) expect(Number.isInteger(rate) && rate > 0).toBe(true);
    if (tokenCallsPerSecond !== undefined) expect(descriptor.sharedTokenStore).toBe(true);
  });

  it.each(every)("%s: its client loads, and sends through its txgate/testing fake with the sandbox settings", async (_name, descriptor) => {
    const sent: unknown[] = [];
    const testing = (await import("../../src/testing/index.ts")) as unknown as Record<string, (options: object) => { fetch: (request: Request) => Promise<Response> }>;
    const { factory, options } = descriptor.sandbox.fake;
    expect(testing[factory]).toBeTypeOf("function");
    const fake = testing[factory]!({ ...options, onMessage: (message: unknown) => sent.push(message) });
    const client = await descriptor.createClient({ baseUrl: "https://sandbox.example", ...descriptor.sandbox.settings, fetch: fake.fetch });
    expect(client.send).toBeTypeOf("function");
    expect(client.sendMessage).toBeTypeOf("function");
    const outcome = await client.sendMessage({
      template: descriptor.templateId === "number" ? 1 : "t-1",
      to: "ada@example.com",
      transactional: true,
      ...(descriptor.capabilities.externalId ? { externalId: "descriptor-test-1" } : {}),
      ...(descriptor.capabilities.transactional === "stated" && descriptor.capabilities.tracking ? { tracking: { opens: false, clicks: false } } : {}),
    });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true, kind: "sent", vendor: descriptor.name });
    expect(sent).toHaveLength(1);
  });

  it.each(every)("%s: its fake is in txgate/testing, its sandbox is txgate/testing's, its docs page and its spec exist", async (name, descriptor) => {
    const testing = (await import("../../src/testing/index.ts")) as unknown as Record<string, unknown>;
    expect(testing[descriptor.sandbox.fake.factory]).toBeTypeOf("function");
    const factories = (await import("../../src/testing/vendor-fakes.ts")).default as Record<string, unknown>;
    expect(factories[descriptor.sandbox.fake.factory]).toBe(testing[descriptor.sandbox.fake.factory]);
    expect(descriptor.sandbox).toEqual(SANDBOX_VENDORS[name as keyof typeof SANDBOX_VENDORS]);
    expect(SANDBOX_SETTINGS[name as keyof typeof SANDBOX_SETTINGS]).toEqual({ baseUrl: expect.any(String), ...descriptor.sandbox.settings });
    expect(existsSync(new URL(`docs/vendors/${name}.md`, root))).toBe(true);
    expect(existsSync(new URL(`specs/${name}.yaml`, root))).toBe(true);
    expect(existsSync(new URL(`generated/${name}.ts`, root))).toBe(true);
  });

  it("is what npm and JSR publish as vendor entries, and no other", async () => {
    // package.json's `exports` pattern publishes every src/<entry>/index.ts; jsr.json is written from the same list.
    const entries: string[] = await publicEntries();
    const vendorEntries = (names: string[]) => names.filter((entry) => existsSync(new URL(`src/${entry}/descriptor.ts`, root)));
    expect(vendorEntries(entries)).toEqual([...VENDOR_NAMES].sort());
    const jsr = await jsrManifest();
    for (const { name, entry } of VENDOR_LIST) {
      expect(entry.specifier).toBe(`txgate/${name}`);
      expect(entry.source).toBe(`src/${name}/index.ts`);
      expect(jsr.exports[`./${name}`]).toBe(`./${entry.source}`);
    }
  });

  it("lists every vendor folder of src/ (a folder with a descriptor) and no other", () => {
    const folders = readdirSync(new URL("src/", root)).filter((folder) => folder !== "vendors" && existsSync(new URL(`src/${folder}/descriptor.ts`, root)));
    expect([...folders].sort()).toEqual([...VENDOR_NAMES].sort());
  });
});

describe("core and the worker import no vendor's code", () => {
  const sources = (folder: string): string[] =>
    readdirSync(new URL(folder, root), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `${folder}${file}`);
  // A value import (not `import type`) of the registry or of a vendor's folder: code that would be bundled.
  const vendorCode = new RegExp(`^(import|export) (?!type )[^;]*from "(\\.\\./)+(${VENDOR_NAMES.join("|")})/|^(import|export) (?!type )[^;]*from "(\\.\\./)+vendors/registry\\.ts"`, "m");

  it.each(["src/core/", "src/catalogue/", "src/worker/"])("%s imports no vendor's code and not the registry, only types", (folder) => {
    for (const file of sources(folder)) expect([file, vendorCode.test(read(file))]).toEqual([file, false]);
  });

  it("the check finds such an import", () => {
    expect(vendorCode.test(`import { VENDORS } from "../vendors/registry.ts";`)).toBe(true);
    expect(vendorCode.test(`import { createActOnClient } from "../../acton/client.ts";`)).toBe(true);
    expect(vendorCode.test(`import type { VENDORS } from "../vendors/registry.ts";`)).toBe(false);
  });
});
