/**
 * This deployment's local pages, served only in sandbox mode on a loopback host (the package's router checks
 * both before calling `serveLocal`):
 *
 *   GET     /                     the index: what runs here, and links to the demo, the outbox and the docs
 *   GET     /sandbox              the outbox page, with the queued messages' states
 *   GET     /sandbox/messages     the outbox as JSON (DELETE clears it)
 *   *       /sandbox/failures     the switch that makes the sandbox vendors answer 429, 500 or 503
 *   GET     /sandbox/queued       the queued messages' states (JSON); /sandbox/receipts: what the vendors accepted
 *   *       /sandbox/{vendor}/…   each sandbox vendor's own HTTP API
 *   GET     /demo                 a contact form sent with the browser client (and /demo/*.js, its scripts)
 *
 * `/demo/` and `/sandbox/` lead to `/demo` and `/sandbox`: a person adds the slash as often as not.
 */
import { isVendorName } from "../../src/vendors/registry.ts";
import type { Env } from "../../src/worker/env.ts";
import { Refusal } from "../../src/worker/problem.ts";
import { allowMethods } from "../../src/worker/router.ts";
import { sandboxDelivery } from "../delivery/sandbox-delivery.ts";
import { outbox, serveSandboxApi } from "../sandbox/index.ts";
import { serveDemo } from "./demo.ts";
import { homePage } from "./home.ts";
import { outboxPage, queuedViews } from "../../src/worker/local/outbox-page.ts";

/**
 * The answer to a local page's request.
 *
 * @example
 * createTxgateWorker({ actions, sandbox: { vendors, serveLocal } });
 */
export async function serveLocal(request: Request, env: Env, pathname: string): Promise<Response> {
  if (pathname === "/") {
    allowMethods(request, ["GET"]);
    return homePage();
  }
  if (pathname === "/demo/" || pathname === "/sandbox/") {
    // 308 keeps the method, so a mistyped POST or DELETE is refused by the page itself, not turned into a GET.
    return new Response(null, { status: 308, headers: { location: pathname.slice(0, -1) } });
  }
  if (pathname === "/demo" || pathname.startsWith("/demo/")) {
    allowMethods(request, ["GET"]);
    return serveDemo(pathname);
  }
  if (pathname === "/sandbox") {
    allowMethods(request, ["GET"]);
    return outboxPage(outbox.list(), await queuedViews(env));
  }
  if (["/sandbox/failures", "/sandbox/queued", "/sandbox/receipts"].includes(pathname)) return sandboxDelivery(request, env, pathname);
  if (pathname === "/sandbox/messages") {
    allowMethods(request, ["GET", "DELETE"]);
    if (request.method === "DELETE") outbox.clear();
    return Response.json({ messages: outbox.list() }, { headers: { "cache-control": "no-store" } });
  }
  const api = /^\/sandbox\/([a-z]+)(\/.*)$/.exec(pathname);
  if (api && isVendorName(api[1]!)) return serveSandboxApi(request, api[1], api[2]!);
  throw new Refusal("not_found", "no such sandbox route");
}
