/**
 * The txgate worker's handler: frontends send email through it, and no token or API key ever reaches a browser.
 * This file is the router: every route and its gates, in the order they run. Each gate throws a `Refusal` that becomes one
 * `application/problem+json` answer here; no vendor is called until every gate has passed.
 *
 *   POST    /v1/actions           browsers: a named action, {action, variables, recipient}
 *   OPTIONS /v1/actions           CORS preflight
 *   POST    /v1/send/{vendor}     trusted servers: the library client's send input, with a caller key
 *   POST    /v1/send/{vendor}/batch  trusted servers: up to 100 of those, each answered as if sent alone
 *   GET     /v1/messages/{id}     a queued message's state, for the caller or user that queued it
 *   DELETE  /v1/messages/{id}     cancels a queued or scheduled message that has not started
 *   GET     /v1/messages          trusted servers: their queued messages by state, newest first, a page at a time
 *   POST    /v1/messages/{id}/retry  trusted servers: sends a failed (or, accepting the risk, unknown) message again
 *   GET     /v1/health            operators (OPERATOR_KEYS): each vendor's mode and last outcomes, the queue's counts
 *   POST    /v1/events/{vendor}   a vendor's delivery events (webhook, basic auth), attached to our messages
 *   *       /sandbox/…, /demo/…   sandbox mode (SANDBOX=true), on a loopback host only: the deployment's local
 *                                 pages (`sandbox.serveLocal`: the outbox, the sandbox vendors' APIs, a demo form)
 *   GET     /                     a one-line index; in sandbox mode on a loopback host, the local pages' own index
 *                                 when they have one
 */
import type { VendorName } from "../core/public.ts";
import { consumeQueue } from "./delivery/consumer.ts";
import { dispatchSend, idempotencyKey, prefersAsync } from "./delivery/dispatch.ts";
import { listMessages, retryMessage } from "./delivery/failures-route.ts";
import { deliveryEventsRoute, type Background, type DeliveryEventHook } from "./delivery/delivery-events.ts";
import { browserScope, messageStatus } from "./delivery/messages-route.ts";
import { batchSize, sendBatch } from "./batch-send.ts";
import { answerResponse } from "./delivery/send-answer.ts";
import { actionJob, nativeJob, type SendProgress } from "./delivery/send-job.ts";
import { actionSendAt, headerSendAt } from "./delivery/send-at.ts";
import { loadConfig, type CallerKey, type Config, type Env, type RateLimiter } from "./env.ts";
import { CALLER_MAX_NESTING, readJsonBody } from "./gates/body-limit.ts";
import { authenticateCaller, LOCAL_SANDBOX_CALLER, requireVendorAllowed } from "./gates/caller-key.ts";
import { refuseRepeatedCredentials } from "./gates/credential-headers.ts";
import { HEADER_TEXT } from "./gates/header-text.ts";
import type { VerifiedUser } from "./gates/jwt.ts";
import { isLoopbackRequest } from "./gates/loopback.ts";
import { PLAIN_TEXT } from "./gates/markup.ts";
import { preflight, refuseBrowsers, requireAllowedOrigin, withCors } from "./gates/origin-cors.ts";
import { clientIp, ipRateKey, limitRate } from "./gates/rate-limit.ts";
import { authenticateUser } from "./gates/signed-in-user.ts";
import { noTemplateTags } from "./gates/template-tags.ts";
import { passTextGates } from "./gates/walk.ts";
import { releaseTurnstileToken, verifyTurnstile } from "./gates/turnstile.ts";
import { healthRoute, LOCAL_SANDBOX_OPERATOR } from "./health.ts";
import { RequestLog } from "./log.ts";
import { actionVendors, parseActionCall, parseVariables, resolveRecipient, type Action } from "./policy.ts";
import { problemResponse, Refusal } from "./problem.ts";
import type { WorkerSandbox } from "./sandbox.ts";
import { isServedVendor, vendorClient } from "./vendors.ts";
import type { AnyVendorDescriptor } from "../vendors/descriptor.ts";

/** What the router serves: a deployment's actions, its vendors and its sandbox. */
export interface Deployment {
  readonly actions: Readonly<Record<string, Action>>;
  readonly vendors: readonly AnyVendorDescriptor[];
  readonly sandbox?: WorkerSandbox;
  /** Gets each delivery event attached to one of the deployment's messages. */
  readonly onEvent?: DeliveryEventHook;
}

