// `npm run bench:worker`: load on the local worker (wrangler dev, sandbox mode). 5,000 sends at concurrency 64
// through the worker's trusted route (POST /v1/send/listmonk: caller key, rate limit, body cap, the listmonk
// client, the sandbox), against 5,000 calls of the same sandbox vendor directly over HTTP
// (POST /sandbox/listmonk/api/tx). Reports errors (goal 0) and the latency the worker adds at p50 and p99.
// Only 127.0.0.1 is contacted; the request count is fixed and the run ends by itself.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort, signalGroup, waitUntilReady } from "./wrangler-dev.mjs";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WARMUP = 200;
const ROUNDS = 5;
/** Also measured one at a time, where latency is the request's own, not time spent queued behind 63 others. */
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 300);
const REQUEST_TIMEOUT_MS = 30_000;
const root = fileURLToPath(new URL("../", import.meta.url));
const callerKey = `bench-${crypto.randomUUID()}`;
const message = JSON.stringify({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234", items: 3 } });
// The sandbox's own listmonk credentials (worker/sandbox/listmonk.ts): not secrets.
const sandboxAuth = `Basic ${btoa("sandbox:sandbox-listmonk-token")}`;

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const wrangler = spawn(
  fileURLToPath(new URL("node_modules/.bin/wrangler", `file://${root}`)),
  [
    "dev",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--show-interactive-dev-session=false",
    "--var", "SANDBOX:true",
    "--var", `CALLER_KEYS:${JSON.stringify([{ id: "bench", key: callerKey, vendors: ["listmonk"] }])}`,
  ],
  { cwd: root, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
);
let wranglerErrors = "";
wrangler.stderr.on("data", (chunk) => (wranglerErrors = (wranglerErrors + chunk).slice(-4000)));
const stop = () => {
  signalGroup(wrangler);
};
process.on("exit", stop);

try {
  await waitUntilReady(wrangler, base, { steadyMs: 0, timeoutMs: 60_000 });
  // The outbox answers only in sandbox mode: a .dev.vars with real vendor credentials must not get 5,000 sends.
  const outbox = await fetch(`${base}/sandbox/messages`);
  if (outbox.status !== 200) throw new Error("the local worker is not in sandbox mode (vendor credentials in .dev.vars?); refusing to load it");

  const direct = () =>
    fetch(`${base}/sandbox/listmonk/api/tx`, { method: "POST", headers: { "content-type": "application/json", authorization: sandboxAuth }, body: message, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  // The same route with a message its validation refuses: the worker's gates and parsing without a send, to tell
  // where the added time goes. Its 4xx is the expected answer here.
  const refused = JSON.stringify({ ...JSON.parse(message), template_id: "not a number" });
  const viaWorkerRefused = () =>
    fetch(`${base}/v1/send/listmonk`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${callerKey}` }, body: refused, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const viaWorker = () =>
    fetch(`${base}/v1/send/listmonk`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${callerKey}` }, body: message, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

  await run(direct, WARMUP, CONCURRENCY);
  await run(viaWorker, WARMUP, CONCURRENCY);
  // In alternating rounds, so both sides see the same machine: a GC pause or a busy core lands on both.
  const baselineRounds = [];
  const workerRounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const size = Math.floor(REQUESTS / ROUNDS) + (round < REQUESTS % ROUNDS ? 1 : 0);
    baselineRounds.push(await run(direct, size, CONCURRENCY));
    workerRounds.push(await run(viaWorker, size, CONCURRENCY));
  }
  const baseline = merge(baselineRounds);
  const worker = merge(workerRounds);
  // One at a time, also in alternating rounds.
  const baselineAloneRounds = [];
  const workerAloneRounds = [];
  const refusedAloneRounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineAloneRounds.push(await run(direct, Math.ceil(SEQUENTIAL / ROUNDS), 1));
    workerAloneRounds.push(await run(viaWorker, Math.ceil(SEQUENTIAL / ROUNDS), 1));
    refusedAloneRounds.push(await run(viaWorkerRefused, Math.ceil(SEQUENTIAL / ROUNDS), 1, 422));
  }
  const baselineAlone = merge(baselineAloneRounds);
  const workerAlone = merge(workerAloneRounds);
  const refusedAlone = merge(refusedAloneRounds);

  console.log(`Worker load (wrangler dev on 127.0.0.1, sandbox mode): ${REQUESTS} requests each, concurrency ${CONCURRENCY}`);
  for (const [name, result] of [["sandbox directly  ", baseline], ["through the worker", worker]]) {
    console.log(
      `  ${name}  errors ${result.errors}  p50 ${ms(result.p50)}  p90 ${ms(result.p90)}  p99 ${ms(result.p99)}  max ${ms(result.max)}  ${Math.round(result.throughput)} req/s`,
    );
  }
  console.log(`  added by the worker: p50 ${ms(worker.p50 - baseline.p50)}, p99 ${ms(worker.p99 - baseline.p99)}`);
  console.log(
    `One at a time (${SEQUENTIAL} each): sandbox p50 ${ms(baselineAlone.p50)} p99 ${ms(baselineAlone.p99)}; worker p50 ${ms(workerAlone.p50)} p99 ${ms(workerAlone.p99)}; ` +
      `added p50 ${ms(workerAlone.p50 - baselineAlone.p50)}, p99 ${ms(workerAlone.p99 - baselineAlone.p99)}; ` +
      `a message the worker refuses before sending: p50 ${ms(refusedAlone.p50)}; errors ${baselineAlone.errors + workerAlone.errors + refusedAlone.errors}`,
  );
  // For `npm run bench`, which puts these figures in its table.
  if (process.env.BENCH_SUMMARY) {
    console.log(
      JSON.stringify({
        addedP50Ms: workerAlone.p50 - baselineAlone.p50,
        refusedP50Ms: refusedAlone.p50,
        directP50Ms: baselineAlone.p50,
        workerP50Ms: workerAlone.p50,
        loadAddedP50Ms: worker.p50 - baseline.p50,
        errors: worker.errors + baseline.errors + baselineAlone.errors + workerAlone.errors + refusedAlone.errors,
      }),
    );
  }
  const allErrors = worker.errors + baseline.errors + baselineAlone.errors + workerAlone.errors + refusedAlone.errors;
  if (allErrors) {
    console.log(`  first errors: ${[...baseline.samples, ...worker.samples, ...baselineAlone.samples, ...workerAlone.samples, ...refusedAlone.samples].slice(0, 5).join("; ")}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`bench failed: ${error.message}\n${wranglerErrors}`);
  process.exitCode = 1;
} finally {
  stop();
}

/** The rounds of one side as one result. */
function merge(parts) {
  const latencies = parts.flatMap((part) => part.latencies).sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const elapsed = parts.reduce((sum, part) => sum + part.elapsed, 0);
  return {
    errors: parts.reduce((sum, part) => sum + part.errors, 0),
    samples: parts.flatMap((part) => part.samples),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies.at(-1),
    throughput: (latencies.length / elapsed) * 1000,
  };
}

/** `count` calls of `send`, `concurrency` at a time; latency percentiles in ms. A non-200 is an error. */
async function run(send, count, concurrency, expectedStatus = 200) {
  const latencies = [];
  const samples = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      next++;
      const start = performance.now();
      try {
        const response = await send();
        const body = await response.text();
        if (response.status !== expectedStatus) {
          errors++;
          if (samples.length < 5) samples.push(`${response.status} ${body.slice(0, 120)}`);
        }
      } catch (error) {
        errors++;
        if (samples.length < 5) samples.push(String(error));
      }
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { errors, samples, latencies, elapsed, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1), throughput: (count / elapsed) * 1000 };
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}
