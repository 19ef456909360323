// Gzip size of each public entry point, bundled as a user's bundler would for a Worker or a browser: esbuild,
// minified ESM, browser/workerd conditions, gzip -9. Code loaded by a dynamic import (ExpertSender's XML reader
// and writer, MD5) is split off with esbuild's code splitting: "up front" is the entry and the chunks it imports
// statically, gzipped together; "whole" is every chunk, as a bundler that does not split (wrangler) ships it.
// Also measured the same way: a minimal Worker that sends with plain fetch, and one with openapi-fetch alone.
import { build } from "esbuild";
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
  const byLibrary = {};
  for (const name of upFront) {
    for (const [path, { bytesInOutput }] of Object.entries(outputs[name].inputs)) {
      const library = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? "txgate";
      byLibrary[library] = (byLibrary[library] ?? 0) + bytesInOutput;
    }
  }
  return { gzip: gzipOf(upFront), wholeGzip: gzipOf(Object.keys(outputs)), byLibrary };
}

export async function measureSizes() {
  const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  const rows = [];
  for (const [name, contents] of Object.entries(baselines)) {
    rows.push({ entry: name, ...(await measure({ stdin: { contents, resolveDir: fileURLToPath(root), loader: "js" } })) });
  }
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const entry = subpath.replace(/^\.\//, "");
    // The TypeScript source the published file is built from: the bench needs no build first.
    const source = (typeof target === "string" ? target : target.default).replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
    const row = await measure({ entryPoints: [fileURLToPath(new URL(source, root))] });
    // The same entry with every dependency left out: what txgate's own code weighs.
    const own = await build({
      ...common,
      entryPoints: [fileURLToPath(new URL(source, root))],
      external: Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]),
      metafile: false,
    });
    rows.push({ entry, ...row, ownGzip: gzipSync(own.outputFiles[0].contents, { level: 9 }).length, budget: budgets[entry] });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await measureSizes()) console.log(JSON.stringify(row));
}