/**
 * A Worker's handler: the HTTP routes and the send queue's consumer.
 *
 * @example
 * const worker: WorkerHandler = createTxgateWorker({ actions });
 * export default worker;
 */
export interface WorkerHandler {
  /** Answers an HTTP request: the actions, the trusted send route, a queued message's state, a vendor's events. */
  fetch(request: Request, env: Env, ctx?: Background): Promise<Response>;
  /** Consumes the send queue and its dead-letter queue. */
  queue(batch: MessageBatch<unknown>, env: Env, ctx?: Background): Promise<void>;
}

/**
 * The handler for `deployment`.
 *
 * @example
 * export default createHandler({ actions });
 */
export function createHandler(deployment: Deployment): WorkerHandler {
  return {
    /** The send queue and its dead-letter queue (delivery/consumer.ts). */
    async queue(batch, env) {
      await consumeQueue(batch, env, deployment);
    },
    async fetch(request, env, ctx) {
      const log = new RequestLog(request);
      const progress: SendProgress = { vendorCalled: false };
      let sandbox = false;
      const response = await answer(log, progress, () => {
        const config = loadConfig(env, deployment.sandbox, deployment.vendors);
        log.redactor = config.redactor;
        sandbox = config.mode === "sandbox";
        return route(deployment, request, env, config, log, progress, ctx ?? {});
      });
      log.write(response);
      return sandbox ? markSandbox(response) : response;
    },
  };
}

