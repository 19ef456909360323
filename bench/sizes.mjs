// Whole bundles, as wrangler ships them: a small Worker per case, written into the bench's scratch project (where
// txgate is installed from its packed tarball and the peers from npm), bundled by `wrangler deploy --dry-run
// --minify --outdir`, and every JavaScript file wrangler wrote gzipped together (gzip -9). wrangler does not split
// a Worker: what a send loads lazily (a converter, the XML reader) ships all the same. The browser client is a
// page's code, not a Worker: it is bundled by esbuild for the browser, minified, the way a page's bundler would.
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { vendors } from "./send-cpu-cases.mjs";

const run = promisify(execFile);

// The registry names each vendor's entry, client factory and descriptor; the bench's cases (send-cpu-cases.mjs)
// give what each sends. (TypeScript source: `npm run bench` runs this repo's Node 24, which strips types.)
const { VENDOR_LIST } = await import("../src/vendors/registry.ts");
/** Each benched vendor's registry entry: its factory and the name its entry exports its descriptor under. */
const registered = Object.fromEntries(
  await Promise.all(
    VENDOR_LIST.filter(({ name }) => name in vendors).map(async (descriptor) => {
      const entry = await import(`../${descriptor.entry.source}`);
      const exported = Object.keys(entry).find((name) => entry[name] === descriptor);
      return [descriptor.name, { factory: descriptor.entry.factory, descriptor: exported }];
    }),
  ),
);
const root = fileURLToPath(new URL("../", import.meta.url));

export const budgets = { json: 10_000, expertsender: 30_000, browser: 1_500, workerAll: 55_000, workerOne: 30_000 };

/** A Worker whose `fetch` sends the request's JSON with `send` (one client, built from env on each request). */
const vendorWorker = (vendor, call = "send") => {
  const { entry } = vendors[vendor];
  const { factory } = registered[vendor];
  return `import { ${factory} } from "${entry}";
export default { async fetch(request, env) { const client = ${factory}(env.SETTINGS); return Response.json(await client.${call}(await request.json())); } };`;
};

const CATALOGUE_WORKER = `import * as v from "valibot";
import { createMailer, defineCatalogue } from "txgate/catalogue";
import { createListmonkClient } from "txgate/listmonk";
const catalogue = defineCatalogue({ shipped: { variables: v.object({ order: v.string() }), via: [{ vendor: "listmonk", template: 2 }] } });
export default { async fetch(request, env) {
  const mail = createMailer(catalogue, { listmonk: createListmonkClient(env.SETTINGS) });
  return Response.json(await mail.send("shipped", await request.json()));
} };`;

const ALL_VENDORS_WORKER = `${Object.keys(registered)
  .sort()
  .map((vendor) => `import { ${registered[vendor].factory} } from "${vendors[vendor].entry}";`)
  .join("\n")}
const factories = { ${Object.keys(registered)
  .sort()
  .map((vendor) => `${vendor}: ${registered[vendor].factory}`)
  .join(", ")} };
export default { async fetch(request, env) {
  const vendor = new URL(request.url).pathname.slice(1);
  const client = factories[vendor](env[vendor]);
  return Response.json(await client.send(await request.json()));
} };`;

/** txgate/worker as a deployment writes it: its actions, the factory, the Durable Object classes re-exported. */
const DESCRIPTORS = Object.fromEntries(Object.entries(registered).map(([vendor, { descriptor }]) => [vendor, descriptor]));
const txgateWorker = (routes) => `import * as v from "valibot";
import { createTxgateWorker, defineActions, defineCatalogue, line } from "txgate/worker";
${[...new Set(routes.map(([vendor]) => vendor))].map((vendor) => `import { ${DESCRIPTORS[vendor]} } from "txgate/${vendor}";`).join("\n")}
const catalogue = defineCatalogue({
${routes.map(([vendor, template], i) => `  t${i}: { variables: v.strictObject({ name: line(100) }), via: [{ vendor: "${vendor}", template: ${JSON.stringify(template)} }] },`).join("\n")}
});
const actions = defineActions(catalogue, {
${routes.map((_, i) => `  "action-${i}": { template: "t${i}", auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] } },`).join("\n")}
});
export default createTxgateWorker({ vendors: [${[...new Set(routes.map(([vendor]) => DESCRIPTORS[vendor]))].join(", ")}], actions });
export { IdempotencyLedgerObject, MessageIndexObject, MessageObject, VendorAccountObject } from "txgate/worker";`;

const PLAIN_FETCH_WORKER = `export default { async fetch(request, env) {
  const response = await fetch(env.URL, { method: "POST", headers: { "Content-Type": "application/json", Authorization: env.AUTH }, body: JSON.stringify(await request.json()) });
  return Response.json(await response.json(), { status: response.status });
} };`;

