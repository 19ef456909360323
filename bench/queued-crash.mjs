// `npm run bench:crash`: what survives a crash of the local worker, measured against an Act-On stand-in that
// lives outside it (this process, on 127.0.0.1), so its log survives every kill.
//
// Run 1, a crash: `wrangler dev` with persisted state (--persist-to a temporary directory) accepts BENCH_CRASH
// queued Act-On sends (default 300, `Prefer: respond-async`); once about a third have reached the stand-in, the
// whole wrangler process group is killed (SIGKILL) and started again on the same state. Local queues live in
// wrangler's memory, so every accepted id is then put on the queue again, as Cloudflare's durable queue would
// deliver it again. Reported: emails the stand-in got more than once (duplicated), messages that end `unknown`
// although the stand-in never got them (never sent, yet never retried), and whether every accepted message reached
// a final state (sent, failed, unknown).
//
// Run 2, restarts of the account object: BENCH_CRASH more queued sends; while they drain, the Act-On account's
// Durable Object is restarted (ctx.abort) three times. Reported: the most emails the stand-in got in any
// 1-second window (goal: at most Act-On's 20).
//
// The worker runs from a copy of BENCH_REF (default HEAD) with a bench-only entry around it that adds two
// loopback routes, /__bench/requeue and /__bench/restart-account; the worker itself has neither. Bounded by
// BENCH_CRASH_TIMEOUT_S (default 600). BENCH_DEBUG=1 also prints run 2's arrival times and a tally of its messages'
// history entries. Only 127.0.0.1 is contacted.
import { execFileSync, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signalGroup, waitUntilReady } from "./wrangler-dev.mjs";

const MESSAGES = Number(process.env.BENCH_CRASH ?? 300);
const TIMEOUT_MS = Number(process.env.BENCH_CRASH_TIMEOUT_S ?? 600) * 1000;
const REF = process.env.BENCH_REF ?? "HEAD";
/** A run's drain is over when every message is final, or nothing changed for this long. */
const STALL_MS = 45_000;
const ACTON_CAP = 20;
const FINAL = new Set(["sent", "failed", "unknown"]);
const root = fileURLToPath(new URL("../", import.meta.url));
const callerKey = `bench-${crypto.randomUUID()}`;
const ACCOUNT_ID = "bench";

// --- The Act-On stand-in, in a process of its own so its clock is not held up by this one's work: tokens on
// demand, every email answered after a short delay and logged (its externalId, and when its request arrived).
const VENDOR = `
import { createServer } from "node:http";
const arrivals = [];
let tokens = 0;
const server = createServer((request, response) => {
  const at = Date.now();
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const path = new URL(request.url, "http://x").pathname;
    const answer = (status, body) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      response.end(text);
    };
    if (path === "/__arrivals") return answer(200, arrivals);
    if (path === "/token") {
      tokens++;
      return answer(200, { access_token: "at-" + tokens, refresh_token: "rt-" + tokens, scope: "PRODUCTION", token_type: "Bearer", expires_in: 3600 });
    }
    if (!path.startsWith("/ete/v1/email/")) return answer(404, { message: "not found" });
    let externalId = "";
    try {
      externalId = JSON.parse(Buffer.concat(chunks).toString("utf8"))?.metadata?.externalId ?? "";
    } catch {}
    arrivals.push({ externalId, at });
    // An answer that takes a moment, as a real one does: a kill can then fall between a send and its answer.
    setTimeout(() => answer(200, { success: true, message: "Email Sent Successfully" }), 30);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
`;
const vendor = spawn(process.execPath, ["--input-type=module", "-e", VENDOR], { stdio: ["pipe", "pipe", "inherit"] });
const vendorPort = await new Promise((resolve, reject) => {
  vendor.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
  vendor.once("exit", () => reject(new Error("the Act-On stand-in did not start")));
});
/** Every email that reached the stand-in so far. */
let arrivals = [];
const readArrivals = async () => (arrivals = await (await fetch(`http://127.0.0.1:${vendorPort}/__arrivals`)).json());

