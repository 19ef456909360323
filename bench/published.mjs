// txgate as a user gets it: `npm pack` of the dist/ that `npm run build` wrote, installed with `npm install` into
// a scratch project the bench owns (its libraries, valibot the peer included, resolved by npm into that project's
// node_modules), beside the peers it is compared with. A peer that cannot be installed is reported as "not
// installed" and left out; nothing is added to the repo's own dependencies.
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../", import.meta.url));
/** The peers, at the versions the issue measured; npm resolves each from the registry. */
export const PEERS = { "openapi-fetch": "0.17", resend: "6.38", postmark: "5.1" };

const install = (dir, specs) =>
  run("npm", ["install", ...specs, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: dir, timeout: 180_000 });

/** Returns `{ dir, txgateVersion, peers: { name: version | "not installed" } }`. */
export async function installPublished() {
  const dir = await mkdtemp(join(tmpdir(), "txgate-bench-published-"));
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root });
  const tarball = join(dir, JSON.parse(stdout)[0].filename);
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "txgate-bench", private: true, type: "module" }));
  await install(dir, [tarball]);
  const peers = {};
  for (const [name, version] of Object.entries(PEERS)) {
    try {
      await install(dir, [`${name}@${version}`]);
      peers[name] = (await import(join(dir, "node_modules", name, "package.json"), { with: { type: "json" } })).default.version;
    } catch {
      peers[name] = "not installed";
    }
  }
  return { dir, peers };
}
