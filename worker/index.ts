/**
 * The txgate worker: frontends send email through it, and no token or API key ever reaches a browser. This file
 * is the router: every route and its gates, in the order they run. Each gate throws a `Refusal` that becomes one
 * `application/problem+json` answer here; no vendor is called until every gate has passed.
 *
 *   POST    /v1/actions           browsers: a named action, {action, variables, recipient}
 *   OPTIONS /v1/actions           CORS preflight
 *   POST    /v1/send/{vendor}     trusted servers: the library client's send input, with a caller key
 *   GET     /sandbox              sandbox mode, on a loopback host only: the outbox page
 *   GET     /sandbox/messages     … the outbox as JSON (DELETE clears it)
 *   *       /sandbox/{vendor}/…   … each sandbox vendor's own HTTP API
 *   GET     /demo                 … a contact form sent with the browser client (and /demo/*.js, its scripts)
 */
import type { Outcome } from "../src/core/public.ts";
import { actions } from "./actions.ts";
import { consumeQueue } from "./delivery/consumer.ts";
import { dispatchSend } from "./delivery/dispatch.ts";
import { browserScope, messageStatus } from "./delivery/messages-route.ts";
import { queuedViews, sandboxDelivery } from "./delivery/sandbox-delivery.ts";
import { decodeAttachments } from "./binary-fields.ts";
import { loadConfig, type Config, type Env } from "./env.ts";
import { readJsonBody } from "./gates/body-limit.ts";
import { authenticateCaller, requireVendorAllowed } from "./gates/caller-key.ts";
import { checkHeaderText } from "./gates/header-text.ts";
import { bearerToken, verifyJwt, type VerifiedUser } from "./gates/jwt.ts";
import { refuseMarkup } from "./gates/markup.ts";
import { preflight, refuseBrowsers, requireAllowedOrigin, withCors } from "./gates/origin-cors.ts";
import { clientIp, ipRateKey, limitRate } from "./gates/rate-limit.ts";
import { verifyTurnstile } from "./gates/turnstile.ts";
import { RequestLog } from "./log.ts";
import { serveDemo } from "./pages/demo.ts";
import { outboxPage } from "./pages/outbox.ts";
import { parseActionCall, parseVariables, resolveRecipient, type Action } from "./policy.ts";
import { outcomeProblem, problemResponse, Refusal, type Audience } from "./problem.ts";
import { outbox, serveSandboxApi } from "./sandbox/index.ts";
import { isVendorName, vendorClient } from "./vendors.ts";

// The account Durable Object (one per vendor account), bound as VENDOR_ACCOUNTS in wrangler.toml.
export { VendorAccount } from "./durable/account.ts";

// Durable Objects are exported by the main module, as Workers require.
export { IdempotencyLedgerObject } from "./delivery/idempotency-ledger.ts";
export { MessageObject } from "./delivery/message-state.ts";

export default {
  /** The send queue and its dead-letter queue (worker/delivery/consumer.ts). */
  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    await consumeQueue(batch, env);
  },
  async fetch(request: Request, env: Env): Promise<Response> {
    const log = new RequestLog(request);
    const response = await answer(log, () => {
      const config = loadConfig(env);
      log.redactor = config.redactor;
      return route(request, env, config, log);
    });
    log.write(response);
    return response;
  },
};

