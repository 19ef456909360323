// Makes sure Debian's Chromium is at /usr/bin/chromium for the demo page's end-to-end test (test/e2e/demo.test.ts,
// driven by playwright-core, which brings no browser of its own). `npm test` runs this before vitest. Already
// installed: nothing to do. Missing: apt-get installs it when this runs as root (as CI does); otherwise this fails
// and says what to run, since the test must not quietly skip.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";

if (!existsSync(CHROMIUM)) {
  if (process.platform !== "linux" || !existsSync("/usr/bin/apt-get")) {
    fail(`${CHROMIUM} is missing, and this is not a Debian-like system with apt-get. The demo's end-to-end test needs Chromium there.`);
  }
  if (process.getuid?.() !== 0) {
    fail(`${CHROMIUM} is missing. Install it once with: sudo apt-get update && sudo apt-get install -y chromium`);
  }
  console.log("ensure-chromium: installing Debian's chromium for the demo's end-to-end test…");
  const started = performance.now();
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env });
  } catch (error) {
    fail(`apt-get could not install chromium (${error.message}); see its output above.`);
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing.`);
  console.log(`ensure-chromium: installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}
