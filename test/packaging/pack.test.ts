/**
 * What `npm publish` would ship: every export's JavaScript and declarations, the generated types, the specs;
 * no tests, no worker, no secrets. ESM only, free of side effects. The JavaScript is what `npm run build`
 * bundles (scripts/build.mjs): each entry and its chunks import nothing but each other and the libraries the
 * package declares (from the user's node_modules, so a bundler keeps one copy), no module is copied into two
 * files, and what an entry loads only when a send needs it stays out of what it loads up front.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERLYTIC_API_KEY } from "../everlytic/double.js";
import { EXPERTSENDER_API_KEY } from "../expertsender/double.js";
import { LISTMONK_TOKEN } from "../listmonk/double.js";
// @ts-expect-error: a plain .mjs build script, without declarations
import { bundle, publicEntries } from "../../scripts/build.mjs";
// @ts-expect-error: a plain .mjs script, without declarations
import { jsrManifest } from "../../scripts/jsr.mjs";
import { VENDOR_NAMES } from "../../src/vendors/registry.ts";

/**
 * Every module the published entries reach, with what each imports, as esbuild parses them (bundling from dist/
 * with every package left external, so an import of a library or a runtime built-in shows as external).
 */
async function publishedGraph(entries: string[]) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: entries.map((path) => fileURLToPath(new URL(path, root))),
    absWorkingDir: fileURLToPath(root),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    packages: "external",
    write: false,
    outdir: join(tmpdir(), "txgate-graph"),
    metafile: true,
    logLevel: "silent",
  });
  return result.metafile.inputs;
}

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
let files: string[];
let entries: string[];
/** An entry's published JavaScript and declarations, as package.json's `exports` pattern maps `txgate/<entry>`. */
const targets = (entry: string) => ({ types: `dist/src/${entry}/index.d.ts`, default: `dist/src/${entry}/index.js` });

beforeAll(async () => {
  // The tarball's contents as npm computes them; scripts are skipped because `npm test` has just built dist/.
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    env: { ...process.env, npm_config_loglevel: "silent" },
  });
  files = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path);
  entries = await publicEntries();
}, 60_000);