const PEER_WORKERS = {
  "openapi-fetch": `import createClient from "openapi-fetch";
export default { async fetch(request, env) { const client = createClient({ baseUrl: env.URL }); const { data, error } = await client.POST("/api/tx", { body: await request.json(), headers: { Authorization: env.AUTH } }); return Response.json(data ?? error); } };`,
  resend: `import { Resend } from "resend";
export default { async fetch(request, env) { const resend = new Resend(env.KEY); return Response.json(await resend.emails.send(await request.json())); } };`,
  postmark: `import { ServerClient } from "postmark";
export default { async fetch(request, env) { const client = new ServerClient(env.TOKEN); return Response.json(await client.sendEmail(await request.json())); } };`,
};

/** Every case: name → { source, budget?, peer?, flags? }. */
export function cases() {
  const all = [
    ["plain fetch", { source: PLAIN_FETCH_WORKER }],
    ...Object.entries(PEER_WORKERS).map(([peer, source]) => [peer, { source, peer, flags: ["nodejs_compat"] }]),
    ...Object.keys(vendors).map((vendor) => [`txgate/${vendor} send`, { source: vendorWorker(vendor), budget: vendor === "expertsender" ? budgets.expertsender : budgets.json }]),
    ["txgate/listmonk sendMessage", { source: vendorWorker("listmonk", "sendMessage"), budget: budgets.json }],
    ["txgate/listmonk catalogue", { source: CATALOGUE_WORKER, budget: budgets.json }],
    ["txgate, all four vendors", { source: ALL_VENDORS_WORKER }],
    // Every benched vendor, each with the template its case sends.
    ["txgate/worker, all four vendors", { source: txgateWorker(Object.values(vendors).map(({ route }) => [route.vendor, route.template])), budget: budgets.workerAll }],
    ["txgate/worker, listmonk, one action", { source: txgateWorker([["listmonk", 2]]), budget: budgets.workerOne }],
  ];
  return Object.fromEntries(all);
}

async function wranglerBundle(dir, name, { source, flags = [] }) {
  const folder = join(dir, "workers", name.replace(/[^a-z0-9]+/gi, "-"));
  await mkdir(join(folder, "out"), { recursive: true });
  await writeFile(join(folder, "worker.js"), source);
  await writeFile(
    join(folder, "wrangler.toml"),
    `name = "bench"\nmain = "worker.js"\ncompatibility_date = "2026-11-01"\n${flags.length ? `compatibility_flags = ${JSON.stringify(flags)}\n` : ""}`,
  );
  await run(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--minify", "--outdir", "out", "--config", "wrangler.toml"], {
    cwd: folder,
    timeout: 120_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" },
  });
  const files = (await readdir(join(folder, "out"))).filter((file) => /\.(m?js)$/.test(file));
  const contents = Buffer.concat(await Promise.all(files.map((file) => readFile(join(folder, "out", file)))));
  return { minified: contents.length, gzip: gzipSync(contents, { level: 9 }).length };
}

async function browserBundle(dir) {
  const file = join(dir, "page.js");
  await writeFile(file, `import { createBrowserClient } from "txgate/browser";\nexport const mail = createBrowserClient({ endpoint: "/v1/actions" });\nexport const sent = mail.send("contact-form", { variables: { name: "Ada" } });\n`);
  const result = await build({ entryPoints: [file], absWorkingDir: dir, bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "error" });
  const contents = result.outputFiles[0].contents;
  return { minified: contents.length, gzip: gzipSync(contents, { level: 9 }).length };
}

/** name → { minified, gzip, budget? } or { failed }; peers that are not installed are `{ failed: "not installed" }`. */
export async function measureSizes({ dir, peers, log = () => {} }) {
  const rows = {};
  for (const [name, spec] of Object.entries(cases())) {
    if (spec.peer && peers[spec.peer] !== undefined && !/^\d/.test(peers[spec.peer])) {
      rows[name] = { failed: "not installed" };
      continue;
    }
    log(`  ${name}`);
    try {
      rows[name] = { ...(await wranglerBundle(dir, name, spec)), budget: spec.budget };
    } catch (error) {
      rows[name] = { failed: `wrangler could not bundle it: ${String(error.stderr ?? error.message).trim().split("\n").filter((line) => /ERROR|error|Could not/.test(line)).slice(0, 2).join(" ").slice(0, 300) || "see wrangler"}` };
    }
  }
  rows["txgate/browser"] = { ...(await browserBundle(dir)), budget: budgets.browser };
  return rows;
}
