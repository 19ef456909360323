/**
 * What `npm publish` would ship: every export's JavaScript and declarations, the generated types, the specs;
 * no tests, no worker, no secrets. ESM only, free of side effects.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { EVERLYTIC_API_KEY } from "../everlytic/double.js";
import { EXPERTSENDER_API_KEY } from "../expertsender/double.js";
import { LISTMONK_TOKEN } from "../listmonk/double.js";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
let files: string[];

beforeAll(async () => {
  // The tarball's contents as npm computes them; scripts are skipped because `npm test` has just built dist/.
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    env: { ...process.env, npm_config_loglevel: "silent" },
  });
  files = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path);
}, 60_000);

describe("the package", () => {
  it("is ESM only and side-effect free", () => {
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.main).toBeUndefined();
    expect(JSON.stringify(pkg.exports)).not.toContain("require");
  });

  it("ships the JavaScript and the declarations of every entry", () => {
    const entries = Object.entries(pkg.exports as Record<string, { types: string; default: string }>);
    expect(entries.map(([name]) => name)).toEqual(expect.arrayContaining(["./listmonk", "./acton", "./everlytic", "./expertsender"]));
    for (const [, target] of entries) {
      expect(files).toContain(target.default.replace(/^\.\//, ""));
      expect(files).toContain(target.types.replace(/^\.\//, ""));
    }
  });

  it("ships the generated types the declarations import, and the specs they come from", () => {
    for (const vendor of ["listmonk", "acton", "everlytic", "expertsender"]) {
      expect(files).toContain(`dist/generated/${vendor}.d.ts`);
      expect(files).toContain(`specs/${vendor}.yaml`);
    }
  });

  it("ships no tests, worker, benchmarks, local secrets or source maps", () => {
    const unwanted = files.filter((path) =>
      /^(test|worker|bench|scripts|\.ci)\/|\.dev\.vars|\.env|\.test\.|\.map$|wrangler\.toml/.test(path),
    );
    expect(unwanted).toEqual([]);
  });

  it("contains none of the credentials the test suite uses", () => {
    const shipped = files.map((path) => readFileSync(new URL(path, root), "utf8")).join("\n");
    for (const secret of [LISTMONK_TOKEN, EVERLYTIC_API_KEY, EXPERTSENDER_API_KEY]) expect(shipped).not.toContain(secret);
  });

  it("publishes to JSR with the same entries, as TypeScript source", async () => {
    const jsr = JSON.parse(readFileSync(new URL("jsr.json", root), "utf8"));
    expect(Object.keys(jsr.exports)).toEqual(Object.keys(pkg.exports));
    expect(jsr.version).toBe(pkg.version);
    // A dry run checks every exported module resolves and type-checks the way JSR will. Slow types are allowed:
    // the exported valibot schemas have inferred types (see README, "Deno and JSR").
    const { stdout, stderr } = await promisify(execFile)(
      fileURLToPath(new URL("node_modules/.bin/deno", root)),
      ["publish", "--dry-run", "--allow-dirty", "--allow-slow-types"],
      { cwd: root, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } },
    );
    const report = stdout + stderr;
    expect(report).toContain("Dry run complete");
    for (const vendor of ["listmonk", "acton", "everlytic", "expertsender"]) expect(report).toContain(`generated/${vendor}.ts`);
    expect(report).not.toMatch(/\/test\/|\/worker\//);
  }, 120_000);
});
