// `npm run bench`: what txgate costs next to a hand-written fetch and the peers a user would otherwise pick, measured
// in one run as ratios (absolute times on a shared machine say little), against the goals of issue 19. Figures are
// reported, not asserted: a goal is something to design toward, never a reason to drop a rule.
//
//   1. dist/ is built (scripts/build.mjs), packed with `npm pack` and installed into a scratch project with
//      `npm install`, as a user gets it; the peers (openapi-fetch, resend, postmark) are installed there too, each
//      skipped as "not installed" if npm cannot get it (bench/published.mjs).
//   2. Whole bundles: wrangler deploy --dry-run --minify, gzip -9 (bench/sizes.mjs).
//   3. CPU per send: one client per process, rounds in rotated order, against a hand-written fetch of the identical
//      request, client and mock vendor on separate cores (bench/send-cpu.mjs).
//   4. Cold import against bare node (bench/cold-import.mjs).
//   5. Act-On pacing, and the queued path beside its floor Worker (bench/queued-sends.mjs; BENCH_SKIP_QUEUED=1
//      leaves it out).
// About 8-10 minutes on two cores. `npm run bench:worker` (the synchronous worker under load) is separate.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { measureColdImport } from "./cold-import.mjs";
import { installPublished } from "./published.mjs";
import { measureSendCpu, PATHS, ROUNDS, SENDS, WARMUP } from "./send-cpu.mjs";
import { vendors } from "./send-cpu-cases.mjs";
import { measureSizes } from "./sizes.mjs";

const goals = { cpu: 1.1, coldImport: 1.5, queued: 2 };
const root = fileURLToPath(new URL("../", import.meta.url));
const log = (text) => process.stderr.write(`${text}\n`);
const started = Date.now();
const saved = fileURLToPath(new URL("./results/last.json", import.meta.url));

// `node bench/run.mjs --print`: the tables again from the last run's figures (bench/results/last.json).
if (process.argv[2] === "--print") {
  print(JSON.parse(readFileSync(saved, "utf8")));
  process.exit(0);
}

