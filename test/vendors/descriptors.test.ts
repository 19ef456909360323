/**
 * The vendor registry (src/vendors/registry.ts) against what it describes: a registered vendor that lacks any piece
 * (its entry, factory, capabilities, settings, account key, pacing, client, fake, sandbox, package entries, docs)
 * fails here, rather than being left out silently where a hand-written list forgot it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as v from "valibot";
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

/**
 * The pieces of `descriptor` that are missing or of the wrong kind, by name. Stated even when empty: a vendor's
 * syntax, pacing and token sharing are decisions, not omissions; a vendor that posts events has a parser for them.
 */
function missingPieces(descriptor: AnyVendorDescriptor): string[] {
  const missing: string[] = [];
  const expectPiece = (piece: string, ok: boolean) => ok || missing.push(piece);
  const text = (value: unknown) => typeof value === "string" && /\S/.test(value);
  const list = (value: unknown) => Array.isArray(value) && value.every(text);
  expectPiece("name", text(descriptor.name));
  expectPiece("title", text(descriptor.title));
  expectPiece("entry", text(descriptor.entry?.specifier) && text(descriptor.entry?.source) && text(descriptor.entry?.factory));
  expectPiece("templateId", descriptor.templateId === "string" || descriptor.templateId === "number");
  expectPiece("capabilities", typeof descriptor.capabilities === "object" && descriptor.capabilities !== null);
  expectPiece("evaluatedSyntax", "evaluatedSyntax" in descriptor && (descriptor.evaluatedSyntax === undefined || descriptor.evaluatedSyntax.pattern instanceof RegExp));
  expectPiece("settings", list(descriptor.settings?.required) && list(descriptor.settings?.optional) && list(descriptor.settings?.secrets) && typeof descriptor.settings?.read === "function");
  expectPiece("pacing", typeof descriptor.pacing === "object" && descriptor.pacing !== null);
  expectPiece("sharedTokenStore", typeof descriptor.sharedTokenStore === "boolean");
  expectPiece("createClient", typeof descriptor.createClient === "function");
  expectPiece("sandbox", typeof descriptor.sandbox?.settings === "object" && text(descriptor.sandbox?.fake?.factory) && typeof descriptor.sandbox?.fake?.options === "object");
  expectPiece("webhookEvents", (descriptor.capabilities?.deliveryEvents === "webhook") === (typeof descriptor.webhookEvents === "function"));
  return missing;
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

  it.each(every)("%s: states every piece a descriptor has, and each piece's parts", (_name, descriptor) => {
    expect(missingPieces(descriptor)).toEqual([]);
  });

  it.each(every)("%s: its settings are its own, its secrets among them, and reading them gives its options", (name, descriptor) => {
    const { required, optional, secrets } = descriptor.settings;
    expect(required.length).toBeGreaterThan(0);
    for (const setting of [...required, ...optional]) expect(setting.startsWith(`${name.toUpperCase()}_`)).toBe(true);
    for (const secret of secrets) expect([...required, ...optional]).toContain(secret);
    // Each rule is about one of its settings, and the made-up values pass them.
    for (const [setting, rule] of Object.entries(descriptor.settings.rules ?? {})) {
      expect([...required, ...optional]).toContain(setting);
      expect(v.safeParse(rule, allSet(descriptor)(setting)).success).toBe(true);
    }
    const options = descriptor.settings.read(allSet(descriptor));
    const text = JSON.stringify(options);
    // Every setting reaches the options: none is read and then dropped.
    for (const setting of [...required, ...optional]) expect(text).toContain(allSet(descriptor)(setting)!.replace("token", ""));
    expect(accountKey(descriptor, options)).toMatch(/\S/);
  });

  it.each(every)("%s: its account key holds its base URL, the default one when none is set", (_name, descriptor) => {
    const options = descriptor.settings.read(allSet(descriptor));
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

  it("the check finds a descriptor that lacks a piece", () => {
    const [, descriptor] = every[0]!;
    const { sandbox: _sandbox, pacing: _pacing, ...lacking } = descriptor;
    expect(missingPieces(lacking as AnyVendorDescriptor)).toEqual(["pacing", "sandbox"]);
    expect(missingPieces({ ...descriptor, webhookEvents: descriptor.webhookEvents ? undefined : async () => () => ({}) } as never)).toEqual(["webhookEvents"]);
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

describe("core, the catalogue and the worker name no vendor", () => {
  const sources = (folder: string): string[] =>
    readdirSync(new URL(folder, root), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `${folder}${file}`);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  /**
   * Each registered vendor as words (its name and title, any case, `-` optional: "acton", "Act-On", `ACTON_URL`)
   * and as part of an identifier (`actOnVendor`, `createActOnClient`), never inside another word.
   */
  const spellings = VENDOR_LIST.flatMap(({ name, title }) => {
    const pascal = title.replace(/[^A-Za-z0-9]/g, "").replace(/^./, (first) => first.toUpperCase());
    const camel = pascal.replace(/^./, (first) => first.toLowerCase());
    const words = [...new Set([name, title].map((spelling) => spelling.split(/-/).map(escape).join("-?")))];
    return [
      new RegExp(`(?<![a-z0-9])(?:${words.join("|")})(?![a-z0-9])`, "i"),
      new RegExp(`(?<![A-Z])${escape(pascal)}(?![a-z])`),
      new RegExp(`(?<![A-Za-z0-9])${escape(camel)}(?![a-z])`),
    ];
  });
  const namesAVendor = (line: string) => spellings.some((spelling) => spelling.test(line));

  it.each(["src/core/", "src/catalogue/", "src/worker/"])("no file under %s names a registered vendor, in code or comments", (folder) => {
    const naming = sources(folder).flatMap((file) =>
      read(file)
        .split("\n")
        .flatMap((line, index) => (namesAVendor(line) ? [`${file}:${index + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(naming).toEqual([]);
  });

  it("the check finds every spelling of a vendor, and not a word that merely contains one", () => {
    for (const line of ["Act-On paces", "acton", "ACTON_PASSWORD", "import { actOnVendor }", "createActOnClient(options)", "listmonkVendor", "// listmonk's", "LISTMONK_URL", "createExpertSenderClient", "expertSenderVendor", "Everlytic's header"]) {
      expect([line, namesAVendor(line)]).toEqual([line, true]);
    }
    for (const line of ["we act on the answer", "a reaction", "contact-only", "factor on", "the vendor's account"]) {
      expect([line, namesAVendor(line)]).toEqual([line, false]);
    }
  });
});
