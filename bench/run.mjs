// `npm run bench`: entry sizes against their budgets, client CPU per send against a bare fetch, Act-On pacing,
// and the worker under load.
// Figures are reported, not asserted: a budget is a goal to design toward, never a reason to drop a rule.
import { measureSizes } from "./sizes.mjs";
import { measureSendCpu } from "./send-cpu.mjs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

console.log("Entry sizes (esbuild, minified ESM, browser/workerd conditions):");
for (const row of await measureSizes()) {
  const libraries = Object.entries(row.byLibrary)
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${bytes}`)
    .join(", ");
  const verdict = row.budget === undefined ? "" : row.gzip <= row.budget ? ` (budget ${row.budget}: within)` : ` (budget ${row.budget}: OVER by ${row.gzip - row.budget})`;
  console.log(`  ${row.entry.padEnd(13)} ${String(row.gzip).padStart(6)} B gzip${verdict}; txgate's own code alone ${row.ownGzip} B gzip; minified bytes by source: ${libraries}`);
}

console.log("\nCPU per listmonk send against a local server (same run, same request):");
const cpu = await measureSendCpu();
console.log(`  bare fetch ${cpu.bareFetchCpuMicros} µs, txgate ${cpu.txgateCpuMicros} µs, added ${cpu.addedCpuMicros} µs per send (${cpu.sends} sends; wall ${cpu.bareFetchWallMs} vs ${cpu.txgateWallMs} ms)`);

console.log("\nAct-On pacing, 10 s against the local double at the default 20 sends/s per account:");
const pacing = JSON.parse(
  execFileSync(process.execPath, ["--experimental-strip-types", "--no-warnings", fileURLToPath(new URL("./acton-pacing.ts", import.meta.url))], { encoding: "utf8" }).trim().split("\n").at(-1),
);
console.log(`  ${JSON.stringify(pacing)}`);

console.log("\nWorker load (wrangler dev, sandbox mode; also `npm run bench:worker`):");
execFileSync(process.execPath, [fileURLToPath(new URL("./worker-load.mjs", import.meta.url))], { stdio: "inherit" });
