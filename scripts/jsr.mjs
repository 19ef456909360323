// `npm run jsr`: writes jsr.json, the manifest `deno publish` reads, from the published entries (every
// `src/<entry>/index.ts`, as package.json's `exports` pattern publishes them on npm) and package.json's version, so
// neither a new entry nor a release edits it by hand. txgate/worker is npm only: it runs on Workers alone, extends
// `cloudflare:workers` and is deployed with wrangler. jsr.json is not committed: `npm run publish:jsr` writes it
// and publishes, and test/packaging writes it for its `deno publish --dry-run`.
//
// `node scripts/jsr.mjs --print`: the manifest on stdout, nothing written.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { publicEntries } from "./build.mjs";

const root = new URL("../", import.meta.url);

/** The JSR-only entries left out: what runs on Workers alone. */
const NPM_ONLY = new Set(["worker"]);

/** jsr.json's contents. */
export async function jsrManifest() {
  const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  const entries = (await publicEntries()).filter((entry) => !NPM_ONLY.has(entry));
  return {
    name: "@txgate/txgate",
    version: pkg.version,
    license: pkg.license,
    exports: Object.fromEntries(entries.map((entry) => [`./${entry}`, `./src/${entry}/index.ts`])),
    publish: {
      include: ["src/**/*.ts", "generated/*.ts", "generated/*.spec.json", "specs/*.yaml", "README.md", "jsr.json", "package.json", "LICENSE"],
      exclude: ["src/worker/**"],
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { print: { type: "boolean" } } });
  const text = `${JSON.stringify(await jsrManifest(), null, 2)}\n`;
  if (values.print) process.stdout.write(text);
  else await writeFile(new URL("jsr.json", root), text);
}
