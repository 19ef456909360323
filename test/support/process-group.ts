/**
 * Stopping a `wrangler dev` the tests started (spawned `detached`, so it leads a process group with its workerd
 * child): the whole group gets SIGTERM, then SIGKILL if it has not exited within `graceMs`.
 */
import type { ChildProcess } from "node:child_process";

export async function stopProcessGroup(child: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs))]);
  if (!stopped) process.kill(-child.pid, "SIGKILL");
}
