/**
 * txgate/worker as a user gets it: the packed tarball installed into a scratch Worker project outside the repo,
 * whose whole Worker is a few lines (its actions, `createTxgateWorker`, the Durable Object classes re-exported)
 * plus its wrangler.toml, run by `wrangler dev` inside workerd in sandbox mode, sending through txgate/testing's
 * listmonk fake. Uses the dist/ that `npm run build` wrote (`npm test` builds first) and npm's cache
 * (`--prefer-offline`) for the package's dependencies.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { stopProcessGroup } from "../support/process-group.ts";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);
/** The documented local caller key, which only a sandbox-mode worker on a loopback host accepts. */
const LOCAL_KEY = "txgate-local-sandbox";

/** The project's actions: everything the browser may not choose. */
const ACTIONS = `import * as v from "valibot";
import { defineActions, defineCatalogue, line } from "txgate/worker";

const catalogue = defineCatalogue({
  contact: { variables: v.strictObject({ name: line(100) }), via: [{ vendor: "listmonk", template: 2, message: { from: { address: "shop@example.com", name: "Shop" } } }] },
});

export const actions = defineActions(catalogue, {
  "contact-form": { template: "contact", auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] } },
});
`;

/**
 * The project's whole Worker, written before the account object was `VendorAccountObject`: it still exports and
 * binds `VendorAccount` (the deprecated alias), as a deployment made then does.
 */
const WORKER = `import { listmonkVendor } from "txgate/listmonk";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "txgate/testing";
import { createTxgateWorker } from "txgate/worker";
import { actions } from "./actions.ts";

const listmonk = createListmonkFake();

export default createTxgateWorker({
  vendors: [listmonkVendor],
  actions,
  sandbox: { vendors: { listmonk: { fetch: listmonk.fetch, settings: { baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS } } } },
});
export { IdempotencyLedgerObject, MessageObject, VendorAccount } from "txgate/worker";
`;

/** A page of the project: it imports only types, from the deployment's actions and txgate's entries. */
const PAGE = `import { createBrowserClient } from "txgate/browser";
import type { ActionNameOf, ActionRequest, ActionVariablesOf } from "txgate/worker";
import type { actions } from "./actions.ts";

type Actions = typeof actions;
export const name: ActionNameOf<Actions> = "contact-form";
export const variables: ActionVariablesOf<Actions, "contact-form"> = { name: "Ada" };
export const body: ActionRequest<Actions, "contact-form"> = { action: "contact-form", variables };
const mail = createBrowserClient<Actions>({ endpoint: "/v1/actions" });
export const sent = mail.send("contact-form", { variables: { name: "Ada" }, turnstileToken: "token" });
// @ts-expect-error: no such action
export const unknown: ActionNameOf<Actions> = "order-shipped";
// @ts-expect-error: a variable the action does not take
export const extra: ActionVariablesOf<Actions, "contact-form"> = { name: "Ada", subject: "Free money" };
`;

/** The project's TypeScript settings: the Workers runtime types (as \`wrangler types\` writes them), no DOM. */
const TSCONFIG = (runtimeTypes: string) =>
  JSON.stringify({
    compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2023"], types: [], strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true },
    files: ["worker.ts", "actions.ts", "page.ts", runtimeTypes],
  });

const WRANGLER_TOML = `name = "scratch-txgate"
main = "worker.ts"
compatibility_date = "2026-11-01"

[[ratelimits]]
name = "BROWSER_RATE_LIMIT"
namespace_id = "1001"
simple = { limit = 20, period = 60 }

[[ratelimits]]
name = "CALLER_RATE_LIMIT"
namespace_id = "1002"
simple = { limit = 1000, period = 60 }

[[durable_objects.bindings]]
name = "VENDOR_ACCOUNTS"
class_name = "VendorAccount"

[[durable_objects.bindings]]
name = "IDEMPOTENCY"
class_name = "IdempotencyLedgerObject"

[[durable_objects.bindings]]
name = "MESSAGES"
class_name = "MessageObject"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["VendorAccount", "IdempotencyLedgerObject", "MessageObject"]
`;

