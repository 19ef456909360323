/**
 * examples/ as a user gets them: this package packed once (`npm pack`, the tarball npm would publish), each example
 * copied outside the repo and installed from that tarball, then run by its own scripts. The Worker example is
 * written by the starter (`npx txgate init`), so one run proves both: the project the starter writes is the one in
 * examples/worker, it type-checks, `wrangler deploy --dry-run` builds it, and under `npm start` it answers a sandbox
 * send and shows it on its outbox page. Uses the dist/ that `npm test` has just built, and npm's cache
 * (`--prefer-offline`): the examples pin the versions this repo's lockfile holds.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { stopProcessGroup } from "../support/process-group.ts";
import { cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const examples = join(root, "examples");
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const execFileAsync = promisify(execFile);
/** This repo's Node 24, Deno and Bun first on the PATH (an example's own node_modules/.bin still comes first under `npm run`). */
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules/.bin")}${delimiter}${process.env.PATH}`,
  NO_COLOR: "1",
  DENO_NO_UPDATE_CHECK: "1",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};
const run = (command: string, args: string[], cwd: string, timeout = 120_000) => execFileAsync(command, args, { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 });

let work: string;
let tarball: string;
const installs: Record<string, string> = {};
let wrangler: ChildProcess | undefined;
let wranglerOutput = "";
let origin: string;

/** Installs txgate from the tarball, and the example's other dependencies; npm's warnings are returned. */
async function install(example: string): Promise<string> {
  const { stderr } = await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], join(work, example), 180_000);
  return stderr;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The files of an example as the repo has them (what git tracks), relative to it. */
async function trackedFiles(example: string): Promise<string[]> {
  const { stdout } = await run("git", ["ls-files", "--", `examples/${example}`], root);
  return stdout.trim().split("\n").map((path) => path.slice(`examples/${example}/`.length)).sort();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "txgate-examples-"));
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], root);
  tarball = join(work, JSON.parse(stdout)[0].filename);
  for (const example of ["node", "deno", "bun", "page"]) {
    await cp(join(examples, example), join(work, example), { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
  }
  installs.node = await install("node");
  // The starter, from the package installed above, as `npx txgate init worker` would run it.
  installs.init = (await run("npx", ["--no-install", "txgate", "init", "../worker"], join(work, "node"))).stdout;
  const [worker, page, deno, bun] = await Promise.all(["worker", "page", "deno", "bun"].map(install));
  Object.assign(installs, { worker, page, deno, bun });
}, 300_000);

afterAll(async () => {
  // wrangler dev runs workerd as a child: the whole process group goes.
  await stopProcessGroup(wrangler);
  if (work) await rm(work, { recursive: true, force: true });
}, 30_000);

describe("installing the packed package", () => {
  it("runs no install script of txgate's, so npm has nothing to warn about", () => {
    for (const [example, warnings] of Object.entries(installs)) expect(warnings, example).not.toMatch(/txgate@[^\n]*(prepare|install)/);
  });

  it("pins the versions this repo's own install uses, so an example tests what the repo tests", async () => {
    const ours = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
    for (const example of ["worker", "page", "node", "deno", "bun"]) {
      const manifest = JSON.parse(await readFile(join(examples, example, "package.json"), "utf8"));
      expect(manifest.dependencies.txgate, example).toBe(`^${pkg.version}`);
      for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        if (name !== "txgate") expect(version, `${example}: ${name}`).toBe(ours[name]);
      }
    }
  });
});

