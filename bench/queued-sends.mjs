// `node bench/queued-sends.mjs` (also run by `npm run bench`): queued sends through the local worker (wrangler dev on
// 127.0.0.1, sandbox mode, its Durable Objects and Queues simulated by miniflare in a fresh state directory), beside
// a floor Worker measured in the same run (bench/floor-worker: per request one Durable Object write and one
// queue.send, and a consumer that only acknowledges), both sent the same bodies, 64 at a time.
//
// Reports, for each: the accept latency (until the 202) at p50 and p99 and the drain rate (messages the consumer
// finished per second, first to last); then txgate's as ratios to the floor's (goal ≤ 2 on each; the drain ratio is
// time per message, the floor's rate ÷ txgate's). For txgate also: the messages lost (accepted, never received by the
// sandbox vendor) and duplicated (received more than once), goal 0 and 0, with every message's final state from GET
// /v1/messages/{id}; and, when the vendor is Act-On, its pacing (the most sends in any 1-second window; cap 20).
//
// BENCH_QUEUED (messages, default 1,000), BENCH_CONCURRENCY (64), BENCH_QUEUED_VENDOR (listmonk, which is unpaced
// unless configured, so the drain rate is txgate's own; acton drains at its cap of 20 a second). The run ends by
// itself (BENCH_QUEUED_TIMEOUT_S, default 900 s). Only 127.0.0.1 is contacted.
import { execFileSync, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signalGroup, waitUntilReady } from "./wrangler-dev.mjs";

const MESSAGES = Number(process.env.BENCH_QUEUED ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const VENDOR = process.env.BENCH_QUEUED_VENDOR ?? "listmonk";
const TIMEOUT_MS = Number(process.env.BENCH_QUEUED_TIMEOUT_S ?? 900) * 1000;
/** The drain is over when nothing new arrived for this long (after every message was accepted). */
const STALL_MS = 60_000;
const ACTON_CAP = 20;
const root = fileURLToPath(new URL("../", import.meta.url));
const callerKey = `bench-${crypto.randomUUID()}`;

/** The body of message `n`, in the vendor's native shape: each one distinct, so the sandbox can count duplicates. */
const bodies = {
  listmonk: (n) => ({ template_id: 2, subscriber_emails: [`customer-${n}@example.com`], data: { order: `Q-${n}` } }),
  acton: (n) => ({
    templateId: "t-0099",
    envelope: { toAddress: `customer-${n}@example.com` },
    content: { personalizationDataMap: { orderNumber: `Q-${n}` } },
    metadata: { transactional: true, externalId: `Q-${n}` },
    actions: { trackOpens: false, trackClicks: false },
  }),
};
if (!bodies[VENDOR]) throw new Error(`BENCH_QUEUED_VENDOR: one of ${Object.keys(bodies).join(", ")}`);
const email = (n) => JSON.stringify(bodies[VENDOR](n));

const cleanups = [];
const cleanUp = () => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
};
process.on("exit", cleanUp);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
const timer = setTimeout(() => {
  console.error(`bench: over ${TIMEOUT_MS / 1000} s, stopping`);
  process.exit(1);
}, TIMEOUT_MS);

