// Cold import: the wall time of a fresh `node` that imports an entry, as a ratio to a fresh `node` that imports
// nothing, both as ES modules, run in the bench's scratch project so `txgate/*` resolves to the installed package
// (and its libraries to that project's node_modules), as a Node user's import does. Each target's processes
// alternate with bare ones and the targets take turns, so a busy moment on a shared machine lands on all of them;
// the ratio is of the medians. Pinned to core 0 when taskset is there, as the CPU bench's clients are.
import { spawnSync } from "node:child_process";
import { pinning } from "./send-cpu.mjs";

export const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** `targets`: name → bare specifier. Returns name → { ratio, ms, bareMs } or { failed }. */
export function measureColdImport({ dir, targets, runs = RUNS }) {
  const [command, ...prefix] = [...pinning().client, process.execPath];
  const once = (source) => {
    const start = performance.now();
    const result = spawnSync(command, [...prefix, "--input-type=module", "-e", source], { cwd: dir, stdio: "ignore" });
    return result.status === 0 ? performance.now() - start : undefined;
  };
  const load = (name) => `await import(${JSON.stringify(targets[name])})`;
  // The first run warms the file cache, not the process; a target that cannot be imported is reported, not timed.
  const names = Object.keys(targets).filter((name) => once(load(name)) !== undefined);
  const bare = Object.fromEntries(names.map((name) => [name, []]));
  const loaded = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      bare[name].push(once(""));
      loaded[name].push(once(load(name)));
    }
  }
  return Object.fromEntries(
    Object.keys(targets).map((name) =>
      names.includes(name)
        ? [name, { ratio: median(loaded[name]) / median(bare[name]), ms: median(loaded[name]), bareMs: median(bare[name]) }]
        : [name, { failed: "could not be imported" }],
    ),
  );
}