describe("the package", () => {
  it("is ESM only and side-effect free", () => {
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.main).toBeUndefined();
    expect(JSON.stringify(pkg.exports)).not.toContain("require");
  });

  it("ships the JavaScript and the declarations of every entry", () => {
    expect(entries).toEqual(expect.arrayContaining([...VENDOR_NAMES, "browser", "catalogue", "testing", "worker", "opentelemetry"]));
    for (const entry of entries) {
      expect(files).toContain(targets(entry).default);
      expect(files).toContain(targets(entry).types);
    }
  });

  it("exports every entry with one pattern, which reaches nothing else it ships", () => {
    expect(pkg.exports).toEqual({ "./*": { types: "./dist/src/*/index.d.ts", default: "./dist/src/*/index.js" } });
    // `txgate/<x>` resolves when dist/src/<x>/index.js (or .d.ts, for TypeScript) ships: only the entries' do.
    // Any other module of dist/ is a chunk, a declaration of a module inside an entry, or a generated type,
    // none of them named index.js or index.d.ts, so `txgate/core/transport` or `txgate/worker/durable` finds nothing.
    const reachable = (suffix: string) =>
      files.flatMap((path) => (path.startsWith("dist/src/") && path.endsWith(suffix) ? [path.slice("dist/src/".length, -suffix.length)] : [])).sort();
    expect(reachable("/index.js")).toEqual(entries);
    expect(reachable("/index.d.ts")).toEqual(entries);
  });

  it("ships entries that import only the files shipped beside them and the libraries it declares: no runtime built-in", async () => {
    const graph = await publishedGraph(entries.map((entry) => targets(entry).default));
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
    const libraries = new Set<string>();
    for (const [path, { imports }] of Object.entries(graph)) {
      expect(files, `${path} is reached but not shipped`).toContain(path);
      for (const { path: imported, external } of imports) {
        // The Workers runtime's own module, whose DurableObject txgate/worker's classes extend: only that entry imports it.
        if (imported === "cloudflare:workers" && path.startsWith("dist/src/worker/")) continue;
        if (external) {
          const library = imported.match(/^((?:@[^/]+\/)?[^/.][^/]*)/)?.[1];
          expect(declared, `${path} imports ${imported}`).toContain(library);
          libraries.add(library!);
          continue;
        }
        expect(files, `${path} imports ${imported}`).toContain(imported);
      }
    }
    // Every library the package declares is one a published file imports.
    expect([...libraries].sort()).toEqual([...declared].sort());
    // ... and nothing ships that no entry reaches (say, a module left over from another build).
    expect(files.filter((path) => path.endsWith(".js") && !(path in graph))).toEqual([]);
  });

  it("imports its libraries rather than bundling them: valibot, which users write schemas with, as a peer", async () => {
    expect(pkg.peerDependencies).toEqual({ valibot: expect.stringMatching(/^\^1\./), "@opentelemetry/api": expect.stringMatching(/^\^1\./) });
    expect(pkg.peerDependenciesMeta).toEqual({ "@opentelemetry/api": { optional: true } });
    expect(pkg.dependencies.valibot).toBeUndefined();
    for (const library of ["openapi-fetch", "fast-xml-parser", "jose", "@noble/hashes", "@cfworker/json-schema"]) {
      expect(pkg.dependencies[library], library).toMatch(/^\^/);
    }
    const graph = await publishedGraph(entries.map((entry) => targets(entry).default));
    const shipped = files.filter((path) => path.endsWith(".js")).map((path) => readFileSync(new URL(path, root), "utf8"));
    expect(Object.keys(graph).filter((path) => path.includes("node_modules/"))).toEqual([]);
    // valibot's and openapi-fetch's own names for their internals, which a bundled copy would carry.
    for (const text of shipped) expect(text).not.toMatch(/getGlobalConfig|mergeHeaders\(|XMLParser=/);
  });

  it("ships the generated types the declarations import, and the specs they come from", () => {
    for (const vendor of VENDOR_NAMES) {
      expect(files).toContain(`dist/generated/${vendor}.d.ts`);
      expect(files).toContain(`specs/${vendor}.yaml`);
    }
  });

  it("ships no tests, worker, benchmarks, local secrets or source maps", () => {
    // The starter's template (`npx txgate init`) is the one project that ships, with its own wrangler.toml and
    // .dev.vars.example; this repo's own deployment never does.
    const unwanted = files.filter(
      (path) => !path.startsWith("examples/worker/") && /^(test|worker|bench|scripts|examples|\.ci)\/|\.dev\.vars|\.env|\.test\.|\.map$|wrangler\.toml/.test(path),
    );
    expect(unwanted).toEqual([]);
    expect(files.filter((path) => /(^|\/)(\.dev\.vars|\.env)$|(^|\/)(node_modules|\.wrangler|dist)\//.test(path) && !path.startsWith("dist/"))).toEqual([]);
  });

  it("contains none of the credentials the test suite uses", () => {
    const shipped = files.map((path) => readFileSync(new URL(path, root), "utf8")).join("\n");
    for (const secret of [LISTMONK_TOKEN, EVERLYTIC_API_KEY, EXPERTSENDER_API_KEY]) expect(shipped).not.toContain(secret);
  });

  it("publishes to JSR with the same entries, as TypeScript source", async () => {
    // jsr.json is written from the entries (npm run jsr), as `npm run publish:jsr` writes it before publishing.
    const jsr = await jsrManifest();
    writeFileSync(new URL("jsr.json", root), `${JSON.stringify(jsr, null, 2)}\n`);
    // txgate/worker is npm only: it runs on Workers alone, extends `cloudflare:workers`, and is deployed with wrangler.
    expect(jsr.exports).toEqual(Object.fromEntries(entries.filter((entry) => entry !== "worker").map((entry) => [`./${entry}`, `./src/${entry}/index.ts`])));
    expect(jsr.version).toBe(pkg.version);
    // A dry run checks every exported module resolves and type-checks the way JSR will. Slow types are allowed:
    // the exported valibot schemas have inferred types (see docs/runtimes.md, "Deno and JSR").
    const { stdout, stderr } = await promisify(execFile)(
      fileURLToPath(new URL("node_modules/.bin/deno", root)),
      ["publish", "--dry-run", "--allow-dirty", "--allow-slow-types"],
      { cwd: root, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } },
    );
    const report = stdout + stderr;
    expect(report).toContain("Dry run complete");
    for (const vendor of VENDOR_NAMES) expect(report).toContain(`generated/${vendor}.ts`);
    expect(report).not.toMatch(/\/test\/|\/worker\//);
  }, 120_000);
});

describe("the bundles npm run build publishes", () => {
  let outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown>; entryPoint?: string }>;
  let outdir: string;

  beforeAll(async () => {
    // The same build as dist/, into a scratch directory, for esbuild's record of which module went where.
    outdir = await mkdtemp(join(tmpdir(), "txgate-build-"));
    outputs = (await bundle({ outdir })).outputs;
  }, 60_000);
  afterAll(() => rm(outdir, { recursive: true, force: true }));

  /** Modules an entry loads up front (static imports), by the entry's source path; a library as `library:<name>`. */
  const upFront = (source: string) => {
    const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint === source)!;
    const reached: string[] = [];
    const libraries: string[] = [];
    const visit = (name: string) => {
      if (reached.includes(name)) return;
      reached.push(name);
      for (const { path, kind, external } of outputs[name]!.imports) {
        if (kind !== "import-statement") continue;
        if (external) libraries.push(`library:${path}`);
        else visit(path);
      }
    };
    visit(entry);
    return [...reached.flatMap((name) => Object.keys(outputs[name]!.inputs)), ...libraries];
  };

  it("is the build in dist/: the same files", () => {
    const built = Object.keys(outputs).map((name) => name.slice(name.lastIndexOf("/chunks/") >= 0 ? name.lastIndexOf("/chunks/") + 1 : name.indexOf("/src/") + 1));
    const shipped = files.filter((path) => path.endsWith(".js")).map((path) => path.replace(/^dist\//, ""));
    expect(shipped.sort()).toEqual(built.sort());
  });

  it("puts each module in one file only: code two entries share is a shared chunk, not a copy", () => {
    const seen = new Map<string, string>();
    for (const [name, { inputs }] of Object.entries(outputs)) {
      for (const input of Object.keys(inputs)) {
        expect(seen.get(input), `${input} is in ${seen.get(input)} and ${name}`).toBeUndefined();
        seen.set(input, name);
      }
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it("keeps lazy what a send loads only when it needs it", () => {
    for (const vendor of ["listmonk", "acton", "everlytic", "expertsender"]) {
      const modules = upFront(`src/${vendor}/index.ts`);
      expect(modules).toContain(`src/${vendor}/client.ts`);
      expect(modules, vendor).not.toContain(`src/${vendor}/message-converter.ts`);
      expect(modules.filter((path) => /^library:(fast-xml-parser|@noble\/hashes)/.test(path)), vendor).toEqual([]);
    }
    const expertsender = upFront("src/expertsender/index.ts");
    for (const lazy of ["src/expertsender/api-request-xml.ts", "src/expertsender/api-response-xml.ts"]) expect(expertsender).not.toContain(lazy);
    // ... and they are still in the package, each in a chunk of its own.
    const all = Object.values(outputs).flatMap(({ inputs }) => Object.keys(inputs));
    for (const lazy of ["src/expertsender/api-request-xml.ts", "src/expertsender/api-response-xml.ts", "src/listmonk/message-converter.ts"]) expect(all).toContain(lazy);
  });

  it("keeps the vendor fakes and their JSON-schema validator out of every other entry, lazy chunks included", () => {
    const everything = (source: string) => {
      const reached: string[] = [];
      const libraries: string[] = [];
      const visit = (name: string) => {
        if (reached.includes(name)) return;
        reached.push(name);
        for (const { path, external } of outputs[name]!.imports) if (external) libraries.push(`library:${path}`);
        else if (outputs[path]) visit(path);
      };
      visit(Object.keys(outputs).find((name) => outputs[name]!.entryPoint === source)!);
      return [...reached.flatMap((name) => Object.keys(outputs[name]!.inputs)), ...libraries];
    };
    for (const entry of [...VENDOR_NAMES, "browser", "catalogue", "opentelemetry"]) {
      expect(everything(`src/${entry}/index.ts`).filter((path) => /^library:@cfworker\/|^src\/testing\//.test(path)), entry).toEqual([]);
    }
    expect(upFront("src/testing/index.ts")).toContain("library:@cfworker/json-schema");
  });

  it("gives the browser entry a file of its own that imports nothing", () => {
    const entry = Object.values(outputs).find((output) => output.entryPoint === "src/browser/index.ts")!;
    expect(entry.imports).toEqual([]);
    expect(Object.keys(entry.inputs).filter((path) => !path.startsWith("src/browser/"))).toEqual([]);
  });
});
