// `npm run bench`: one table of what a txgate entry costs next to plain fetch and openapi-fetch alone, measured in
// the same run as ratios (absolute times on a shared machine say little): CPU per send, entry size, cold import,
// and the latency the worker adds. Figures are reported against their goals, not asserted: a goal is something to
// design toward, never a reason to drop a rule. Then one line on Act-On pacing.
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { measureColdImport, defaultTargets } from "./cold-import.mjs";
import { measureSendCpu, ROUNDS, SENDS, WARMUP } from "./send-cpu.mjs";
import { measureSizes } from "./sizes.mjs";

const goals = { cpu: 1.25, coldImport: 1.5, workerAddedMs: 1 };
const root = fileURLToPath(new URL("../", import.meta.url));
const node = (script, env = {}) =>
  execFileSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });

const log = (text) => process.stderr.write(`${text}\n`);
log("bench: building dist/ (npm run build), and the two layouts it is compared with…");
execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/build.mjs", import.meta.url))], { cwd: root, stdio: "ignore" });
// For comparison only: the same entries with the libraries left as imports, and as tsc emitted them (one file per
// module, as txgate published before 2026-11-30).
execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/build.mjs", import.meta.url)), "--outdir", "bench/results/external", "--external"], { cwd: root, stdio: "ignore" });
try {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json", "--emitDeclarationOnly", "false", "--declaration", "false", "--outDir", "bench/results/tsc"],
    { cwd: root, stdio: "ignore" },
  );
} catch {
  // tsc still writes its files when it reports type errors.
}
log("bench: entry sizes…");
const sizes = Object.fromEntries((await measureSizes()).map((row) => [row.entry, row]));
log(`bench: CPU per send (${ROUNDS} rounds × 4 vendors, fresh processes)…`);
const cpu = await measureSendCpu();
log("bench: cold import…");
const layout = (dir, name) => new URL(`results/${dir}/src/${name}/index.js`, import.meta.url).href;
const cold = measureColdImport({
  ...defaultTargets(),
  "listmonk, libraries external": layout("external", "listmonk"),
  "listmonk, tsc's one file per module": layout("tsc", "listmonk"),
  "expertsender, libraries external": layout("external", "expertsender"),
});
log("bench: the worker, one request at a time and under load…");
let worker;
try {
  worker = JSON.parse(node("./worker-load.mjs", { BENCH_SUMMARY: "1" }).trim().split("\n").at(-1));
} catch (error) {
  worker = { failed: String(error.message).split("\n")[0] };
}

const x = (ratio) => ratio.toFixed(2);
const range = ({ median, min, max }) => `${x(median)} (${x(min)}–${x(max)})`;
const within = (ok) => (ok ? "✓" : "✗");
const bytes = (n) => n.toLocaleString("en-US");
const vendorNames = ["listmonk", "acton", "everlytic", "expertsender"];
const openapiRatios = vendorNames.flatMap((name) => cpu[name].samples.map((s) => s.openapiFetch / s.plainFetch));
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted.at(-1) };
};

