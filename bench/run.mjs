// `npm run bench`: entry sizes against their budgets, then client CPU per send against a bare fetch.
// Figures are reported, not asserted: a budget is a goal to design toward, never a reason to drop a rule.
import { measureSizes } from "./sizes.mjs";
import { measureSendCpu } from "./send-cpu.mjs";

console.log("Entry sizes (esbuild, minified ESM, browser/workerd conditions):");
for (const row of await measureSizes()) {
  const libraries = Object.entries(row.byLibrary)
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${bytes}`)
    .join(", ");
  const verdict = row.budget === undefined ? "" : row.gzip <= row.budget ? ` (budget ${row.budget}: within)` : ` (budget ${row.budget}: OVER by ${row.gzip - row.budget})`;
  console.log(`  ${row.entry.padEnd(13)} ${String(row.gzip).padStart(6)} B gzip${verdict}; minified bytes by source: ${libraries}`);
}

console.log("\nCPU per listmonk send against a local server (same run, same request):");
const cpu = await measureSendCpu();
console.log(`  bare fetch ${cpu.bareFetchCpuMicros} µs, txgate ${cpu.txgateCpuMicros} µs, added ${cpu.addedCpuMicros} µs per send (${cpu.sends} sends; wall ${cpu.bareFetchWallMs} vs ${cpu.txgateWallMs} ms)`);