/** Every answer of a worker in sandbox mode says so, so no sandbox send is ever taken for a delivery. */
function markSandbox(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("txgate-sandbox", "true");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function route(deployment: Deployment, request: Request, env: Env, config: Config, log: RequestLog, progress: SendProgress, background: Background): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/v1/actions") {
    // CORS headers go on every answer to an allowed origin, refusals included, so the page can read why.
    return withCors(await answer(log, progress, () => browserAction(deployment, request, env, config, log, progress)), request, config.origins);
  }
  const message = /^\/v1\/messages\/([^/]+)$/.exec(pathname);
  if (message) return messageStatus(request, env, config, isLocalSandbox(request, config) ? [...(config.callerKeys ?? []), { ...LOCAL_SANDBOX_CALLER, vendors: config.served.names }] : config.callerKeys, message[1]!);
  if (pathname === "/v1/messages") return listMessages(request, env, trustedKeys(request, config));
  if (pathname === "/v1/health") return healthRoute(request, env, config, isLocalSandbox(request, config) ? [...(config.operatorKeys ?? []), LOCAL_SANDBOX_OPERATOR] : config.operatorKeys);
  const retry = /^\/v1\/messages\/([^/]+)\/retry$/.exec(pathname);
  if (retry) return retryMessage(request, env, config, trustedKeys(request, config), retry[1]!);
  const send = /^\/v1\/send\/([^/]+)$/.exec(pathname);
  if (send) return callerSend(deployment, request, env, config, log, progress, send[1]!);
  const events = /^\/v1\/events\/([^/]+)$/.exec(pathname);
  if (events) return deliveryEventsRoute(request, env, config, log, events[1]!, background, deployment.onEvent);
  const batch = /^\/v1\/send\/([^/]+)\/batch$/.exec(pathname);
  if (batch) return callerBatch(deployment, request, env, config, log, progress, batch[1]!);
  if (["/sandbox", "/demo"].some((page) => pathname === page || pathname.startsWith(`${page}/`))) {
    // The local pages: only in sandbox mode, and only on a loopback host.
    const serveLocal = deployment.sandbox?.serveLocal;
    if (!serveLocal || !isLocalSandbox(request, config)) throw new Refusal("not_found", "no such route");
    return serveLocal(request, env, pathname);
  }
  if (pathname === "/") {
    allowMethods(request, ["GET"]);
    const serveLocal = deployment.sandbox?.serveLocal;
    if (serveLocal && isLocalSandbox(request, config)) {
      const page = await localIndex(serveLocal, request, env);
      if (page) return page;
    }
    return new Response("txgate: POST /v1/actions (browsers), POST /v1/send/{vendor} (servers)\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  throw new Refusal("not_found", "no such route");
}

/** The deployment's local index page, or `undefined` when its local pages have none (the one-line index then stands). */
async function localIndex(serveLocal: NonNullable<WorkerSandbox["serveLocal"]>, request: Request, env: Env): Promise<Response | undefined> {
  try {
    return await serveLocal(request, env, "/");
  } catch (error) {
    if (error instanceof Refusal && error.problem.kind === "not_found") return undefined;
    throw error;
  }
}

/**
 * Browsers: origin → single credentials → body cap → action → auth and rate limits → recipient rule → header text
 * → plain text → no template tags (of every vendor the template may go to) → variables → the job, sent or queued
 * (delivery/dispatch.ts) → a Turnstile token given back when nothing was sent and a retry may help.
 */
async function browserAction(deployment: Deployment, request: Request, env: Env, config: Config, log: RequestLog, progress: SendProgress): Promise<Response> {
  if (request.method === "OPTIONS") return preflight(request, config.origins);
  allowMethods(request, ["POST", "OPTIONS"]);
  requireAllowedOrigin(request, config.origins);
  refuseRepeatedCredentials(request);
  const body = await readJsonBody(request, config.maxBodyBytes.browser);
  const call = parseActionCall(body, deployment.actions);
  log.set({ action: call.name });
  const user = await authenticateBrowser(request, env, config, call.name, call.action);
  const recipient = resolveRecipient(call.action.recipient, call.recipient, user);
  // The three text gates share one walk over the strings; each refuses as if it walked alone, in this order.
  const textGates = [HEADER_TEXT, PLAIN_TEXT, ...actionVendors(call.action).map((vendor) => noTemplateTags(config.served.get(vendor)?.evaluatedSyntax))];
  passTextGates({ recipient, variables: call.variables }, textGates, { multiline: (call.action.multiline ?? []).map((name) => `variables.${name}`) });
  // Checked once, here: the job carries the schema's output, and the catalogue send takes it as checked.
  const variables = parseVariables(call);
  log.set({ template: call.action.template });
  const sendAt = actionSendAt(call);
  const job = actionJob(call.name, call.action, recipient, variables);
  const identity = { action: call.name, recipient: call.recipient, variables: call.variables };
  const { answer, outcome } = await dispatchSend(
    env,
    config,
    { scope: browserScope(user, request), job, identity, idempotencyKey: idempotencyKey(request), async: prefersAsync(request), ...(sendAt ? { sendAt } : {}) },
    { actions: deployment.actions, log, progress },
  );
  // A send that reached no one and invites a retry gives its Turnstile token back, or that retry would be a replay.
  if (call.action.auth === "turnstile" && outcome && !outcome.ok && outcome.retryable && outcome.delivery === "not_sent") {
    releaseTurnstileToken(request.headers.get("x-turnstile-token") ?? "");
  }
  return answerResponse(answer);
}

/**
 * Signed-in users by JWT, then limited per user (an address whose tokens keep failing is refused before its next
 * signature check); anonymous forms limited per IP, then Turnstile.
 */
async function authenticateBrowser(request: Request, env: Env, config: Config, name: string, action: Action): Promise<VerifiedUser | undefined> {
  const ip = clientIp(request);
  if (action.auth === "jwt") {
    const user = await authenticateUser(request, env.BROWSER_RATE_LIMIT, config.jwt);
    await limitRate(env.BROWSER_RATE_LIMIT, `user:${user.subject}`);
    await limitAction(env, name, action, `user:${user.subject}`);
    return user;
  }
  await limitRate(env.BROWSER_RATE_LIMIT, ipRateKey(ip));
  await limitAction(env, name, action, ipRateKey(ip));
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

/**
 * The action's own rate limit, when it has one: its binding, counted per caller (`who`) or for the whole action.
 * A binding the deployment named but did not bind fails closed.
 */
async function limitAction(env: Env, name: string, action: Action, who: string): Promise<void> {
  if (!action.rateLimit) return;
  const limiter = (env as unknown as Record<string, unknown>)[action.rateLimit.binding] as RateLimiter | undefined;
  if (typeof limiter?.limit !== "function") throw new Refusal("not_configured", `action ${name} is limited by a rate limiting binding this worker lacks: add a [[ratelimits]] binding of the name its rateLimit gives to wrangler.toml`);
  await limitRate(limiter, action.rateLimit.per === "action" ? `action:${name}` : `action:${name}:${who}`);
}

/**
 * Trusted servers: method → not a browser → single credentials → caller key → vendor allowed → rate limit → body
 * cap and depth → the job (attachments decoded once) → sent or queued. Locally (sandbox mode, loopback host) the
 * documented local key works too.
 */
async function callerSend(deployment: Deployment, request: Request, env: Env, config: Config, log: RequestLog, progress: SendProgress, vendorInPath: string): Promise<Response> {
  const { caller, vendor } = await authenticateTrusted(request, config, log, vendorInPath);
  await limitRate(env.CALLER_RATE_LIMIT, `caller:${caller.id}`);
  const body = await readJsonBody(request, config.maxBodyBytes.caller, CALLER_MAX_NESTING);
  const job = nativeJob(config, vendor, body);
  const sendAt = headerSendAt(request);
  const { answer } = await dispatchSend(
    env,
    config,
    { scope: `caller:${caller.id}`, job, identity: body, idempotencyKey: idempotencyKey(request), async: prefersAsync(request), ...(sendAt ? { sendAt } : {}) },
    { actions: deployment.actions, log, progress },
  );
  return answerResponse(answer);
}

/**
 * Trusted servers' batches: the single route's gates up to the vendor → the vendor configured → body cap and
 * depth → no per-item header, the batch's size → the rate limit counting each message, not the request → every
 * item checked → each sent or queued as it would be alone (batch-send.ts).
 */
async function callerBatch(deployment: Deployment, request: Request, env: Env, config: Config, log: RequestLog, progress: SendProgress, vendorInPath: string): Promise<Response> {
  const { caller, vendor } = await authenticateTrusted(request, config, log, vendorInPath);
  // The envelope adds two levels ({"messages": [{"message": …}]}) to what one message may nest.
  const body = await readJsonBody(request, config.maxBodyBytes.caller, CALLER_MAX_NESTING + 2);
  const client = vendorClient(config, vendor);
  log.set({ batch: Array.isArray((body as { messages?: unknown } | null)?.messages) ? (body as { messages: unknown[] }).messages.length : undefined });
  const count = batchSize(request, body);
  // Counted per message, before any is sent: a batch over the caller's limit is refused whole.
  for (let index = 0; index < count; index++) await limitRate(env.CALLER_RATE_LIMIT, `caller:${caller.id}`);
  const { response, statuses } = await sendBatch(request, env, config, body, { scope: `caller:${caller.id}`, vendor, client, actions: deployment.actions, progress });
  log.set({ statuses });
  return response;
}

/** The trusted routes' gates before the body: method → not a browser → single credentials → caller key → vendor allowed. */
async function authenticateTrusted(request: Request, config: Config, log: RequestLog, vendor: string): Promise<{ caller: CallerKey; vendor: VendorName }> {
  allowMethods(request, ["POST"]);
  refuseBrowsers(request);
  refuseRepeatedCredentials(request);
  const keys = isLocalSandbox(request, config) ? [...(config.callerKeys ?? []), { ...LOCAL_SANDBOX_CALLER, vendors: config.served.names }] : config.callerKeys;
  const caller = await authenticateCaller(request, keys);
  log.set({ caller: caller.id });
  if (!isServedVendor(config, vendor)) throw new Refusal("not_found", "no such vendor");
  log.set({ vendor });
  requireVendorAllowed(caller, vendor);
  return { caller, vendor };
}

/**
 * Local development: sandbox mode (no vendor credentials, SANDBOX=true) and a request to a loopback host, by a
 * command-line client or a page on a loopback origin (gates/loopback.ts). A deployed worker is reached by its
 * own host name, so neither the outbox, the Turnstile stand-in nor the local caller key can be reached there.
 */
export function isLocalSandbox(request: Request, config: Config): boolean {
  return config.mode === "sandbox" && isLoopbackRequest(request);
}

/** The caller keys a trusted route accepts: the configured ones, and locally the documented local key too. */
function trustedKeys(request: Request, config: Config): readonly CallerKey[] | undefined {
  return isLocalSandbox(request, config) ? [...(config.callerKeys ?? []), LOCAL_SANDBOX_CALLER] : config.callerKeys;
}

export function allowMethods(request: Request, methods: readonly string[]): void {
  if (!methods.includes(request.method)) {
    throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: methods.join(", ") } });
  }
}

/**
 * Runs a handler; a `Refusal` becomes its problem, anything else an `internal` problem that is logged, not shown,
 * and says `not_sent` unless a vendor client had been asked to send.
 */
async function answer(log: RequestLog, progress: SendProgress, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof Refusal) {
      log.set({ kind: error.problem.kind, ...error.log });
      return problemResponse(error.problem, error.headers);
    }
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    log.set({ kind: "internal", error: `${name}: ${message}`.slice(0, 300) });
    // Once the vendor client was asked to send, whether it did is not known here; before that, nothing was sent.
    return problemResponse({ ...new Refusal("internal", "the worker failed unexpectedly").problem, delivery: progress.vendorCalled ? "unknown" : "not_sent" });
  }
}