async function route(request: Request, env: Env, config: Config, log: RequestLog): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/v1/actions") {
    // CORS headers go on every answer to an allowed origin, refusals included, so the page can read why.
    return withCors(await answer(log, () => browserAction(request, env, config, log)), request, config.origins);
  }
  const message = /^\/v1\/messages\/([^/]+)$/.exec(pathname);
  if (message) return messageStatus(request, env, config, config.callerKeys, message[1]!);
  // The local sandbox's delivery views: the outbox page with queued messages' states, and the 429/500/503 switch.
  if ((pathname === "/sandbox" && request.method === "GET") || pathname === "/sandbox/failures" || pathname === "/sandbox/queued") {
    if (!isLocalSandbox(request, config)) throw new Refusal("not_found", "no such route");
    return pathname === "/sandbox" ? outboxPage(outbox.list(), await queuedViews(env)) : sandboxDelivery(request, env, pathname);
  }
  const send = /^\/v1\/send\/([^/]+)$/.exec(pathname);
  if (send) return callerSend(request, env, config, log, send[1]!);
  if (pathname === "/sandbox" || pathname.startsWith("/sandbox/")) return sandbox(request, config, pathname);
  if (pathname === "/demo" || pathname.startsWith("/demo/")) return demo(request, config, pathname);
  if (pathname === "/") {
    allowMethods(request, ["GET"]);
    return new Response("txgate: POST /v1/actions (browsers), POST /v1/send/{vendor} (servers)\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  throw new Refusal("not_found", "no such route");
}

/** Browsers: origin → body cap → action → auth and rate limit → recipient rule → header text → plain text → variables → send. */
async function browserAction(request: Request, env: Env, config: Config, log: RequestLog): Promise<Response> {
  if (request.method === "OPTIONS") return preflight(request, config.origins);
  allowMethods(request, ["POST", "OPTIONS"]);
  requireAllowedOrigin(request, config.origins);
  const body = await readJsonBody(request, config.maxBodyBytes.browser);
  const call = parseActionCall(body, actions);
  log.set({ action: call.name });
  const user = await authenticateBrowser(request, env, config, call.action);
  const recipient = resolveRecipient(call.action.recipient, call.recipient, user);
  checkHeaderText({ recipient, variables: call.variables }, { multiline: (call.action.multiline ?? []).map((name) => `variables.${name}`) });
  refuseMarkup({ variables: call.variables });
  const variables = parseVariables(call);
  const { send } = call.action;
  log.set({ vendor: send.vendor, template: send.template });
  const message = send.build({ recipient, variables });
  return dispatchSend(request, env, config, {
    scope: browserScope(user, request),
    audience: "browser",
    vendor: send.vendor,
    identity: { action: call.name, recipient: call.recipient, variables: call.variables },
    queued: { body: message, decode: false },
    sendNow: () => vendorClient(config, send.vendor).send(message),
    respond: (outcome) => outcomeResponse(outcome, "browser", config, log),
  });
}

/** Signed-in users by JWT, then limited per user; anonymous forms limited per IP, then Turnstile. */
async function authenticateBrowser(request: Request, env: Env, config: Config, action: Action): Promise<VerifiedUser | undefined> {
  if (action.auth === "jwt") {
    const user = await verifyJwt(bearerToken(request), config.jwt);
    await limitRate(env.BROWSER_RATE_LIMIT, `user:${user.subject}`);
    return user;
  }
  const ip = clientIp(request);
  await limitRate(env.BROWSER_RATE_LIMIT, ipRateKey(ip));
  await verifyTurnstile(request.headers.get("x-turnstile-token"), {
    secret: config.turnstile.secret,
    verifyUrl: config.turnstile.verifyUrl,
    remoteIp: ip,
    hostnames: new Set([...config.origins].map((origin) => new URL(origin).hostname)),
    action: action.turnstileAction,
    localStandIn: isLocalSandbox(request, config),
  });
  return undefined;
}

/** Trusted servers: method → not a browser → caller key → vendor allowed → rate limit → body cap → send. */
async function callerSend(request: Request, env: Env, config: Config, log: RequestLog, vendor: string): Promise<Response> {
  allowMethods(request, ["POST"]);
  refuseBrowsers(request);
  const caller = await authenticateCaller(request, config.callerKeys);
  log.set({ caller: caller.id });
  if (!isVendorName(vendor)) throw new Refusal("not_found", "no such vendor");
  log.set({ vendor });
  requireVendorAllowed(caller, vendor);
  await limitRate(env.CALLER_RATE_LIMIT, `caller:${caller.id}`);
  const body = await readJsonBody(request, config.maxBodyBytes.caller);
  const message = decodeAttachments(vendor, body);
  return dispatchSend(request, env, config, {
    scope: `caller:${caller.id}`,
    audience: "caller",
    vendor,
    identity: body,
    queued: { body, decode: true },
    sendNow: () => vendorClient(config, vendor).send(message),
    respond: (outcome) => outcomeResponse(outcome, "caller", config, log),
  });
}

/** The sandbox's own pages and vendor APIs: only in sandbox mode, and only on a loopback host. */
async function sandbox(request: Request, config: Config, pathname: string): Promise<Response> {
  if (!isLocalSandbox(request, config)) throw new Refusal("not_found", "no such route");
  if (pathname === "/sandbox") {
    allowMethods(request, ["GET"]);
    return outboxPage(outbox.list());
  }
  if (pathname === "/sandbox/messages") {
    allowMethods(request, ["GET", "DELETE"]);
    if (request.method === "DELETE") outbox.clear();
    return Response.json({ messages: outbox.list() }, { headers: { "cache-control": "no-store" } });
  }
  const api = /^\/sandbox\/([a-z]+)(\/.*)$/.exec(pathname);
  if (api && isVendorName(api[1]!)) return serveSandboxApi(request, api[1], api[2]!);
  throw new Refusal("not_found", "no such sandbox route");
}

/** The demo page and its scripts: like the sandbox, only in sandbox mode and only on a loopback host. */
function demo(request: Request, config: Config, pathname: string): Response {
  if (!isLocalSandbox(request, config)) throw new Refusal("not_found", "no such route");
  allowMethods(request, ["GET"]);
  return serveDemo(pathname);
}

/**
 * Local development: sandbox mode (no vendor credentials at all) and a loopback host name. A deployed worker
 * is reached by its own host name, so neither the outbox nor the Turnstile stand-in can be reached there.
 */
function isLocalSandbox(request: Request, config: Config): boolean {
  const { hostname } = new URL(request.url);
  return config.mode === "sandbox" && (hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname));
}

function allowMethods(request: Request, methods: readonly string[]): void {
  if (!methods.includes(request.method)) {
    throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: methods.join(", ") } });
  }
}

/** A sent message, or the problem for a failed send. */
function outcomeResponse(outcome: Outcome<unknown>, audience: Audience, config: Config, log: RequestLog): Response {
  log.set({ outcome: outcome.kind, attempts: outcome.attempts });
  if (!outcome.ok) {
    // The library already redacts its own credentials; the worker's redactor knows every secret of the deployment.
    return problemResponse(config.redactor.value(outcomeProblem(outcome, audience)));
  }
  const sent = audience === "browser" ? { ok: true, kind: "sent" } : config.redactor.value({ ok: true, kind: "sent", vendor: outcome.vendor, status: outcome.status, attempts: outcome.attempts, data: outcome.data });
  return Response.json(sent, { headers: { "cache-control": "no-store" } });
}

/** Runs a handler; a `Refusal` becomes its problem, anything else an `internal` problem that is logged, not shown. */
async function answer(log: RequestLog, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof Refusal) {
      log.set({ kind: error.problem.kind, ...error.log });
      return problemResponse(error.problem, error.headers);
    }
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    log.set({ kind: "internal", error: `${name}: ${message}`.slice(0, 300) });
    // Whether the vendor was called before the failure is not known here.
    return problemResponse({ ...new Refusal("internal", "the worker failed unexpectedly").problem, delivery: "unknown" });
  }
}