log("bench: building dist/ (scripts/build.mjs), packing it and installing the tarball and the peers into a scratch project…");
execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/build.mjs", import.meta.url))], { cwd: root, stdio: "ignore" });
const { dir, peers } = await installPublished();
try {
  log(`bench: peers ${JSON.stringify(peers)}`);
  log("bench: whole bundles (wrangler deploy --dry-run --minify)…");
  const sizes = await measureSizes({ dir, peers, log });
  log(`bench: CPU per send (${ROUNDS} rounds, one process per client)…`);
  const cpu = await measureSendCpu({ dir, peers, log });
  log("bench: cold import…");
  // Every benched vendor's entry (send-cpu-cases.mjs) and the entries a page or a test imports.
  const entries = [...Object.keys(vendors), "catalogue", "browser", "testing"];
  const installed = (name) => /^\d/.test(peers[name] ?? "");
  const cold = measureColdImport({
    dir,
    targets: {
      ...Object.fromEntries(entries.map((entry) => [`txgate/${entry}`, `txgate/${entry}`])),
      ...Object.fromEntries(["openapi-fetch", "resend", "postmark"].filter(installed).map((name) => [name, name])),
    },
  });
  let pacing;
  try {
    pacing = JSON.parse(
      execFileSync(process.execPath, ["--experimental-strip-types", "--no-warnings", fileURLToPath(new URL("./acton-pacing.ts", import.meta.url))], { cwd: root, encoding: "utf8" })
        .trim()
        .split("\n")
        .at(-1),
    );
  } catch (error) {
    pacing = { failed: String(error.message).split("\n")[0] };
  }
  let queued;
  if (process.env.BENCH_SKIP_QUEUED !== "1") {
    log("bench: the queued path, txgate beside its floor Worker (wrangler dev)…");
    try {
      const output = execFileSync(process.execPath, [fileURLToPath(new URL("./queued-sends.mjs", import.meta.url))], { cwd: root, encoding: "utf8", env: { ...process.env, BENCH_SUMMARY: "1" }, stdio: ["ignore", "pipe", "inherit"] });
      queued = { text: output.trim().split("\n").slice(0, -1).join("\n"), summary: JSON.parse(output.trim().split("\n").at(-1)) };
    } catch (error) {
      queued = { failed: String(error.stdout ?? error.message).trim().split("\n").slice(-3).join(" ") };
    }
  }
  const results = { sizes, cpu, cold, pacing, queued, peers, minutes: (Date.now() - started) / 60000 };
  mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
  writeFileSync(saved, JSON.stringify(results));
  print(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function print({ sizes, cpu, cold, pacing, queued, peers, minutes }) {
  const x = (ratio) => ratio.toFixed(2);
  const mark = (ok) => (ok ? "✓" : "✗");
  const spread = ({ median, min, max }) => `${x(median)} (${x(min)}–${x(max)})`;
  const bytes = (n) => `${n.toLocaleString("en-US")} B`;
  const size = (name) => {
    const row = sizes[name];
    if (!row || row.failed) return row?.failed ?? "—";
    return row.budget ? `${bytes(row.gzip)} ${mark(row.gzip <= row.budget)} ≤ ${bytes(row.budget)}` : bytes(row.gzip);
  };
  const cpuRow = (vendor, client) => cpu.rows.find((row) => row.vendor === vendor && row.client === client);
  const cpuCell = (vendor, client, goal = true) => {
    const row = cpuRow(vendor, client);
    return row ? `${spread(row.ratio)}${goal ? ` ${mark(row.ratio.median <= goals.cpu)}` : ""}` : "not measured";
  };
  const coldCell = (name, goal = true) => {
    const row = cold[name];
    if (!row) return "—";
    return row.failed ?? `${x(row.ratio)}${goal ? ` ${mark(row.ratio <= goals.coldImport)}` : ""}`;
  };
  const installed = (name) => /^\d/.test(peers[name] ?? "");
  const peerName = (name) => (/^\d/.test(peers[name] ?? "") ? `${name} ${peers[name]}` : `${name} (${peers[name]})`);

  const cpuModel = cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${cpus().length} × ${cpuModel}, Node ${process.versions.node}, the run took ${minutes.toFixed(1)} min`);
  console.log(`txgate as published (npm pack, installed with npm install: its libraries from node_modules), peers from npm. Clients and mock ${cpu.pinned ? "pinned to cores 0 and 1 (taskset)" : "NOT pinned (no taskset)"}.\n`);

  console.log(`| client | CPU per send, × hand-written fetch (goal ≤ ${goals.cpu}) | whole bundle, gzip | cold import, × bare node (goal ≤ ${goals.coldImport}) |`);
  console.log("|---|---|---|---|");
  console.log(`| hand-written fetch | 1.00 | ${size("plain fetch")} | 1.00 |`);
  for (const peer of ["openapi-fetch"]) {
    const cells = Object.keys(vendors).map((vendor) => `${vendor} ${cpuCell(vendor, "openapi-fetch", false)}`);
    console.log(`| ${peerName(peer)} (the identical request) | ${installed(peer) ? cells.join("; ") : "—"} | ${size(peer)} | ${coldCell(peer, false)} |`);
  }
  for (const peer of ["resend", "postmark"]) console.log(`| ${peerName(peer)} SDK | ${installed(peer) ? cpuCell(peer, "sdk", false) : "—"} | ${size(peer)} | ${coldCell(peer, false)} |`);
  for (const vendor of Object.keys(vendors)) {
    const sizeCell = vendor === "listmonk" ? PATHS.map((path) => size(`txgate/listmonk ${path}`)).join(" / ") : size(`txgate/${vendor} send`);
    console.log(`| txgate/${vendor} send / sendMessage / catalogue | ${PATHS.map((path) => cpuCell(vendor, path)).join(" / ")} | ${sizeCell} | ${coldCell(`txgate/${vendor}`)} |`);
  }
  console.log(`| txgate, all four vendors in one Worker | — | ${size("txgate, all four vendors")} | — |`);
  console.log(`| txgate/worker, all four vendors | — | ${size("txgate/worker, all four vendors")} | not importable by Node (cloudflare:workers) |`);
  console.log(`| txgate/worker, one vendor (listmonk, one action) | — | ${size("txgate/worker, listmonk, one action")} | — |`);
  console.log(`| txgate/browser | — | ${size("txgate/browser")} | ${coldCell("txgate/browser")} |`);
  for (const entry of ["catalogue", "testing"]) console.log(`| txgate/${entry} | — | — | ${coldCell(`txgate/${entry}`)} |`);

  console.log(
    `\nCPU: median (lowest–highest) over ${ROUNDS} rounds of the per-round ratio of a client's CPU µs per send to the hand-written fetch's, ` +
      `each a fresh process sending ${SENDS} times after ${WARMUP} warm-up to a mock vendor on 127.0.0.1, the order rotated each round. ` +
      `Hand-written fetch, median µs per send: ${Object.keys(vendors)
        .map((vendor) => `${vendor} ${Math.round(cpuRow(vendor, "send")?.baselineMicros ?? NaN)}`)
        .join(", ")}; ${["resend", "postmark"].filter(installed).map((peer) => `${peer} ${Math.round(cpuRow(peer, "sdk")?.baselineMicros ?? NaN)}`).join(", ")}.`,
  );
  const differing = Object.entries(cpu.differs).filter(([, paths]) => paths.length);
  console.log(
    differing.length
      ? `Paths whose request differs from send's (each against a hand-written fetch of its own request): ${differing.map(([vendor, paths]) => `${vendor} ${paths.join(", ")}`).join("; ")}.`
      : "send, sendMessage and the catalogue put the identical request on the wire for every vendor (checked), so one baseline serves the three.",
  );
  console.log("\n| client, µs per send (median) | txgate | hand-written fetch |");
  console.log("|---|---|---|");
  for (const row of cpu.rows) console.log(`| ${row.vendor} ${row.client} | ${row.micros.toFixed(0)} | ${row.baselineMicros.toFixed(0)} |`);
  console.log(
    `\nWhole bundles: a small Worker per row, bundled by wrangler deploy --dry-run --minify from the scratch project, every JavaScript file gzip -9; the browser client bundled for the browser by esbuild, minified. Minified bytes: ${Object.entries(sizes)
      .filter(([, row]) => !row.failed)
      .map(([name, row]) => `${name} ${row.minified.toLocaleString("en-US")}`)
      .join("; ")}.`,
  );
  console.log(`Cold import: median ms of fresh processes (bare node ${Math.round(Object.values(cold).find((row) => row.bareMs)?.bareMs ?? NaN)} ms): ${Object.entries(cold).map(([name, row]) => `${name} ${row.ms ? Math.round(row.ms) : row.failed}`).join(", ")}.`);
  console.log(`Act-On pacing, 10 s at the default 20 sends/s: ${JSON.stringify(pacing)}`);
  if (queued) console.log(`\n${queued.text ?? `Queued sends: failed (${queued.failed})`}`);
}