const started = Date.now();
try {
  // The floor first, then txgate: each alone on the machine while it runs.
  const floor = await measure({
    name: "floor",
    cwd: fileURLToPath(new URL("./floor-worker/", import.meta.url)),
    args: [],
    send: (base, n) => fetch(`${base}/accept`, { method: "POST", headers: { "content-type": "application/json" }, body: email(n), signal: AbortSignal.timeout(30_000) }),
    consumed: async (base) => {
      const { count, first, last } = await (await fetch(`${base}/count`)).json();
      return { accepted: count, distinct: count, first, last };
    },
  });
  const txgate = await measure({
    name: "txgate",
    cwd: workerCopy(),
    args: ["--var", "SANDBOX:true", "--var", `CALLER_KEYS:${JSON.stringify([{ id: "bench", key: callerKey, vendors: [VENDOR] }])}`],
    ready: async (base) => {
      // The sandbox answers only in sandbox mode: a .dev.vars with real credentials must not get these sends.
      if ((await fetch(`${base}/sandbox/receipts`, { method: "POST" })).status !== 201) {
        throw new Error("the local worker is not in sandbox mode (vendor credentials in .dev.vars?); refusing to load it");
      }
    },
    send: (base, n) =>
      fetch(`${base}/v1/send/${VENDOR}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${callerKey}`, prefer: "respond-async" },
        body: email(n),
        signal: AbortSignal.timeout(30_000),
      }),
    consumed: async (base) => {
      const counted = await (await fetch(`${base}/sandbox/receipts`)).json();
      // A worker that restarted has forgotten its count: the figures would be wrong, not just low.
      if (!counted.counting) throw new Error("the local worker restarted during the run (its sandbox count is gone)");
      return counted.vendors[VENDOR] ?? { accepted: 0, distinct: 0, busiestSecond: 0 };
    },
    after: finalStates,
  });

  const ratio = { acceptP50: txgate.acceptP50Ms / floor.acceptP50Ms, acceptP99: txgate.acceptP99Ms / floor.acceptP99Ms, drain: floor.drainPerSecond / txgate.drainPerSecond };
  const summary = { messages: MESSAGES, concurrency: CONCURRENCY, vendor: VENDOR, floor, txgate, ratio, seconds: (Date.now() - started) / 1000 };
  const within = (value) => (value <= 2 ? "✓" : "✗");
  console.log(`Queued sends (wrangler dev on 127.0.0.1; txgate in sandbox mode, ${VENDOR}): ${MESSAGES} messages, ${CONCURRENCY} at a time, txgate beside a floor Worker in the same run`);
  console.log(`| | accept p50 | accept p99 | drain |`);
  console.log(`|---|---|---|---|`);
  console.log(`| floor (one DO write + one queue.send; no-op consumer) | ${ms(floor.acceptP50Ms)} | ${ms(floor.acceptP99Ms)} | ${floor.drainPerSecond.toFixed(1)}/s |`);
  console.log(`| txgate | ${ms(txgate.acceptP50Ms)} | ${ms(txgate.acceptP99Ms)} | ${txgate.drainPerSecond.toFixed(1)}/s |`);
  console.log(`| txgate ÷ floor (goal ≤ 2) | ${ratio.acceptP50.toFixed(2)} ${within(ratio.acceptP50)} | ${ratio.acceptP99.toFixed(2)} ${within(ratio.acceptP99)} | ${ratio.drain.toFixed(2)} ${within(ratio.drain)} (time per message) |`);
  console.log(`txgate: accepted ${txgate.accepted} (202), refused ${txgate.refused}; lost ${txgate.lost}, duplicated ${txgate.duplicated} (goal 0 and 0) ${txgate.lost === 0 && txgate.duplicated === 0 ? "✓" : "✗"}; final states ${JSON.stringify(txgate.states)}`);
  if (VENDOR === "acton") console.log(`Act-On pacing: at most ${txgate.busiestSecond} sends in any 1-second window (cap ${ACTON_CAP}) ${txgate.busiestSecond <= ACTON_CAP ? "✓" : "✗"}`);
  if (floor.refused || txgate.refused) console.log(`first refusals: ${[...floor.firstRefusals, ...txgate.firstRefusals].slice(0, 3).join("; ")}`);
  // For `npm run bench`.
  if (process.env.BENCH_SUMMARY) console.log(JSON.stringify(summary));
  if (txgate.lost || txgate.duplicated || txgate.refused || floor.refused || (VENDOR === "acton" && txgate.busiestSecond > ACTON_CAP)) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  cleanUp();
}

/** The repo's worker runs from a copy of the last commit: `wrangler dev` reloads on every change to its files, which would drop requests in flight and the sandbox's count, and the working tree may be mid-edit. */
function workerCopy() {
  const copy = mkdtempSync(join(tmpdir(), "txgate-queued-bench-"));
  cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
  execSync(`git archive HEAD | tar -x -C "${copy}"`, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  // The demo page imports the built browser client as text (wrangler.toml's rule): the copy builds its own.
  try {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, stdio: "ignore" });
  } catch {
    // The declarations may fail to type-check; the bundles are written first, and wrangler says if one is missing.
  }
  return copy;
}

/** One worker under `wrangler dev`: accept MESSAGES at CONCURRENCY, then wait for the consumer to drain them. */
async function measure({ name, cwd, args, ready, send, consumed, after }) {
  const state = mkdtempSync(join(tmpdir(), `txgate-queued-bench-${name}-state-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wrangler = spawn(
    process.execPath,
    [join(root, "node_modules/wrangler/bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--show-interactive-dev-session=false", ...args],
    { cwd, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
  );
  let errors = "";
  wrangler.stderr.on("data", (chunk) => (errors = (errors + chunk).slice(-4000)));
  const stop = () => {
    signalGroup(wrangler);
    rmSync(state, { recursive: true, force: true });
  };
  cleanups.push(stop);
  try {
    await waitUntilReady(wrangler, base);
    await ready?.(base);
    process.stderr.write(`bench: ${name}: accepting ${MESSAGES}…\n`);

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
            const response = await send(base, n);
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
    process.stderr.write(`bench: ${name}: ${ids.length} accepted in ${acceptSeconds.toFixed(1)} s; draining…\n`);

    // Drain: until every accepted message arrived, or nothing new came for STALL_MS.
    let receipts = { accepted: 0, distinct: 0, busiestSecond: 0 };
    let lastChange = Date.now();
    while (receipts.accepted < ids.length && Date.now() - lastChange < STALL_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const current = await consumed(base);
      if (current.accepted !== receipts.accepted) lastChange = Date.now();
      receipts = current;
    }
    const drainSeconds = receipts.accepted > 1 ? (receipts.last - receipts.first) / 1000 : 0;
    return {
      accepted: ids.length,
      refused: refusals.length,
      firstRefusals: refusals.slice(0, 3),
      acceptP50Ms: at(0.5),
      acceptP99Ms: at(0.99),
      acceptPerSecond: ids.length / acceptSeconds,
      drained: receipts.accepted,
      drainPerSecond: drainSeconds ? receipts.accepted / drainSeconds : 0,
      busiestSecond: receipts.busiestSecond,
      lost: ids.length - receipts.distinct,
      duplicated: receipts.accepted - receipts.distinct,
      ...(after ? { states: await after(base, ids) } : {}),
    };
  } catch (error) {
    throw new Error(`${name}: ${error.message}\n${errors}`);
  } finally {
    stop();
  }
}

/** Every message's final state, as its caller sees it. */
async function finalStates(base, ids) {
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
  return states;
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}
