// What every bench that runs `wrangler dev` needs: a free loopback port, and to know when the worker answers.
import { createServer } from "node:net";

/**
 * A port free on 127.0.0.1 at the moment of asking.
 *
 * @example
 * const port = await freePort();
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Resolves once `base`'s `/` has answered for `steadyMs` in a row (`wrangler dev` may reload once more just after it
 * first answers); throws if `wrangler` exits first or `timeoutMs` passes.
 *
 * @example
 * await waitUntilReady(wrangler, `http://127.0.0.1:${port}`);
 */
export async function waitUntilReady(wrangler, base, { steadyMs = 3000, timeoutMs = 90_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let answeringSince;
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.exitCode})`);
    let ok = false;
    try {
      ok = (await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      // Not listening yet.
    }
    if (!ok) answeringSince = undefined;
    else if ((answeringSince ??= Date.now()) <= Date.now() - steadyMs) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not start within ${timeoutMs / 1000} s`);
}

/**
 * Signals `wrangler dev` and its workerd child (the whole process group: wrangler is spawned `detached`); one
 * already gone is not an error.
 *
 * @example
 * process.on("exit", () => signalGroup(wrangler));
 */
export function signalGroup(child, signal = "SIGTERM") {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
