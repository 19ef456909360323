// Client CPU time per send against a local server, next to a bare `fetch` of the same request in the same
// run: what validation, openapi-fetch, the retry loop and outcome mapping cost on top of the HTTP call.
import { build } from "esbuild";
import { createServer } from "node:http";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SENDS = 2_000;
const WARMUP = 200;

/** Bundles a TypeScript entry so plain Node can import it. */
export async function importEntry(entry) {
  const result = await build({
    entryPoints: [new URL(`../src/${entry}/index.ts`, import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "error",
  });
  const file = join(await mkdtemp(join(tmpdir(), "txgate-bench-")), `${entry}.mjs`);
  await writeFile(file, result.outputFiles[0].contents);
  return import(file);
}

async function cpuPerCall(count, call) {
  for (let i = 0; i < WARMUP; i++) await call();
  const start = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < count; i++) await call();
  const used = process.cpuUsage(start);
  // The server runs in this process too: both measurements include its share, so the difference is the client's.
  return { cpuMicros: (used.user + used.system) / count, wallMs: (performance.now() - wall) / count };
}

export async function measureSendCpu() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"data":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const { createListmonkClient } = await importEntry("listmonk");
  const client = createListmonkClient({ baseUrl, username: "api_user", token: "bench-token" });
  const message = { subscriber_emails: ["ada@example.com"], template_id: 2, data: { order: "1234", items: [1, 2, 3] } };
  const authorization = `Basic ${btoa("api_user:bench-token")}`;

  const bare = await cpuPerCall(SENDS, async () => {
    const response = await fetch(`${baseUrl}/api/tx`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body: JSON.stringify(message),
    });
    await response.json();
  });
  const txgate = await cpuPerCall(SENDS, async () => {
    const outcome = await client.send(message);
    if (!outcome.ok) throw new Error(outcome.message);
  });
  server.close();
  return {
    sends: SENDS,
    bareFetchCpuMicros: Math.round(bare.cpuMicros),
    txgateCpuMicros: Math.round(txgate.cpuMicros),
    addedCpuMicros: Math.round(txgate.cpuMicros - bare.cpuMicros),
    bareFetchWallMs: +bare.wallMs.toFixed(3),
    txgateWallMs: +txgate.wallMs.toFixed(3),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureSendCpu()));
