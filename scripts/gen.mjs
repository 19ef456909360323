// Generates generated/<vendor>.ts from specs/<vendor>.yaml with openapi-typescript.
// `node scripts/gen.mjs --check` writes nothing and fails when generated/ differs from what the specs produce.
import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const root = new URL("../", import.meta.url);
const check = process.argv.includes("--check");
const specs = (await readdir(new URL("specs/", root))).filter((name) => name.endsWith(".yaml")).sort();
await mkdir(new URL("generated/", root), { recursive: true });

const stale = [];
for (const spec of specs) {
  const vendor = spec.replace(/\.yaml$/, "");
  const ast = await openapiTS(new URL(`specs/${spec}`, root), {
    // A schema `default` is what the vendor assumes when a field is omitted, not a field we must send.
    defaultNonNullable: false,
  });
  const header = `// Generated from specs/${spec} by \`npm run gen\` (openapi-typescript). Do not edit by hand.\n\n`;
  const yaml = await readFile(new URL(`specs/${spec}`, root), "utf8");
  const outputs = {
    [`${vendor}.ts`]: header + astToString(ast),
    // The spec as JSON, for code that checks bodies against it at run time (the worker's sandbox vendors),
    // where no YAML parser is bundled.
    [`${vendor}.spec.json`]: JSON.stringify(parse(yaml), null, 1) + "\n",
  };
  for (const [name, source] of Object.entries(outputs)) {
    const target = new URL(`generated/${name}`, root);
    const current = await readFile(target, "utf8").catch(() => "");
    if (current === source) continue;
    if (check) stale.push(fileURLToPath(target));
    else {
      await writeFile(target, source);
      console.log(`wrote generated/${name}`);
    }
  }
}
// The Workers runtime types for the worker's own tsconfig (worker/tsconfig.json), from wrangler.toml's
// compatibility date (`wrangler types` without the Env part, which the worker declares itself in src/worker/env.ts).
{
  const scratch = await mkdtemp(join(tmpdir(), "txgate-types-"));
  const out = join(scratch, "runtime.d.ts");
  execFileSync(fileURLToPath(new URL("node_modules/.bin/wrangler", root)), ["types", "--include-env=false", out], {
    cwd: fileURLToPath(root),
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const source = await readFile(out, "utf8");
  await rm(scratch, { recursive: true, force: true });
  // In a folder of its own, so the library's build (generated/*.ts) never sees these globals.
  await mkdir(new URL("generated/workers/", root), { recursive: true });
  const target = new URL("generated/workers/runtime.d.ts", root);
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== source) {
    if (check) stale.push(fileURLToPath(target));
    else {
      await writeFile(target, source);
      console.log("wrote generated/workers/runtime.d.ts");
    }
  }
}

if (stale.length) {
  console.error(`generated/ is stale; run \`npm run gen\` and commit:\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
