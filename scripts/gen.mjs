// Generates generated/<vendor>.ts from specs/<vendor>.yaml with openapi-typescript.
// `node scripts/gen.mjs --check` writes nothing and fails when generated/ differs from what the specs produce.
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

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
  const source = header + astToString(ast);
  const target = new URL(`generated/${vendor}.ts`, root);
  const current = await readFile(target, "utf8").catch(() => "");
  if (current === source) continue;
  if (check) stale.push(fileURLToPath(target));
  else {
    await writeFile(target, source);
    console.log(`wrote generated/${vendor}.ts`);
  }
}
if (stale.length) {
  console.error(`generated/ is stale; run \`npm run gen\` and commit:\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
