// `npm run bench:batch` (issue 21): figures, not a test; only 127.0.0.1 is contacted, and it ends by itself.
//
// 1. Batch: one 1,000-message `sendMany` (concurrency 8) against 1,000 single `send`s, one after another and 8 at a
//    time (a Promise.all with a limit of 8, the same concurrency as sendMany's), through the listmonk client to the
//    loopback mock vendor (bench/mock-vendor.mjs, a process of its own). Each measurement is a fresh Node process
//    with one client (warmed up with 200 sends the same way), the three ways' order rotated every round, ROUNDS
//    rounds; wall time and CPU time (user + system of the client's process) as medians with their lowest and highest.
// 2. Schedule: how late scheduled messages go out under `wrangler dev` (sandbox mode, miniflare's Queues and
//    Durable Objects, a temporary --persist-to): SCHEDULED messages sent with `Send-At` a few seconds ahead and
//    `Prefer: respond-async`, each polled with GET /v1/messages/{id} until it is sent; lateness is the time its
//    history says it was sent minus its sendAt, at p50 and p99.
//
// `npm run bench:batch -- batch` or `… -- schedule` runs one part (through npm: wrangler needs the Node of
// node_modules/.bin, not an older one on the PATH).
import { build } from "esbuild";
import { execFileSync, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signalGroup, waitUntilReady } from "./wrangler-dev.mjs";

const MESSAGES = 1_000;
const WARMUP = 200;
const CONCURRENCY = 8;
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);
const SCHEDULED = Number(process.env.BENCH_SCHEDULED ?? 50);
/** How far ahead the first message is scheduled: long enough for all of them to be accepted before it is due. */
const AHEAD_MS = Number(process.env.BENCH_SCHEDULE_AHEAD_MS ?? 8_000);
const TIMEOUT_MS = Number(process.env.BENCH_BATCH_TIMEOUT_S ?? 600) * 1000;
const root = fileURLToPath(new URL("../", import.meta.url));
const message = (n) => ({ subscriber_emails: [`customer-${n}@example.com`], template_id: 2, data: { order: `F-${n}` } });

const ways = {
  async sendMany(client, count) {
    const results = await client.sendMany(Array.from({ length: count }, (_, n) => ({ message: message(n) })), { concurrency: CONCURRENCY });
    return results.filter((result) => result.outcome.ok).length;
  },
  async sequential(client, count) {
    let ok = 0;
    for (let n = 0; n < count; n++) if ((await client.send(message(n))).ok) ok++;
    return ok;
  },
  async limitedParallel(client, count) {
    let ok = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) if ((await client.send(message(next++))).ok) ok++;
      }),
    );
    return ok;
  },
};

