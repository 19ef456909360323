// Gzip size of each public entry point, bundled as a user's bundler would for a Worker or a browser:
// esbuild, minified ESM, browser/workerd conditions. Prints one row per entry with its budget, and which
// libraries the minified bytes go to.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";

export const budgets = { listmonk: 4500, acton: 4500, everlytic: 4500, expertsender: 12000, browser: 1500 };

export async function measureSizes() {
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  const rows = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const entry = subpath.replace(/^\.\//, "");
    const source = typeof target === "string" ? target : target.default;
    const result = await build({
      entryPoints: [new URL(`../${source}`, import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      write: false,
      metafile: true,
      logLevel: "error",
    });
    const code = result.outputFiles[0].contents;
    // The same entry with every dependency left out: what txgate's own code weighs, so the report can say what
    // the libraries cost and what the bytes buy.
    const own = await build({
      entryPoints: [new URL(`../${source}`, import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      external: Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]),
      write: false,
      logLevel: "error",
    });
    const ownGzip = gzipSync(own.outputFiles[0].contents, { level: 9 }).length;
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const byLibrary = {};
    for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
      const library = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? "txgate";
      byLibrary[library] = (byLibrary[library] ?? 0) + bytesInOutput;
    }
    rows.push({ entry, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, ownGzip, budget: budgets[entry], byLibrary });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await measureSizes()) console.log(JSON.stringify(row));
}
