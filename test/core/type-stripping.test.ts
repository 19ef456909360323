/**
 * The promise that Node, Deno and Bun run src/ as it is: Node's type stripping takes only erasable syntax (no
 * parameter properties, enums or namespaces), so every entry is imported from its TypeScript source by the Node
 * the runtime matrix installs.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { VENDOR_NAMES } from "../../src/vendors/registry.ts";

const run = promisify(execFile);
const node = fileURLToPath(new URL("../../node_modules/.bin/node", import.meta.url));
const source = (entry: string) => new URL(`../../src/${entry}/index.ts`, import.meta.url).href;

describe("src/ under Node's type stripping", () => {
  it.each([...VENDOR_NAMES, "browser", "catalogue", "opentelemetry"])("%s imports from its source", async (entry) => {
    const script = `const m = await import(${JSON.stringify(source(entry))}); console.log(Object.keys(m).length);`;
    const { stdout } = await run(node, ["--experimental-strip-types", "--no-warnings", "--input-type=module", "-e", script]);
    expect(Number(stdout.trim())).toBeGreaterThan(0);
  }, 30_000);
});