const rows = [
  ["plain fetch", "1.00", `${bytes(sizes["plain fetch"].gzip)} B`, "1.00", ""],
  ["openapi-fetch alone", range(spread(openapiRatios)), `${bytes(sizes["openapi-fetch"].gzip)} B`, x(cold["openapi-fetch"].ratio), ""],
  ...vendorNames.map((name) => {
    const size = sizes[name];
    const lazy = size.wholeGzip > size.gzip ? ` (+${bytes(size.wholeGzip - size.gzip)} B loaded when needed)` : "";
    return [
      `txgate/${name}`,
      `${range(cpu[name].txgate)} ${within(cpu[name].txgate.median <= goals.cpu)}`,
      `${bytes(size.gzip)} B${lazy} ${within(size.gzip <= size.budget)} ≤ ${bytes(size.budget)}`,
      `${x(cold[name].ratio)} ${within(cold[name].ratio <= goals.coldImport)}`,
      "",
    ];
  }),
  ["txgate/browser", "—", `${bytes(sizes.browser.gzip)} B ${within(sizes.browser.gzip <= sizes.browser.budget)} ≤ ${bytes(sizes.browser.budget)}`, `${x(cold.browser.ratio)} ${within(cold.browser.ratio <= goals.coldImport)}`, ""],
  // Every other entry in package.json `exports` (catalogue, testing, …), against its size budget if it has one.
  ...Object.keys(sizes)
    .filter((name) => !["plain fetch", "openapi-fetch", "browser", ...vendorNames].includes(name))
    .map((name) => {
      const { gzip, budget } = sizes[name];
      return [
        `txgate/${name}`,
        "—",
        budget ? `${bytes(gzip)} B ${within(gzip <= budget)} ≤ ${bytes(budget)}` : `${bytes(gzip)} B`,
        cold[name] ? `${x(cold[name].ratio)} ${within(cold[name].ratio <= goals.coldImport)}` : "—",
        "",
      ];
    }),
  [
    "the worker (listmonk route)",
    "—",
    "—",
    "—",
    worker.failed
      ? `not measured: ${worker.failed}`
      : `+${worker.addedP50Ms.toFixed(2)} ms ${within(worker.addedP50Ms <= goals.workerAddedMs)} (${worker.directP50Ms.toFixed(2)} → ${worker.workerP50Ms.toFixed(2)} ms; ${worker.errors} errors)`,
  ],
];
const header = [
  "client",
  `CPU per send, × plain fetch (goal ≤ ${goals.cpu})`,
  "entry, gzip up front",
  `cold import, × bare node (goal ≤ ${goals.coldImport})`,
  `worker adds at p50, one at a time (goal ≤ ${goals.workerAddedMs} ms)`,
];
const cpuModel = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpuModel}, Node ${process.versions.node}`);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log(
  `\nCPU: median (lowest–highest) of ${ROUNDS} rounds, each a fresh process per vendor sending the same request ${SENDS} times after ${WARMUP} warm-up ` +
    `to a mock vendor on 127.0.0.1 (plain fetch: median ${vendorNames.map((name) => `${name} ${Math.round(cpu[name].plainFetchMicros)} µs`).join(", ")}). ` +
    `Sizes: the published entry (dist/) bundled by esbuild, minified ESM, browser/workerd conditions, gzip -9. Cold import: median of fresh processes importing the published entry, against bare ones.`,
);
console.log(
  `Cold import of other layouts, same run (× bare node): ${["listmonk, libraries external", "listmonk, tsc's one file per module", "expertsender, libraries external"].map((name) => `${name} ${x(cold[name].ratio)}`).join("; ")}.`,
);
console.log("\nWhere each entry's up-front gzip bytes go (shares of the minified bytes, from esbuild's metafile):");
for (const name of vendorNames) {
  const { libraries, txgate, txgateModules } = sizes[name].breakdown;
  const top = txgateModules.slice(0, 6).map(([path, n]) => `${path.replace(/^src\//, "")} ${bytes(n)}`).join(", ");
  console.log(
    `- ${name}: ${Object.entries(libraries).map(([library, n]) => `${library} ${bytes(n)} B`).join(", ")}, txgate ${bytes(txgate)} B (largest: ${top}); ` +
      `txgate alone with the libraries left out: ${bytes(sizes[name].ownGzip)} B`,
  );
}

try {
  const pacing = JSON.parse(
    execFileSync(process.execPath, ["--experimental-strip-types", "--no-warnings", fileURLToPath(new URL("./acton-pacing.ts", import.meta.url))], { cwd: root, encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1),
  );
  console.log(`Act-On pacing, 10 s at the default 20 sends/s: ${JSON.stringify(pacing)}`);
} catch (error) {
  console.log(`Act-On pacing: not measured (${String(error.message).split("\n")[0]})`);
}
// Queued sends (bench/queued-sends.mjs): 5,000 through the local worker's queue to the sandbox's Act-On, about 5 minutes.
if (process.env.BENCH_SKIP_QUEUED !== "1") { try { console.log(`\n${node("./queued-sends.mjs").trim()}`); } catch (error) { console.log(`Queued sends: failed (${String(error.stdout ?? error.message).trim().split("\n").slice(-3).join(" ")})`); } }
