#!/usr/bin/env node
// `npx txgate init [folder]`: writes a new txgate Worker project, the one in this package's examples/worker (its
// actions, its Worker, its complete wrangler.toml), ready for `npm install && npm start`. Node only, and outside
// src/: the library itself never imports `node:`.
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const template = fileURLToPath(new URL("../examples/worker/", import.meta.url));
const own = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
// npm never packs a .gitignore, so the project's is written here rather than copied.
const GITIGNORE = ["node_modules/", ".wrangler/", "dist/", ".dev.vars", "worker-configuration.d.ts", ""].join("\n");
/** What a local run of the template leaves behind, never part of a new project. */
const LEFT_OUT = new Set(["node_modules", ".wrangler", "dist", ".dev.vars", "worker-configuration.d.ts", "package-lock.json", ".gitignore"]);

const [command, folder = "txgate-worker", ...rest] = process.argv.slice(2);
if (command !== "init" || rest.length || folder.startsWith("-")) {
  console.error("Usage: npx txgate init [folder]\n\nWrites a txgate Worker project into folder (default: txgate-worker).");
  process.exit(command === "--help" || command === "-h" ? 0 : 2);
}

const target = resolve(folder);
const existing = await readdir(target).catch(() => []);
if (existing.length) {
  console.error(`${folder} is not empty: choose a new folder.`);
  process.exit(1);
}
await mkdir(target, { recursive: true });
await cp(template, target, { recursive: true, filter: (source) => !LEFT_OUT.has(basename(source)) || source === template });
await writeFile(resolve(target, ".gitignore"), GITIGNORE);

// The project's name is its folder's; its txgate is the version that wrote it.
const manifestPath = resolve(target, "package.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
manifest.name = basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "") || "txgate-worker";
manifest.dependencies.txgate = `^${own.version}`;
await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

const where = relative(process.cwd(), target) || ".";
console.log(`A txgate Worker is in ${where}. Next:

  cd ${where}
  npm install
  npm start

then send from the command line (see README.md) and watch http://localhost:8787/sandbox.`);
