// Client CPU time per send, as a ratio to a plain `fetch` of the same request in the same process: each vendor's
// txgate client, openapi-fetch alone and a plain fetch send the identical request (captured from txgate's own
// first send) to a mock vendor on 127.0.0.1 that runs in a process of its own. Every round is a fresh Node
// process per vendor: 300 warm-up sends each, then 2,000 sends each, measured in interleaved chunks so a busy
// moment on a shared machine lands on all three alike. The ratio is the median over the rounds.
import { build } from "esbuild";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SENDS = 2_000;
export const WARMUP = 300;
export const ROUNDS = 5;
const CHUNK = 100;

const acton = { username: "ops@example.com", password: "bench-password", clientId: "bench-client", clientSecret: "bench-secret" };
/** Each vendor's client and a typical message for it. Act-On's pacing rate is set above what the bench reaches. */
export const vendors = {
  listmonk: {
    create: (entry, baseUrl, fetch) => entry.createListmonkClient({ baseUrl, username: "api_user", token: "bench-token", fetch }),
    message: { subscriber_emails: ["ada@example.com"], template_id: 2, data: { order: "1234", items: [1, 2, 3] } },
  },
  acton: {
    create: (entry, baseUrl, fetch) =>
      entry.createActOnClient({ baseUrl, accountId: "1234567", credentials: acton, ratePerSecond: 1_000_000, fetch }),
    message: {
      templateId: "t-0099",
      envelope: { toAddress: "jane.doe@example.com" },
      content: { personalizationDataMap: { orderNumber: "3423423-234234" } },
      metadata: { transactional: true, externalId: "3423423-234234" },
      actions: { trackOpens: false, trackClicks: false },
    },
  },
  everlytic: {
    create: (entry, baseUrl, fetch) => entry.createEverlyticClient({ baseUrl, username: "acme", apiKey: "bench-api-key", fetch }),
    message: {
      body: { html: "<h1>Your order has shipped</h1>" },
      headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com", name: "Joe" }] },
    },
  },
  expertsender: {
    create: (entry, baseUrl, fetch) => entry.createExpertSenderClient({ baseUrl, apiKey: "bench-api-key", fetch }),
    message: { transactionalId: 123, Receiver: { Email: "patrick@example.com" }, Snippets: [{ Name: "helloMessage", Value: "<b>Hello Patrick!</b>" }] },
  },
};

/** Bundles an entry's TypeScript source so plain Node can import it; returns the file's path. */
export async function bundleEntry(entry) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../src/${entry}/index.ts`, import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "error",
  });
  const file = join(await mkdtemp(join(tmpdir(), "txgate-bench-")), `${entry}.mjs`);
  await writeFile(file, result.outputFiles[0].contents);
  return file;
}

/** One round for one vendor, inside a fresh process: CPU µs per send for each client. */
async function round(vendorName, port, bundle) {
  const vendor = vendors[vendorName];
  const entry = await import(bundle);
  const { default: createClient } = await import("openapi-fetch");
  const baseUrl = `http://127.0.0.1:${port}`;

  // txgate's own request, as it leaves: the other two send exactly this.
  let captured;
  const capturing = vendor.create(entry, baseUrl, async (request) => {
    if (!request.url.endsWith("/token")) {
      captured = { url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body: await request.clone().text() };
    }
    return fetch(request);
  });
  const first = await capturing.send(vendor.message);
  if (!first.ok) throw new Error(`${vendorName}: ${first.message}`);
  const { url, method, headers, body } = captured;
  const path = new URL(url).pathname;
  const readsJson = vendorName !== "expertsender";

  const client = vendor.create(entry, baseUrl);
  const openapi = createClient({ baseUrl });
  const contenders = {
    plainFetch: async () => {
      const response = await fetch(url, { method, headers, body });
      const text = await response.text();
      if (readsJson) JSON.parse(text);
    },
    openapiFetch: async () => {
      const { response } = await openapi.POST(path, { body, bodySerializer: (text) => text, headers, parseAs: readsJson ? "json" : "text" });
      if (!response.ok) throw new Error(`openapi-fetch: ${response.status}`);
    },
    txgate: async () => {
      const outcome = await client.send(vendor.message);
      if (!outcome.ok) throw new Error(`${vendorName}: ${outcome.message}`);
    },
  };
  for (const send of Object.values(contenders)) for (let i = 0; i < WARMUP; i++) await send();
  const micros = Object.fromEntries(Object.keys(contenders).map((name) => [name, 0]));
  for (let done = 0; done < SENDS; done += CHUNK) {
    for (const [name, send] of Object.entries(contenders)) {
      const start = process.cpuUsage();
      for (let i = 0; i < CHUNK; i++) await send();
      const used = process.cpuUsage(start);
      micros[name] += used.user + used.system;
    }
  }
  return Object.fromEntries(Object.entries(micros).map(([name, total]) => [name, total / SENDS]));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Every vendor, `rounds` fresh processes each. Per vendor: the median, lowest and highest ratio to plain fetch of
 * txgate and of openapi-fetch, and the median µs of plain fetch (to read the ratios against).
 */
export async function measureSendCpu({ rounds = ROUNDS } = {}) {
  const server = spawn(process.execPath, [fileURLToPath(new URL("./mock-vendor.mjs", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
      server.once("exit", () => reject(new Error("the mock vendor exited")));
    });
    const results = {};
    for (const name of Object.keys(vendors)) {
      const bundle = await bundleEntry(name);
      const samples = [];
      for (let n = 0; n < rounds; n++) {
        const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--round", name, String(port), bundle], { encoding: "utf8" });
        samples.push(JSON.parse(output.trim().split("\n").at(-1)));
      }
      const ratios = (name) => samples.map((sample) => sample[name] / sample.plainFetch);
      const summary = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
      results[name] = { txgate: summary(ratios("txgate")), openapiFetch: summary(ratios("openapiFetch")), plainFetchMicros: median(samples.map((s) => s.plainFetch)), samples };
    }
    return results;
  } finally {
    server.stdin.end();
  }
}

if (process.argv[2] === "--round") {
  console.log(JSON.stringify(await round(process.argv[3], Number(process.argv[4]), process.argv[5])));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureSendCpu(), null, 1));
}
