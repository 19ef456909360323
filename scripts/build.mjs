// `npm run build`: the published package in dist/. Each entry (`src/<entry>/index.ts`, see publicEntries) is an ES module bundled
// by esbuild from its TypeScript source, minified, with code splitting: code two entries share lives once, in
// dist/chunks/, and every dynamic import (ExpertSender's XML reader and writer, MD5, each vendor's message
// converter) stays a chunk of its own that loads only when a send needs it. The libraries txgate runs on
// (package.json `dependencies` and `peerDependencies`) are not bundled: dist/ imports them by name, so a user's
// bundler keeps one copy of each (valibot, which users write catalogue schemas with, is a peer for that reason)
// and a library's fix reaches users without a txgate release. tsc then writes the declarations of the modules the
// entries reach beside the bundles, so each entry's `types` resolves as before; it also type-checks them, and a
// type error fails the build.
//
// `node scripts/build.mjs --outdir DIR`: the bundles alone, without declarations.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = new URL("../", import.meta.url);
const path = (relative) => fileURLToPath(new URL(relative, root));

/**
 * The published entries: every folder of src/ with an `index.ts` (`txgate/<folder>`), sorted. package.json
 * `exports` maps them all with one pattern (`./<entry>` → `./dist/src/<entry>/index.js`, written with `*`), and
 * jsr.json is written from them (scripts/jsr.mjs), so an entry, a vendor's among them, is published by writing its
 * `index.ts`. Nothing else becomes importable: dist/ holds no other `index.js` (test/packaging checks it).
 */
export async function publicEntries() {
  const folders = await readdir(path("src"), { withFileTypes: true });
  const withIndex = await Promise.all(
    folders.filter((folder) => folder.isDirectory()).map(async ({ name }) => ((await stat(path(`src/${name}/index.ts`)).catch(() => undefined)) ? name : undefined)),
  );
  return withIndex.filter((name) => name !== undefined).sort();
}

/** The entries → esbuild entry points: `dist/src/x/index.js` is built from `src/x/index.ts`. */
export async function entryPoints() {
  return (await publicEntries()).map((name) => ({ in: path(`src/${name}/index.ts`), out: `src/${name}/index` }));
}

/** The libraries dist/ imports by name: every dependency and peer, and any module inside one. */
export async function libraries() {
  const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  return Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
}

/** The bundles alone (no declarations) into `outdir`; returns esbuild's metafile. */
export async function bundle({ outdir = path("dist"), minify = true } = {}) {
  const result = await build({
    entryPoints: await entryPoints(),
    outdir,
    outbase: path("."),
    bundle: true,
    splitting: true,
    format: "esm",
    // No runtime's built-ins: src/ uses web APIs only, and the same file runs on Node, Deno, Bun, workerd and
    // in browsers. None of the libraries has a runtime-specific export condition.
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    minify,
    chunkNames: "chunks/[name]-[hash]",
    // `cloudflare:workers` (txgate/worker's Durable Objects) is the Workers runtime's own module, never bundled.
    external: ["cloudflare:*", ...(await libraries()).flatMap((name) => [name, `${name}/*`])],
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  return result.metafile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  const outdir = values.outdir ? fileURLToPath(new URL(values.outdir, `file://${process.cwd()}/`)) : path("dist");
  // Built beside the target and moved into place at the end, so a test or a `wrangler dev` reading dist/ while
  // a build runs sees the old build or the new one, not half of each, and a failed build leaves dist/ as it was.
  // (Staged under node_modules/.cache, which git ignores, on the same disk so the move is a rename.)
  const staging = path(`node_modules/.cache/txgate-build-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await bundle({ outdir: staging });
    if (!values.outdir) {
      // Declarations only (the JavaScript is the bundles above), for the modules the entries reach and the
      // generated types: tsconfig.build.json's settings, started from the entries rather than all of src/, so
      // code no entry publishes (the worker's, say) is neither type-checked for the package nor shipped.
      // txgate/worker is declared apart, against the Workers runtime's types (src/worker/tsconfig.json) instead
      // of the DOM, and first: the modules it shares with the other entries are then declared again with the DOM.
      const config = `${staging}-tsconfig.json`;
      const all = (await entryPoints()).map((entry) => entry.in);
      const isWorker = (entry) => entry.startsWith(path("src/worker/"));
      const runs = [
        { extends: path("src/worker/tsconfig.json"), files: [...all.filter(isWorker), path("generated/workers/runtime.d.ts")] },
        { extends: path("tsconfig.build.json"), files: all.filter((entry) => !isWorker(entry)), include: [path("generated/*.ts")] },
      ];
      try {
        for (const run of runs.filter((run) => run.files.some((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")))) {
          await writeFile(config, JSON.stringify(run));
          execFileSync(process.execPath, [path("node_modules/typescript/bin/tsc"), "-p", config, "--outDir", staging], { stdio: "inherit" });
        }
      } finally {
        await rm(config, { force: true });
      }
    }
    const old = `${staging}-old`;
    await rename(outdir, old).catch(() => {});
    await mkdir(dirname(outdir), { recursive: true });
    await rename(staging, outdir);
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    console.error(error.message);
    process.exit(1);
  }
}
