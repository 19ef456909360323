// Cold import: the wall time of a fresh `node` that imports an entry, as a ratio to a fresh `node` that imports
// nothing, both as ES modules. Each entry's processes alternate with bare ones, so a busy moment on a shared
// machine lands on both; the ratio is of the medians. Plain Node only (no hyperfine), so CI and any clone can
// run it. txgate's entries are imported as published (dist/, the bundles `npm run build` writes), as a Node user
// gets them.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

export const RUNS = 25;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Wall ms of one fresh `node` running `source` as an ES module. */
function run(source) {
  const start = performance.now();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", source], { stdio: "ignore" });
  if (result.status !== 0) throw new Error(`cold import failed: ${source}`);
  return performance.now() - start;
}

/** `targets`: name → module URL. Returns name → { ratio, ms, bareMs }. */
export function measureColdImport(targets, runs = RUNS) {
  const results = {};
  for (const [name, url] of Object.entries(targets)) {
    const bare = [];
    const loaded = [];
    run(`await import(${JSON.stringify(url)})`); // the first run warms the file cache, not the process
    for (let i = 0; i < runs; i++) {
      bare.push(run(""));
      loaded.push(run(`await import(${JSON.stringify(url)})`));
    }
    results[name] = { ratio: median(loaded) / median(bare), ms: median(loaded), bareMs: median(bare) };
  }
  return results;
}

/** The published entries, and openapi-fetch alone for comparison. */
export function defaultTargets() {
  const root = new URL("../", import.meta.url);
  const entry = (name) => new URL(`dist/src/${name}/index.js`, root).href;
  return {
    "openapi-fetch": pathToFileURL(fileURLToPath(new URL("node_modules/openapi-fetch/dist/index.mjs", root))).href,
    listmonk: entry("listmonk"),
    acton: entry("acton"),
    everlytic: entry("everlytic"),
    expertsender: entry("expertsender"),
    browser: entry("browser"),
    catalogue: entry("catalogue"),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(measureColdImport(defaultTargets()), null, 1));
