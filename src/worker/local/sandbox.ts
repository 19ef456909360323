/**
 * A sandbox any deployment can use: txgate/testing's sandbox fakes recording into an outbox, and the local pages
 * that show it. The fakes load on the first sandbox send, so a deployed Worker that never runs in sandbox mode
 * never loads them (nor their spec validator).
 */
import type { VendorName } from "../../core/public.ts";
import type { VendorFake } from "../../testing/fake.ts";
import { SANDBOX_SETTINGS } from "../../testing/sandbox-settings.ts";
import { Refusal } from "../problem.ts";
import { allowMethods } from "../router.ts";
import type { SandboxVendor, WorkerSandbox } from "../sandbox.ts";
import { outboxPage, queuedViews } from "./outbox-page.ts";
import { Outbox } from "./outbox.ts";

/**
 * A sandbox for `createTxgateWorker`: every vendor answered by a fake, each message kept in this isolate's memory
 * and shown at `GET /sandbox` (the outbox page; `GET /sandbox/messages` as JSON, `DELETE` clears it). Used only when
 * the Worker runs with `SANDBOX=true` and no vendor credentials, and its pages only on a loopback host.
 *
 * @example
 * import { createLocalSandbox, createTxgateWorker } from "txgate/worker";
 * import { actions } from "./actions.ts";
 * export default createTxgateWorker({ actions, sandbox: createLocalSandbox() });
 */
export function createLocalSandbox(): WorkerSandbox {
  const outbox = new Outbox();
  let fakes: Promise<{ readonly [V in VendorName]: VendorFake }> | undefined;
  const loadFakes = () => (fakes ??= import("../../testing/sandbox.ts").then(({ createSandboxFakes }) => createSandboxFakes({ onMessage: (message) => outbox.record(message) })));
  const vendor = <V extends VendorName>(name: V): SandboxVendor<V> => ({
    settings: SANDBOX_SETTINGS[name],
    fetch: async (request) => (await loadFakes())[name].fetch(request),
  });
  // Every vendor txgate/testing has a fake of; the worker uses those it serves.
  const vendors = Object.fromEntries((Object.keys(SANDBOX_SETTINGS) as VendorName[]).map((name) => [name, vendor(name)])) as WorkerSandbox["vendors"];
  return {
    vendors,
    async serveLocal(request, env, pathname) {
      if (pathname === "/sandbox" || pathname === "/sandbox/") {
        allowMethods(request, ["GET"]);
        return outboxPage(outbox.list(), await queuedViews(env));
      }
      if (pathname === "/sandbox/messages") {
        allowMethods(request, ["GET", "DELETE"]);
        if (request.method === "DELETE") outbox.clear();
        return Response.json({ messages: outbox.list() }, { headers: { "cache-control": "no-store" } });
      }
      throw new Refusal("not_found", "no such sandbox route");
    },
  };
}
