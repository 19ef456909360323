/**
 * Pacing benchmark: sends through the Act-On client for 10 s at the default rate (20 per second per account)
 * against the local Act-On double, keeping more sends queued than the rate allows, and prints one line of JSON:
 * the sustained rate the double received and the most ETE requests it received in any 1-second window.
 *
 *   node --experimental-strip-types bench/acton-pacing.ts   (part of `npm run bench`)
 */
import { transformSync } from "esbuild";
import { registerHooks } from "node:module";

// The sources import each other as `./x.js` (as tsc and bundlers expect); here the files are `./x.ts`. They are
// compiled by esbuild as they load: Node's own type stripping refuses some TypeScript (parameter properties).
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (!/^\.\.?\//.test(specifier) || !specifier.endsWith(".js")) throw error;
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
  load(url, context, next) {
    if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
    const source = String(next(url, { ...context, format: "module" }).source);
    return { format: "module", source: transformSync(source, { loader: "ts", format: "esm" }).code, shortCircuit: true };
  },
});

const { createActOnClient, memoryTokenStore } = await import("../src/acton/index.js");
const { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble } = await import("../test/acton/double.js");
const { minimal } = await import("../test/acton/fixtures.js");

const SECONDS = 10;
const RATE = 20;
/** Sends kept waiting at once: twice what one second allows, so the pacer, not the producer, sets the pace. */
const CONCURRENCY = 2 * RATE;

/** The most timestamps (ms) in any window [t, t + 1000). */
export function maxInAnyWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let first = 0, last = 0; first < sorted.length; first++) {
    while (last < sorted.length && sorted[last]! < sorted[first]! + windowMs) last++;
    max = Math.max(max, last - first);
  }
  return max;
}

const double = await startActOnDouble({ ratePerSecond: RATE });
const client = createActOnClient({ baseUrl: double.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore: memoryTokenStore() });

// Log in and let the window empty, so the run measures pacing alone.
await client.send(minimal);
await new Promise((resolve) => setTimeout(resolve, 1100));
double.arrivals.length = 0;

const start = performance.now();
const end = start + SECONDS * 1000;
const failures: string[] = [];
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      const outcome = await client.send(minimal);
      if (!outcome.ok) failures.push(outcome.message);
    }
  }),
);
const inRun = double.arrivals.filter((at) => at >= start && at < end);
// Steady state: how long each slot took to come round again (a send's turn plus the window).
const cycles = inRun.slice(RATE).map((at, n) => at - inRun[n]!);
const meanCycleMs = cycles.reduce((sum, ms) => sum + ms, 0) / cycles.length;
await double.close();

console.log(
  JSON.stringify({
    seconds: SECONDS,
    ratePerSecond: RATE,
    sends: inRun.length,
    sustainedPerSecond: +(inRun.length / SECONDS).toFixed(2),
    steadyStatePerSecond: +((RATE * 1000) / meanCycleMs).toFixed(2),
    maxInAnyOneSecondWindow: maxInAnyWindow(inRun),
    overLimitAtDouble: double.limitViolations.length,
    failures: failures.length,
    specViolations: double.specViolations.length,
  }),
);
