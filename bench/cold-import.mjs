// Cold import: the wall time of a fresh `node` that imports an entry, as a ratio to a fresh `node` that imports
// nothing, both as ES modules. Each entry's processes alternate with bare ones, and the entries take turns, so a
// busy moment on a shared machine lands on all of them; the ratio is of the medians. Plain Node only (no
// hyperfine), so CI and any clone can run it. txgate's entries are imported as published (dist/, the bundles `npm
// run build` writes), as a Node user gets them.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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

/**
 * `targets`: name → module URL. Returns name → { ratio, ms, bareMs }. The targets take turns within each run (a
 * bare process, then the target, for each target in turn), so a busy spell on a shared machine lands on every
 * entry alike instead of on whichever one was being measured.
 */
export function measureColdImport(targets, runs = RUNS) {
  const names = Object.keys(targets);
  const bare = Object.fromEntries(names.map((name) => [name, []]));
  const loaded = Object.fromEntries(names.map((name) => [name, []]));
  const load = (name) => `await import(${JSON.stringify(targets[name])})`;
  for (const name of names) run(load(name)); // the first run warms the file cache, not the process
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      bare[name].push(run(""));
      loaded[name].push(run(load(name)));
    }
  }
  return Object.fromEntries(
    names.map((name) => [name, { ratio: median(loaded[name]) / median(bare[name]), ms: median(loaded[name]), bareMs: median(bare[name]) }]),
  );
}

/** Every published entry Node can import (package.json `exports`, by subpath name), and openapi-fetch alone for comparison. */
export function defaultTargets() {
  const root = new URL("../", import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  // txgate/worker imports cloudflare:workers, which only the Workers runtime provides: Node cannot import it.
  const entries = Object.entries(pkg.exports).filter(([subpath]) => subpath !== "./worker").map(([subpath, target]) => [
    subpath.replace(/^\.\//, ""),
    new URL(typeof target === "string" ? target : target.default, root).href,
  ]);
  return {
    "openapi-fetch": pathToFileURL(fileURLToPath(new URL("node_modules/openapi-fetch/dist/index.mjs", root))).href,
    ...Object.fromEntries(entries),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(measureColdImport(defaultTargets()), null, 1));
