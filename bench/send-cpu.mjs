// Client CPU time per send, each client as a ratio to a hand-written `fetch` of the identical request. One client
// per process: every (vendor, client) pair is a fresh Node process that sends WARMUP times, then SENDS times, and
// reports its own CPU time, so no client is charged for the garbage another one left (a process that runs several
// clients in turns charges each one's collections to whichever runs next). Each round runs every process once, in
// an order rotated from the round before; a ratio is taken within a round (client ÷ its baseline, same round) and
// the figure is the median of the rounds' ratios, with their lowest and highest. Clients run on core 0 and the mock
// vendor on core 1 (taskset; without it, unpinned, and the report says so). What is timed is txgate as a user gets
// it: the packed package, installed in the bench's scratch project (bench/published.mjs).
//
// The baseline's request is the one the client itself put on the wire, captured by the mock vendor before the
// rounds: same method, path, headers and body. A JSON body is built per send with JSON.stringify, as hand-written
// code would; ExpertSender's XML is sent as the text itself (so writing XML costs the baseline nothing).
import { execFile, spawn, spawnSync } from "node:child_process";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { peers as peerCases, vendors } from "./send-cpu-cases.mjs";

export const SENDS = Number(process.env.BENCH_SENDS ?? 2_000);
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const PATHS = ["send", "sendMessage", "catalogue"];
const run = promisify(execFile);

/** `taskset -c N` before a command when taskset is there and the machine has two cores; nothing otherwise. */
export function pinning() {
  const available = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  return available ? { client: ["taskset", "-c", "0"], mock: ["taskset", "-c", "1"], pinned: true } : { client: [], mock: [], pinned: false };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
export const summary = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/**
 * `dir`: the scratch project with txgate and the peers installed; `peers`: name → version or "not installed".
 * Returns `{ pinned, rows, requests }`: a row per client (`vendor`, `client`, `ratio` summary, `micros` median,
 * `baselineMicros` median), and per vendor whether its three paths sent the identical request.
 */
export async function measureSendCpu({ dir, peers, rounds = ROUNDS, log = () => {} }) {
  for (const file of ["send-cpu-client.mjs", "send-cpu-cases.mjs"]) await copyFile(fileURLToPath(new URL(file, import.meta.url)), join(dir, file));
  const pin = pinning();
  const [mockCommand, ...mockArgs] = [...pin.mock, process.execPath, fileURLToPath(new URL("./mock-vendor.mjs", import.meta.url))];
  const mock = spawn(mockCommand, mockArgs, { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      mock.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
      mock.once("exit", () => reject(new Error("the mock vendor exited")));
    });
    const child = async (args) => {
      const [command, ...rest] = [...pin.client, process.execPath, join(dir, "send-cpu-client.mjs"), JSON.stringify({ port, warmup: WARMUP, sends: SENDS, ...args })];
      const { stdout } = await run(command, rest, { cwd: dir, maxBuffer: 1 << 20, timeout: 300_000 });
      return JSON.parse(stdout.trim().split("\n").at(-1));
    };

    // What each client sends, and so what its baseline sends.
    const processes = [];
    const identical = {};
    for (const vendor of Object.keys(vendors)) {
      const requests = {};
      for (const path of PATHS) requests[path] = await child({ mode: "capture", client: path, vendor });
      const key = (request) => JSON.stringify(request);
      identical[vendor] = PATHS.filter((path) => key(requests[path]) !== key(requests.send));
      // A path whose request differs from `send`'s gets a baseline of its own.
      const baselines = new Map();
      for (const path of PATHS) {
        if (!baselines.has(key(requests[path]))) {
          const id = `${vendor}/fetch${baselines.size ? `-${path}` : ""}`;
          baselines.set(key(requests[path]), id);
          processes.push({ id, vendor, client: "fetch", args: { mode: "measure", client: "fetch", vendor, request: requests[path] } });
        }
        processes.push({ id: `${vendor}/${path}`, vendor, client: path, baseline: baselines.get(key(requests[path])), args: { mode: "measure", client: path, vendor } });
      }
      if (peers["openapi-fetch"] !== "not installed") {
        processes.push({ id: `${vendor}/openapi-fetch`, vendor, client: "openapi-fetch", baseline: `${vendor}/fetch`, args: { mode: "measure", client: "openapi-fetch", vendor, request: requests.send } });
      }
    }
    for (const peer of Object.keys(peerCases).filter((name) => peers[name] !== "not installed")) {
      try {
        const request = await child({ mode: "capture", client: "peer", vendor: peer });
        processes.push({ id: `${peer}/fetch`, vendor: peer, client: "fetch", args: { mode: "measure", client: "fetch", vendor: peer, request } });
        processes.push({ id: `${peer}/sdk`, vendor: peer, client: "sdk", baseline: `${peer}/fetch`, args: { mode: "measure", client: "peer", vendor: peer } });
      } catch (error) {
        peers[peer] = `not measured (${String(error.message).split("\n")[0]})`;
      }
    }

    // The rounds: every process once each, the order shifted by a fifth of the list (or so) each round.
    const samples = Object.fromEntries(processes.map(({ id }) => [id, []]));
    const shift = Math.max(1, Math.round(processes.length / rounds));
    for (let round = 0; round < rounds; round++) {
      const order = processes.map((_, i) => processes[(i + round * shift) % processes.length]);
      log(`  round ${round + 1}/${rounds}: ${order.length} processes, from ${order[0].id}`);
      for (const process_ of order) samples[process_.id][round] = (await child(process_.args)).micros;
    }

    const rows = processes
      .filter((process_) => process_.baseline)
      .map(({ id, vendor, client, baseline }) => ({
        vendor,
        client,
        ratio: summary(samples[id].map((micros, round) => micros / samples[baseline][round])),
        micros: median(samples[id]),
        baselineMicros: median(samples[baseline]),
        ownBaseline: baseline !== `${vendor}/fetch`,
      }));
    return { pinned: pin.pinned, rows, differs: identical };
  } finally {
    mock.stdin.end();
  }
}
