// `node bench/queued-sends.mjs` (also run by `npm run bench`): 5,000 queued sends through the local worker
// (wrangler dev on 127.0.0.1, sandbox mode, its Durable Objects and Queues simulated by miniflare in a fresh
// state directory) to the sandbox's Act-On: POST /v1/send/acton with `Prefer: respond-async`, 64 at a time.
// Reports the accept latency (until the 202) at p50 and p99, the drain rate (sends the sandbox accepted per
// second, first to last), Act-On pacing (the most sends the sandbox saw in any 1-second window; goal ≤ 20), and
// the messages lost (accepted, never received) and duplicated (received more than once), goal 0 and 0, with the
// final state of every message from GET /v1/messages/{id}. The run ends by itself (BENCH_QUEUED_TIMEOUT_S, default
// 900 s: at 20 a second, 5,000 sends need 250 s). Only 127.0.0.1 is contacted.
import { execFileSync, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MESSAGES = Number(process.env.BENCH_QUEUED ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TIMEOUT_MS = Number(process.env.BENCH_QUEUED_TIMEOUT_S ?? 900) * 1000;
/** The drain is over when nothing new arrived for this long (after every message was accepted). */
const STALL_MS = 60_000;
const ACTON_CAP = 20;
const root = fileURLToPath(new URL("../", import.meta.url));
const callerKey = `bench-${crypto.randomUUID()}`;
// The worker runs from a copy of the last commit: `wrangler dev` reloads on every change to the files it built
// from, which would drop requests in flight and the sandbox's count, and the working tree may be mid-edit.
const copy = mkdtempSync(join(tmpdir(), "txgate-queued-bench-"));
execSync(`git archive HEAD | tar -x -C "${copy}"`, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
// The demo page imports the built browser client as text (wrangler.toml's rule): the copy builds its own.
try {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, stdio: "ignore" });
} catch {
  // The declarations may fail to type-check; the bundles are written first, and wrangler says if one is missing.
}
const state = mkdtempSync(join(tmpdir(), "txgate-queued-bench-state-"));
const email = (n) =>
  JSON.stringify({
    templateId: "t-0099",
    envelope: { toAddress: `customer-${n}@example.com` },
    content: { personalizationDataMap: { orderNumber: `Q-${n}` } },
    metadata: { transactional: true, externalId: `Q-${n}` },
    actions: { trackOpens: false, trackClicks: false },
  });

const started = Date.now();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const wrangler = spawn(
  fileURLToPath(new URL("node_modules/.bin/wrangler", `file://${root}`)),
  [
    "dev",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--persist-to", state,
    "--show-interactive-dev-session=false",
    "--var", "SANDBOX:true",
    "--var", `CALLER_KEYS:${JSON.stringify([{ id: "bench", key: callerKey, vendors: ["acton"] }])}`,
  ],
  { cwd: copy, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
);
let wranglerErrors = "";
wrangler.stderr.on("data", (chunk) => (wranglerErrors = (wranglerErrors + chunk).slice(-4000)));
const stop = () => {
  try {
    process.kill(-wrangler.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
  rmSync(copy, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
};
process.on("exit", stop);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
const timer = setTimeout(() => {
  console.error(`bench: over ${TIMEOUT_MS / 1000} s, stopping`);
  stop();
  process.exit(1);
}, TIMEOUT_MS);

try {
  await waitUntilReady();
  // The sandbox answers only in sandbox mode: a .dev.vars with real Act-On credentials must not get 5,000 sends.
  if ((await fetch(`${base}/sandbox/receipts`, { method: "POST" })).status !== 201) {
    throw new Error("the local worker is not in sandbox mode (vendor credentials in .dev.vars?); refusing to load it");
  }

  // Accept: every send answered 202 with its id.
  const ids = [];
  const latencies = [];
  const refusals = [];
  let next = 0;
  const acceptStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < MESSAGES) {
        const n = next++;
        const start = performance.now();
        try {
          const response = await fetch(`${base}/v1/send/acton`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${callerKey}`, prefer: "respond-async" },
            body: email(n),
            signal: AbortSignal.timeout(30_000),
          });
          const body = await response.json().catch(() => ({}));
          latencies.push(performance.now() - start);
          if (response.status === 202 && typeof body.id === "string") ids.push(body.id);
          else refusals.push(`${response.status} ${JSON.stringify(body).slice(0, 120)}`);
        } catch (error) {
          refusals.push(String(error));
        }
      }
    }),
  );
  const acceptSeconds = (performance.now() - acceptStarted) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.error(`bench: ${ids.length} accepted in ${acceptSeconds.toFixed(1)} s; draining…`);

  // Drain: until every accepted message arrived, or nothing new came for STALL_MS.
  let receipts = { accepted: 0, distinct: 0, busiestSecond: 0 };
  let lastChange = Date.now();
  while (receipts.accepted < ids.length && Date.now() - lastChange < STALL_MS) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const counted = await (await fetch(`${base}/sandbox/receipts`)).json();
    // A worker that restarted has forgotten its count: the figures would be wrong, not just low.
    if (!counted.counting) throw new Error("the local worker restarted during the run (its sandbox count is gone)");
    const current = counted.vendors.acton ?? receipts;
    if (current.accepted !== receipts.accepted) lastChange = Date.now();
    receipts = current;
  }

  // Every message's final state, as its caller sees it.
  const states = {};
  let asked = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (asked < ids.length) {
        const id = ids[asked++];
        const response = await fetch(`${base}/v1/messages/${id}`, { headers: { authorization: `Bearer ${callerKey}` } });
        const view = await response.json().catch(() => ({}));
        const name = response.status === 200 ? view.state : `HTTP ${response.status}`;
        states[name] = (states[name] ?? 0) + 1;
      }
    }),
  );

  const drainSeconds = receipts.accepted > 1 ? (receipts.last - receipts.first) / 1000 : 0;
  const lost = ids.length - receipts.distinct;
  const duplicated = receipts.accepted - receipts.distinct;
  const summary = {
    messages: MESSAGES,
    accepted: ids.length,
    refused: refusals.length,
    acceptP50Ms: at(0.5),
    acceptP99Ms: at(0.99),
    acceptPerSecond: ids.length / acceptSeconds,
    drainPerSecond: drainSeconds ? receipts.accepted / drainSeconds : 0,
    busiestSecond: receipts.busiestSecond,
    lost,
    duplicated,
    states,
    seconds: (Date.now() - started) / 1000,
  };
  console.log(`Queued sends (wrangler dev on 127.0.0.1, sandbox Act-On): ${MESSAGES} messages, ${CONCURRENCY} at a time`);
  console.log(`  accepted ${ids.length} (202), refused ${refusals.length}; accept latency p50 ${ms(summary.acceptP50Ms)}, p99 ${ms(summary.acceptP99Ms)}; ${Math.round(summary.acceptPerSecond)} accepted/s`);
  console.log(`  drained ${receipts.accepted} sends in ${drainSeconds.toFixed(1)} s: ${summary.drainPerSecond.toFixed(1)} sends/s`);
  console.log(`  Act-On pacing: at most ${receipts.busiestSecond} sends in any 1-second window (cap ${ACTON_CAP}) ${receipts.busiestSecond <= ACTON_CAP ? "✓" : "✗"}`);
  console.log(`  lost ${lost}, duplicated ${duplicated} (goal 0 and 0) ${lost === 0 && duplicated === 0 ? "✓" : "✗"}; final states ${JSON.stringify(states)}`);
  if (refusals.length) console.log(`  first refusals: ${refusals.slice(0, 3).join("; ")}`);
  // For `npm run bench`.
  if (process.env.BENCH_SUMMARY) console.log(JSON.stringify(summary));
  if (lost || duplicated || refusals.length || receipts.busiestSecond > ACTON_CAP) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error.message}\n${wranglerErrors}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  stop();
}

/** Ready once `/` has answered for 3 s in a row: `wrangler dev` may reload once more just after it first answers. */
async function waitUntilReady() {
  const deadline = Date.now() + 90_000;
  let answeringSince;
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.exitCode})`);
    let ok = false;
    try {
      ok = (await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      // Not listening yet.
    }
    if (!ok) answeringSince = undefined;
    else if ((answeringSince ??= Date.now()) <= Date.now() - 3000) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("wrangler dev did not start within 90 s");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}