// --- The worker: a copy of REF, a bench-only entry around its worker, wrangler dev on persisted state. ---
const copy = mkdtempSync(join(tmpdir(), "txgate-crash-bench-"));
execSync(`git archive ${REF} | tar -x -C "${copy}"`, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
try {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, stdio: "ignore" });
} catch {
  // The declarations may fail to type-check; the bundles are written first, and wrangler says if one is missing.
}
writeFileSync(
  join(copy, "bench-crash-entry.ts"),
  `// Written by bench/queued-crash.mjs: the repo's worker, plus two routes the bench needs and the worker lacks.
import worker from "./worker/index.ts";
import { VendorAccount as RepoVendorAccount } from "./src/worker/index.ts";
export { IdempotencyLedgerObject, MessageIndexObject, MessageObject } from "./src/worker/index.ts";

export class VendorAccountObject extends RepoVendorAccount {
  /** Ends this instance: in-memory state is lost, storage stays, as when Cloudflare restarts an object. */
  restartForBench(): void {
    this.ctx.abort("bench: account object restarted");
  }
}
// Under both names: a ref from before the rename binds VendorAccount in its wrangler.toml.
export { VendorAccountObject as VendorAccount };

export default {
  async fetch(request: Request, env: any, ctx: unknown): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/requeue") {
      const ids: string[] = await request.json();
      for (let from = 0; from < ids.length; from += 100) {
        await env.DELIVERY_QUEUE.sendBatch(ids.slice(from, from + 100).map((id) => ({ body: { id }, contentType: "json" })));
      }
      return new Response(null, { status: 204 });
    }
    if (pathname === "/__bench/restart-account") {
      const name = await request.text();
      await env.VENDOR_ACCOUNTS.get(env.VENDOR_ACCOUNTS.idFromName(name)).restartForBench().catch(() => undefined);
      return new Response(null, { status: 204 });
    }
    return (worker.fetch as any)(request, env, ctx);
  },
  queue: (batch: unknown, env: unknown, ctx: unknown) => (worker.queue as any)(batch, env, ctx),
};
`,
);
const state = mkdtempSync(join(tmpdir(), "txgate-crash-bench-state-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const vendorUrl = `http://127.0.0.1:${vendorPort}`;
const accountObject = `acton:${ACCOUNT_ID} ${vendorUrl}`;

let wrangler;
let wranglerErrors = "";
function startWrangler() {
  wrangler = spawn(
    join(root, "node_modules/.bin/wrangler"),
    [
      "dev",
      "bench-crash-entry.ts",
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--persist-to", state,
      "--show-interactive-dev-session=false",
      "--var", `CALLER_KEYS:${JSON.stringify([{ id: "bench", key: callerKey, vendors: ["acton"] }])}`,
      "--var", `ACTON_ACCOUNT_ID:${ACCOUNT_ID}`,
      "--var", "ACTON_USERNAME:bench@example.com",
      "--var", "ACTON_PASSWORD:bench-password",
      "--var", "ACTON_CLIENT_ID:bench-client",
      "--var", "ACTON_CLIENT_SECRET:bench-client-secret",
      "--var", `ACTON_BASE_URL:${vendorUrl}`,
      // Retries after a crash come back within the run, not after the default 5 s, 10 s, 20 s…
      "--var", "QUEUE_RETRY_SECONDS:1",
    ],
    { cwd: copy, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" } },
  );
  wrangler.stderr.on("data", (chunk) => (wranglerErrors = (wranglerErrors + chunk).slice(-4000)));
}
const stop = () => {
  signalGroup(wrangler, "SIGKILL");
  vendor.stdin.end();
  rmSync(copy, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
};
process.on("exit", stop);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
const timer = setTimeout(() => {
  console.error(`bench: over ${TIMEOUT_MS / 1000} s, stopping`);
  process.exit(1);
}, TIMEOUT_MS);

try {
  startWrangler();
  await waitUntilReady(wrangler, base);

  // Run 1: a crash mid-drain.
  const crash = await accept(MESSAGES, "C");
  console.error(`bench: run 1: ${crash.ids.length} accepted; waiting for a third to arrive, then killing wrangler`);
  await until(() => received(crash).size >= MESSAGES / 3, 120_000);
  signalGroup(wrangler, "SIGKILL");
  const atKill = received(crash).size;
  await new Promise((resolve) => wrangler.once("exit", resolve));
  startWrangler();
  await waitUntilReady(wrangler, base);
  await requeue(crash.ids);
  const crashStates = await drain(crash);
  await readArrivals();
  const crashFigures = figures(crash, crashStates);

  // Run 2: the account object restarted three times mid-drain.
  const restarts = await accept(MESSAGES, "R");
  console.error(`bench: run 2: ${restarts.ids.length} accepted; restarting the account object mid-drain`);
  await until(() => received(restarts).size >= 40, 120_000);
  const restartedAt = [];
  for (let n = 0; n < 3; n++) {
    restartedAt.push(Date.now());
    await fetch(`${base}/__bench/restart-account`, { method: "POST", body: accountObject });
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const restartStates = await drain(restarts);
  await readArrivals();
  const restartFigures = figures(restarts, restartStates);
  if (process.env.BENCH_DEBUG) {
    const mine = arrivals.filter((arrival) => arrival.externalId.startsWith("R-")).map((arrival) => arrival.at).sort((x, y) => x - y);
    console.error("restarts at", restartedAt.map((at) => at - mine[0]), "arrivals", mine.map((at) => at - mine[0]).join(" "));
    const notes = new Map();
    for (const id of restarts.ids) {
      const view = await (await fetch(`${base}/v1/messages/${id}`, { headers: { authorization: `Bearer ${callerKey}` } })).json();
      for (const entry of view.history ?? []) {
        const key = `${entry.state} ${entry.outcome?.kind ?? ""} ${entry.outcome?.message ?? entry.note ?? ""}`.slice(0, 200);
        notes.set(key, (notes.get(key) ?? 0) + 1);
      }
    }
    console.error("history", JSON.stringify([...notes], null, 1));
  }

  console.log(`Crash run (wrangler dev --persist-to, killed with SIGKILL mid-drain, restarted, every accepted id queued again): ${MESSAGES} Act-On sends`);
  console.log(`  accepted ${crash.ids.length}; ${atKill} had reached Act-On when wrangler was killed`);
  report(crashFigures);
  console.log(`Account-object restarts (3 × ctx.abort() mid-drain): ${MESSAGES} Act-On sends`);
  report(restartFigures);
  if (process.env.BENCH_SUMMARY) console.log(JSON.stringify({ crash: { ...crashFigures, atKill }, restarts: restartFigures }));
  const ok = (f) => f.duplicated === 0 && f.neverSentUnknown === 0 && f.allFinal && f.busiestSecond <= ACTON_CAP;
  if (!ok(crashFigures) || !ok(restartFigures)) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error.message}\n${wranglerErrors}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  stop();
}

/** Accepts `count` queued sends whose externalIds start with `prefix`; the ids and each one's externalId. */
async function accept(count, prefix) {
  const ids = [];
  const externalIdOf = new Map();
  const refusals = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const n = next++;
        const externalId = `${prefix}-${n}`;
        const response = await fetch(`${base}/v1/send/acton`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${callerKey}`, prefer: "respond-async" },
          body: JSON.stringify({
            templateId: "t-0099",
            envelope: { toAddress: `customer-${n}@example.com` },
            content: { personalizationDataMap: { orderNumber: externalId } },
            metadata: { transactional: true, externalId },
            actions: { trackOpens: false, trackClicks: false },
          }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = await response.json().catch(() => ({}));
        if (response.status === 202 && typeof body.id === "string") {
          ids.push(body.id);
          externalIdOf.set(body.id, externalId);
        } else refusals.push(`${response.status} ${JSON.stringify(body).slice(0, 160)}`);
      }
    }),
  );
  if (refusals.length) throw new Error(`${refusals.length} sends refused, first: ${refusals[0]}`);
  return { prefix, ids, externalIdOf };
}

/** The externalIds of this run the stand-in got, each once. */
function received(run) {
  return new Set(arrivals.filter((arrival) => arrival.externalId.startsWith(`${run.prefix}-`)).map((arrival) => arrival.externalId));
}

/** Puts `ids` on the queue again, as Cloudflare's queue delivers again what it had not seen acked. */
async function requeue(ids) {
  const response = await fetch(`${base}/__bench/requeue`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ids) });
  if (response.status !== 204) throw new Error(`requeue answered ${response.status}`);
}

/** Every message's state, once all are final or nothing changed for STALL_MS. */
async function drain(run) {
  let states = new Map();
  let signature = "";
  let lastChange = Date.now();
  for (;;) {
    states = await readStates(run.ids);
    await readArrivals();
    const now = `${arrivals.length} ${[...states.values()].sort().join()}`;
    if (now !== signature) {
      signature = now;
      lastChange = Date.now();
    }
    if ([...states.values()].every((state) => FINAL.has(state)) || Date.now() - lastChange > STALL_MS) return states;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function readStates(ids) {
  const states = new Map();
  let asked = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (asked < ids.length) {
        const id = ids[asked++];
        const response = await fetch(`${base}/v1/messages/${id}`, { headers: { authorization: `Bearer ${callerKey}` } }).catch(() => undefined);
        const view = response ? await response.json().catch(() => ({})) : {};
        states.set(id, response?.status === 200 ? view.state : `HTTP ${response?.status ?? "none"}`);
      }
    }),
  );
  return states;
}

function figures(run, states) {
  const mine = arrivals.filter((arrival) => arrival.externalId.startsWith(`${run.prefix}-`));
  const times = new Map();
  for (const { externalId } of mine) times.set(externalId, (times.get(externalId) ?? 0) + 1);
  const counts = {};
  for (const state of states.values()) counts[state] = (counts[state] ?? 0) + 1;
  const neverSentUnknown = run.ids.filter((id) => states.get(id) === "unknown" && !times.has(run.externalIdOf.get(id))).length;
  return {
    accepted: run.ids.length,
    received: times.size,
    duplicated: [...times.values()].reduce((sum, n) => sum + n - 1, 0),
    lost: run.ids.filter((id) => states.get(id) === "sent" && !times.has(run.externalIdOf.get(id))).length,
    neverSentUnknown,
    allFinal: [...states.values()].every((state) => FINAL.has(state)),
    states: counts,
    busiestSecond: busiestSecond(mine.map((arrival) => arrival.at)),
  };
}

function report(f) {
  console.log(`  reached Act-On ${f.received} of ${f.accepted}; duplicated ${f.duplicated} (goal 0) ${f.duplicated === 0 ? "✓" : "✗"}`);
  console.log(`  never sent yet \`unknown\` ${f.neverSentUnknown} (goal 0) ${f.neverSentUnknown === 0 ? "✓" : "✗"}; every accepted message final: ${f.allFinal ? "yes ✓" : "no ✗"}; states ${JSON.stringify(f.states)}`);
  console.log(`  Act-On pacing: at most ${f.busiestSecond} emails in any 1-second window (cap ${ACTON_CAP}) ${f.busiestSecond <= ACTON_CAP ? "✓" : "✗"}`);
}

/** The most of `times` within any 1-second window [t, t + 1000). */
function busiestSecond(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  while ((await readArrivals(), !condition())) {
    if (Date.now() > deadline) throw new Error("the drain did not start in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

