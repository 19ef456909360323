/**
 * The browser entry carries no vendor adapter and no library a vendor needs: bundled as a page would bundle
 * it, its inputs are the browser client alone; and the file npm publishes for it (dist/, `npm run build`) is
 * one module that imports nothing.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

async function bundle(entry: string) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../${entry}`, import.meta.url))],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  return { inputs, code: result.outputFiles[0]!.text };
}

describe("txgate/browser", () => {
  it("bundles only the browser client: no vendor module, no core send loop, no vendor library", async () => {
    const { inputs } = await bundle("src/browser/index.ts");
    expect(inputs.filter((path) => !path.startsWith("src/browser/"))).toEqual([]);
  });

  it("holds no vendor endpoint or credential header, in the source's bundle or the published file", async () => {
    const { code } = await bundle("src/browser/index.ts");
    const published = readFileSync(new URL("../../dist/src/browser/index.js", import.meta.url), "utf8");
    for (const vendorWord of ["listmonk", "actonsoftware", "everlytic", "esv2", "/api/tx", "ApiKey", "Basic "]) {
      expect(code).not.toContain(vendorWord);
      expect(published).not.toContain(vendorWord);
    }
  });

  it("is published as one file: bundling it again reads that file alone", async () => {
    const { inputs } = await bundle("dist/src/browser/index.js");
    expect(inputs).toEqual(["dist/src/browser/index.js"]);
  });

  it("would show a vendor module if one crept in (the check can fail)", async () => {
    const { inputs } = await bundle("src/listmonk/index.ts");
    expect(inputs.some((path) => path.startsWith("src/listmonk/"))).toBe(true);
  });
});