/** One measurement in this (fresh) process: warm up, then MESSAGES sends one way. */
async function measureOnce(way, port, bundle) {
  const { createListmonkClient } = await import(bundle);
  const client = createListmonkClient({ baseUrl: `http://127.0.0.1:${port}`, username: "api_user", token: "bench-token" });
  if ((await ways[way](client, WARMUP)) !== WARMUP) throw new Error(`${way}: a warm-up send failed`);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const ok = await ways[way](client, MESSAGES);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (ok !== MESSAGES) throw new Error(`${way}: ${MESSAGES - ok} sends failed`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function benchBatch() {
  const result = await build({ entryPoints: [join(root, "src/listmonk/index.ts")], bundle: true, format: "esm", platform: "node", write: false, logLevel: "error" });
  const dir = mkdtempSync(join(tmpdir(), "txgate-batch-bench-"));
  const bundle = join(dir, "listmonk.mjs");
  writeFileSync(bundle, result.outputFiles[0].contents);
  const server = spawn(process.execPath, [join(root, "bench/mock-vendor.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
      server.once("exit", () => reject(new Error("the mock vendor exited")));
    });
    const names = Object.keys(ways);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated, so no way always runs first (or last) on a machine whose load drifts.
      for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
        const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--once", name, String(port), bundle], { encoding: "utf8", timeout: 120_000 });
        samples[name].push(JSON.parse(output.trim().split("\n").at(-1)));
      }
    }
    const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
    const summary = Object.fromEntries(names.map((name) => [name, { wallMs: spread(samples[name].map((s) => s.wallMs)), cpuMs: spread(samples[name].map((s) => s.cpuMs)) }]));
    console.log(`Batch: ${MESSAGES} listmonk messages to the loopback mock vendor, ${ROUNDS} rounds, a fresh process each (median [lowest–highest])`);
    const cell = ({ median: m, min, max }) => `${m.toFixed(0)} ms [${min.toFixed(0)}–${max.toFixed(0)}]`;
    for (const name of names) {
      const label = { sendMany: `sendMany, concurrency ${CONCURRENCY}`, sequential: "1,000 send(), one at a time", limitedParallel: `1,000 send(), ${CONCURRENCY} at a time` }[name];
      console.log(`  ${label.padEnd(30)} wall ${cell(summary[name].wallMs).padEnd(22)} CPU ${cell(summary[name].cpuMs)}`);
    }
    if (process.env.BENCH_SUMMARY) console.log(JSON.stringify(summary));
  } finally {
    server.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchSchedule() {
  // The worker runs from a copy of the last commit: `wrangler dev` reloads on every change to the files it built
  // from, which would drop the scheduled messages' state, and the working tree may be mid-edit.
  const copy = mkdtempSync(join(tmpdir(), "txgate-schedule-bench-"));
  const state = mkdtempSync(join(tmpdir(), "txgate-schedule-bench-state-"));
  execSync(`git archive HEAD | tar -x -C "${copy}"`, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  try {
    // The demo page imports the built browser client as text (wrangler.toml's rule).
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, stdio: "ignore" });
  } catch {
    // The bundles are written before the declarations are checked; wrangler says if one is missing.
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wrangler = spawn(
    join(root, "node_modules/.bin/wrangler"),
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--show-interactive-dev-session=false", "--var", "SANDBOX:true"],
    { cwd: copy, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
  );
  let wranglerErrors = "";
  wrangler.stderr.on("data", (chunk) => (wranglerErrors = (wranglerErrors + chunk).slice(-4000)));
  const stop = () => {
    signalGroup(wrangler);
    rmSync(copy, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  };
  process.on("exit", stop);
  const headers = { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" };
  try {
    await waitUntilReady(wrangler, base);
    if ((await fetch(`${base}/sandbox/receipts`, { method: "POST" })).status !== 201) {
      throw new Error("the local worker is not in sandbox mode (vendor credentials in .dev.vars?); refusing to send to it");
    }
    // Spread over a second, as real reminders are not all due at one instant.
    const first = Date.now() + AHEAD_MS;
    const scheduled = [];
    for (let n = 0; n < SCHEDULED; n++) {
      const sendAt = new Date(first + Math.floor((n * 1000) / SCHEDULED)).toISOString();
      const response = await fetch(`${base}/v1/send/listmonk`, {
        method: "POST",
        headers: { ...headers, prefer: "respond-async", "send-at": sendAt },
        body: JSON.stringify(message(n)),
        signal: AbortSignal.timeout(30_000),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 202 || body.state !== "scheduled") throw new Error(`scheduling refused: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      scheduled.push({ id: body.id, sendAt: Date.parse(body.sendAt) });
    }
    const acceptedBy = Date.now();
    if (acceptedBy > first) console.error(`bench: scheduling took longer than ${AHEAD_MS} ms; the first messages were due before all were accepted`);

    const early = [];
    const lateness = [];
    const pending = new Set(scheduled);
    const deadline = Date.now() + 120_000 + AHEAD_MS;
    while (pending.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const entry of [...pending]) {
        const view = await (await fetch(`${base}/v1/messages/${entry.id}`, { headers })).json();
        if (view.state === "scheduled" || view.state === "queued" || view.state === "sending") continue;
        pending.delete(entry);
        if (view.state !== "sent") throw new Error(`message ${entry.id} ended ${view.state}`);
        const sentAt = Date.parse(view.history.findLast((step) => step.state === "sent").at);
        const startedAt = Date.parse(view.history.findLast((step) => step.state === "sending").at);
        if (startedAt < entry.sendAt) early.push(entry.id);
        lateness.push(sentAt - entry.sendAt);
      }
    }
    if (pending.size) throw new Error(`${pending.size} scheduled messages were not sent within 2 minutes of their time`);
    const receipts = await (await fetch(`${base}/sandbox/receipts`)).json();
    const received = receipts.vendors?.listmonk ?? { accepted: 0, distinct: 0 };
    lateness.sort((a, b) => a - b);
    const at = (q) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))];
    const summary = { scheduled: SCHEDULED, aheadMs: AHEAD_MS, lateP50Ms: at(0.5), lateP99Ms: at(0.99), lateMaxMs: lateness.at(-1), early: early.length, received: received.accepted, distinct: received.distinct };
    console.log(`Scheduled sends (wrangler dev on 127.0.0.1, sandbox listmonk): ${SCHEDULED} messages with Send-At ${AHEAD_MS / 1000}–${AHEAD_MS / 1000 + 1} s ahead`);
    console.log(`  sent after their time by p50 ${summary.lateP50Ms} ms, p99 ${summary.lateP99Ms} ms (max ${summary.lateMaxMs} ms); started before their time: ${early.length}`);
    console.log(`  the sandbox received ${received.accepted} (${received.distinct} distinct) for ${SCHEDULED} scheduled`);
    if (process.env.BENCH_SUMMARY) console.log(JSON.stringify(summary));
    if (early.length || received.accepted !== SCHEDULED || received.distinct !== SCHEDULED) process.exitCode = 1;
  } catch (error) {
    console.error(`schedule bench failed: ${error.message}\n${wranglerErrors}`);
    process.exitCode = 1;
  } finally {
    stop();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (process.argv[2] === "--once") {
  console.log(JSON.stringify(await measureOnce(process.argv[3], Number(process.argv[4]), process.argv[5])));
} else {
  const timer = setTimeout(() => {
    console.error(`bench: over ${TIMEOUT_MS / 1000} s, stopping`);
    process.exit(1);
  }, TIMEOUT_MS);
  const part = process.argv[2];
  if (part !== "schedule") await benchBatch();
  if (part !== "batch") await benchSchedule();
  clearTimeout(timer);
}
