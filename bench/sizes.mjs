// Gzip size of each public entry point as published (dist/, built by `npm run build`), bundled again as a user's
// bundler would for a Worker or a browser: esbuild, minified ESM, browser/workerd conditions, gzip -9. Code loaded
// by a dynamic import (ExpertSender's XML reader and writer, MD5, the message converters) is split off with
// esbuild's code splitting: "up front" is the entry and the chunks it imports statically, gzipped together;
// "whole" is every chunk, as a bundler that does not split (wrangler) ships it. Also measured the same way: a
// minimal Worker that sends with plain fetch, and one with openapi-fetch alone. `breakdown` says where an entry's
// up-front bytes come from (each library, and txgate's own modules), from esbuild's metafile of the same build
// made from the TypeScript source.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const budgets = { listmonk: 6000, acton: 6000, everlytic: 6000, expertsender: 12000, browser: 1500, catalogue: 2500 };

const root = new URL("../", import.meta.url);
const common = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  // The runtime's own modules (txgate/worker's Durable Objects import cloudflare:workers), as wrangler leaves them.
  external: ["cloudflare:*"],
  write: false,
  metafile: true,
  logLevel: "error",
};

/** The two baselines, as Worker entries sending one JSON request. */
const baselines = {
  "plain fetch": `export default { fetch: () => fetch("https://vendor.example/api/tx", { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Basic x" }, body: JSON.stringify({ a: 1 }) }) };`,
  "openapi-fetch": `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://vendor.example" });
export default { fetch: async () => { const { response } = await client.POST("/api/tx", { body: { a: 1 }, headers: { Authorization: "Basic x" } }); return response; } };`,
};

async function measure(options) {
  const result = await build({ ...common, ...options, splitting: true, outdir: fileURLToPath(new URL("bench/.out", root)) });
  const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const outputs = result.metafile.outputs;
  const pathOf = (name) => fileURLToPath(new URL(name, root));
  const entryName = Object.keys(outputs).find((name) => outputs[name].entryPoint);
  // The entry and every chunk it reaches by static imports.
  const upFront = [];
  const visit = (name) => {
    if (upFront.includes(name)) return;
    upFront.push(name);
    for (const { path, kind } of outputs[name].imports) if (kind === "import-statement") visit(path);
  };
  visit(entryName);
  const gzipOf = (names) => gzipSync(Buffer.concat(names.map((name) => files.get(pathOf(name)))), { level: 9 }).length;
  // Minified bytes up front per library, and per txgate module ("txgate:src/core/validation.ts").
  const byInput = {};
  for (const name of upFront) {
    for (const [path, { bytesInOutput }] of Object.entries(outputs[name].inputs)) {
      const library = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? `txgate:${path}`;
      byInput[library] = (byInput[library] ?? 0) + bytesInOutput;
    }
  }
  return { gzip: gzipOf(upFront), wholeGzip: gzipOf(Object.keys(outputs)), byInput };
}

/**
 * Where the up-front gzip bytes go: each library's and each txgate module's share of the minified bytes, applied
 * to the gzip total (gzip compresses the whole, so a share is an estimate; the parts add up to the total).
 */
export function breakdown({ gzip, byInput }) {
  const minified = Object.values(byInput).reduce((sum, n) => sum + n, 0);
  const share = (n) => Math.round((gzip * n) / minified);
  const libraries = {};
  const own = {};
  for (const [input, n] of Object.entries(byInput)) {
    if (input.startsWith("txgate:")) own[input.slice(7)] = n;
    else libraries[input] = n;
  }
  const ownTotal = Object.values(own).reduce((sum, n) => sum + n, 0);
  return {
    libraries: Object.fromEntries(Object.entries(libraries).map(([name, n]) => [name, share(n)])),
    txgate: share(ownTotal),
    txgateModules: Object.entries(own)
      .sort(([, a], [, b]) => b - a)
      .map(([path, n]) => [path, share(n)]),
  };
}

export async function measureSizes() {
  const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  const rows = [];
  for (const [name, contents] of Object.entries(baselines)) {
    rows.push({ entry: name, ...(await measure({ stdin: { contents, resolveDir: fileURLToPath(root), loader: "js" } })) });
  }
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const entry = subpath.replace(/^\.\//, "");
    const published = typeof target === "string" ? target : target.default;
    // What a user's bundler starts from: the published file.
    const row = await measure({ entryPoints: [fileURLToPath(new URL(published, root))] });
    // The same build from the TypeScript source, whose metafile can name txgate's own modules.
    const source = fileURLToPath(new URL(published.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"), root));
    const fromSource = await measure({ entryPoints: [source] });
    // The same entry with every dependency left out: what txgate's own code weighs.
    const own = await build({
      ...common,
      entryPoints: [source],
      external: [...common.external, ...Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`])],
      metafile: false,
    });
    rows.push({
      entry,
      gzip: row.gzip,
      wholeGzip: row.wholeGzip,
      sourceGzip: fromSource.gzip,
      breakdown: breakdown(fromSource),
      ownGzip: gzipSync(own.outputFiles[0].contents, { level: 9 }).length,
      budget: budgets[entry],
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync(process.execPath, [fileURLToPath(new URL("scripts/build.mjs", root))], { stdio: "inherit" });
  for (const row of await measureSizes()) console.log(JSON.stringify(row));
}