describe("npx txgate init", () => {
  it("writes examples/worker into a new folder, named after it, on the txgate that wrote it", async () => {
    expect(installs.init).toContain("npm install");
    const written = (await readdir(join(work, "worker"), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !/node_modules|package-lock\.json/.test(join(entry.parentPath, entry.name)))
      .map((entry) => join(entry.parentPath, entry.name).slice(join(work, "worker").length + 1))
      .sort();
    expect(written).toEqual(await trackedFiles("worker"));
    for (const file of written.filter((file) => file !== "package.json")) {
      expect(await readFile(join(work, "worker", file), "utf8"), file).toBe(await readFile(join(examples, "worker", file), "utf8"));
    }
    const manifest = JSON.parse(await readFile(join(work, "worker", "package.json"), "utf8"));
    const template = JSON.parse(await readFile(join(examples, "worker", "package.json"), "utf8"));
    expect({ ...manifest, dependencies: { ...manifest.dependencies, txgate: `^${pkg.version}` } }).toEqual({ ...template, name: "worker" });
  });

  it("refuses a folder that is not empty, and changes nothing in it", async () => {
    const refused = await run("npx", ["--no-install", "txgate", "init", "../worker"], join(work, "node")).catch((error) => error);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not empty");
  });
});

describe("examples/worker", () => {
  it("type-checks against the package's declarations and the Workers runtime types (npm run typecheck)", async () => {
    const result = await run("npm", ["run", "typecheck"], join(work, "worker"));
    expect(result.stderr).not.toMatch(/error TS/);
  }, 120_000);

  it("builds for deployment (npm run build: wrangler deploy --dry-run), binding every class, queue and limit", async () => {
    const { stdout } = await run("npm", ["run", "build"], join(work, "worker"));
    expect(await readdir(join(work, "worker", "dist"))).toContain("index.js");
    for (const binding of ["VENDOR_ACCOUNTS", "IDEMPOTENCY", "MESSAGES", "MESSAGE_INDEX", "DELIVERY_QUEUE", "DEAD_LETTERS", "BROWSER_RATE_LIMIT", "CALLER_RATE_LIMIT", "EVENTS_RATE_LIMIT", "ALLOWED_ORIGINS"]) {
      expect(stdout, binding).toContain(binding);
    }
  }, 120_000);

  describe("under npm start", () => {
    beforeAll(async () => {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      // The example's own start script, on a free port; the page origin is this test's.
      wrangler = spawn("npm", ["start", "--", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--var", `ALLOWED_ORIGINS:${origin}`], {
        cwd: join(work, "worker"),
        env,
        detached: true,
      });
      wrangler.stdout?.on("data", (chunk) => (wranglerOutput += chunk));
      wrangler.stderr?.on("data", (chunk) => (wranglerOutput += chunk));
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (wrangler.exitCode !== null) throw new Error(`npm start exited: ${wranglerOutput.slice(-2000)}`);
        if ((await fetch(`${origin}/sandbox/messages`).catch(() => undefined))?.ok) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`the example worker did not start: ${wranglerOutput.slice(-2000)}`);
    }, 120_000);

    it("sends the contact form's action through the sandbox, and shows it on the outbox page", async () => {
      const answer = await fetch(`${origin}/v1/actions`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, "x-turnstile-token": "XXXX.DUMMY.TOKEN.XXXX" },
        body: JSON.stringify({ action: "contact-form", variables: { name: "Ada", replyTo: "ada@example.com", message: "Hello\nfrom the example" } }),
      });
      const text = await answer.text();
      expect(answer.status, text).toBe(200);
      expect(JSON.parse(text)).toEqual({ ok: true, kind: "sent", sandbox: true });

      const { messages } = (await (await fetch(`${origin}/sandbox/messages`)).json()) as { messages: { vendor: string; to: string[]; data: unknown; accepted: boolean }[] };
      expect(messages).toEqual([
        expect.objectContaining({ vendor: "listmonk", to: ["support@example.com"], accepted: true, data: { name: "Ada", replyTo: "ada@example.com", message: "Hello\nfrom the example" } }),
      ]);
      const page = await (await fetch(`${origin}/sandbox`)).text();
      expect(page).toContain("Sandbox outbox");
      expect(page).toContain("support@example.com");
      expect(page).toContain("from the example");
    });

    it("serves its outbox to no one but a loopback host", async () => {
      const answer = await fetch(`${origin}/sandbox/messages`, { headers: { origin: "https://attacker.example" } });
      expect(answer.status).toBe(404);
    });
  });
});

describe("examples/page", () => {
  it("type-checks against txgate/browser and the Worker's actions, which it imports as types only", async () => {
    const result = await run("npm", ["run", "typecheck"], join(work, "page"));
    expect(result.stderr).not.toMatch(/error TS/);
  }, 60_000);

  it("bundles to a small script with no Worker code in it (npm run build)", async () => {
    await run("npm", ["run", "build"], join(work, "page"));
    const bundle = await readFile(join(work, "page", "dist", "main.js"), "utf8");
    expect(bundle).toContain("/v1/actions");
    // The actions' senders and the catalogue live in the Worker only.
    expect(bundle).not.toContain("forms@example.com");
    expect(bundle.length).toBeLessThan(4096);
  }, 60_000);
});

describe("the runtime examples, sending through txgate/testing's fakes", () => {
  it("node: one listmonk send, and the outcome switch (npm start)", async () => {
    const { stdout } = await run("npm", ["start", "--silent"], join(work, "node"));
    expect(stdout.trim()).toBe("sent by listmonk (HTTP 200); the fake received it for jane@example.com");
  }, 60_000);

  it("deno: a catalogue that fails over from listmonk to Everlytic (deno task start)", async () => {
    const { stdout } = await run("deno", ["task", "--quiet", "start"], join(work, "deno"));
    expect(stdout.trim()).toBe("sent by everlytic after listmonk (server_error, not_sent); the fake received it for jane@example.com");
  }, 60_000);

  it("bun: Act-On's token, then the send; a bad address refused before anything is sent (bun start)", async () => {
    const { stdout } = await run("bun", ["run", "--silent", "start"], join(work, "bun"));
    expect(stdout.trim().split("\n")).toEqual(["refused before sending: to (email)", "sent by acton after 1 token request(s); the fake received it for jane@example.com"]);
  }, 60_000);
});