let scratch: string;
let origin: string;
let wrangler: ChildProcess | undefined;
let output = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Polls until the worker answers its index route (wrangler builds and starts workerd first). */
async function waitForWorker(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (wrangler?.exitCode !== null) throw new Error(`wrangler dev exited: ${output.slice(-2000)}`);
    const answer = await fetch(`${origin}/`).catch(() => undefined);
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the scratch worker did not start: ${output.slice(-2000)}`);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "txgate-scratch-worker-"));
  // The tarball as npm publishes it; scripts are skipped because dist/ is already built.
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], { cwd: root });
  const tarball = join(scratch, JSON.parse(stdout)[0].filename);
  await writeFile(join(scratch, "package.json"), JSON.stringify({ name: "scratch-worker", private: true, type: "module" }));
  await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: scratch, timeout: 120_000 });
  await writeFile(join(scratch, "actions.ts"), ACTIONS);
  await writeFile(join(scratch, "worker.ts"), WORKER);
  await writeFile(join(scratch, "wrangler.toml"), WRANGLER_TOML);
  await writeFile(join(scratch, "page.ts"), PAGE);
  await writeFile(join(scratch, "tsconfig.json"), TSCONFIG(join(root, "generated/workers/runtime.d.ts")));

  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  wrangler = spawn(
    join(root, "node_modules/.bin/wrangler"),
    ["dev", "--config", join(scratch, "wrangler.toml"), "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--var", "SANDBOX:true", "--var", `ALLOWED_ORIGINS:${origin}`],
    { cwd: scratch, detached: true, env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } },
  );
  wrangler.stdout?.on("data", (chunk) => (output += chunk));
  wrangler.stderr?.on("data", (chunk) => (output += chunk));
  await waitForWorker(Date.now() + 90_000);
}, 240_000);

afterAll(async () => {
  // wrangler dev runs workerd as a child: the whole process group goes.
  await stopProcessGroup(wrangler);
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 30_000);

describe("a scratch Worker project on the packed txgate/worker", () => {
  it("installs txgate from the tarball, with nothing of the repo's worker in it", async () => {
    const installed = await readdir(join(scratch, "node_modules/txgate/dist/src/worker"));
    expect(installed).toContain("index.js");
    expect(installed).toContain("index.d.ts");
    await expect(readdir(join(scratch, "node_modules/txgate/worker"))).rejects.toThrow();
  });

  it("type-checks against the package's declarations: the Worker, and a page typed by its actions", async () => {
    const tsc = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(scratch, "tsconfig.json")], { cwd: scratch }).catch((error) => error);
    expect(`${tsc.stdout ?? ""}${tsc.stderr ?? ""}`).toBe("");
  }, 60_000);

  it("bundles only the vendors it serves: no other vendor's code is in the Worker", async () => {
    const out = join(scratch, "bundle");
    await run(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out, "--config", join(scratch, "wrangler.toml")], { cwd: scratch });
    const files = (await readdir(out, { recursive: true })).filter((file) => /\.m?js$/.test(file));
    const code = (await Promise.all(files.map((file) => readFile(join(out, file), "utf8")))).join("\n");
    expect(code).toContain("createListmonkClient");
    // Each other vendor's default host and factory would come with its client code.
    for (const other of ["actonsoftware.com", "createActOnClient", "everlytic.net", "createEverlyticClient", "esv2.com", "createExpertSenderClient"]) {
      expect([other, code.includes(other)]).toEqual([other, false]);
    }
  }, 60_000);

  it("sends a browser action through the sandbox: sent, and the answer says sandbox", async () => {
    const answer = await fetch(`${origin}/v1/actions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, "x-turnstile-token": "XXXX.DUMMY.TOKEN.XXXX" },
      body: JSON.stringify({ action: "contact-form", variables: { name: "Ada" } }),
    });
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    expect(JSON.parse(text)).toEqual({ ok: true, kind: "sent", sandbox: true });
    expect(answer.headers.get("txgate-sandbox")).toBe("true");
    expect(text).not.toContain(LISTMONK_FAKE_CREDENTIALS.token);
  });

  it("sends a trusted caller's message through the sandbox with the local key, and no credential comes back", async () => {
    const answer = await fetch(`${origin}/v1/send/listmonk`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${LOCAL_KEY}` },
      body: JSON.stringify({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { name: "Ada" } }),
    });
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ ok: true, kind: "sent", sandbox: true, vendor: "listmonk", status: 200 });
    for (const secret of [LISTMONK_FAKE_CREDENTIALS.token, LOCAL_KEY]) expect(text).not.toContain(secret);
  });

  it("refuses what its policy refuses: an action the deployment does not define", async () => {
    const answer = await fetch(`${origin}/v1/actions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, "x-turnstile-token": "XXXX.DUMMY.TOKEN.XXXX" },
      body: JSON.stringify({ action: "order-shipped", variables: {} }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ kind: "unknown_action", delivery: "not_sent" });
  });

  it("writes no credential into the worker's log", () => {
    expect(output).toContain("POST");
    for (const secret of [LISTMONK_FAKE_CREDENTIALS.token, LOCAL_KEY]) expect(output).not.toContain(secret);
  });
});
