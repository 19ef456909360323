/**
 * `GET /v1/messages/{id}`: a queued message's state and history, never its content; `DELETE /v1/messages/{id}`:
 * cancels it if it has not started. Both only for whoever queued it: the same caller key id, the same signed-in
 * user, or (anonymous forms) the same address.
 */
import type { CallerKey, Config, Env } from "../env.ts";
import { authenticateCaller } from "../gates/caller-key.ts";
import { bearerToken, type VerifiedUser } from "../gates/jwt.ts";
import { requireAllowedOrigin, withCors } from "../gates/origin-cors.ts";
import { clientIp, ipRateKey, limitRate } from "../gates/rate-limit.ts";
import { authenticateUser } from "../gates/signed-in-user.ts";
import { problemResponse, Refusal } from "../problem.ts";
import { MESSAGE_ID_SYNTAX, type Cancellation, type MessageStateName } from "./message-state.ts";

/**
 * The scope of a browser's keys and messages: its signed-in user, or its address.
 *
 * @example
 * const scope = browserScope(user, request);
 */
export function browserScope(user: VerifiedUser | undefined, request: Request): string {
  return user ? `user:${user.subject}` : `ip:${ipRateKey(clientIp(request))}`;
}

/**
 * What `DELETE /v1/messages/{id}` answers (409, `application/problem+json`) for a message that has already
 * started: its `state` (`sending`, `sent`, `partial`, `failed`, `unknown`), left as it was.
 */
export interface NotCancellable {
  readonly type: "urn:txgate:problem:not_cancellable";
  readonly title: string;
  readonly status: 409;
  readonly detail: string;
  readonly kind: "not_cancellable";
  readonly retryable: false;
  readonly state: MessageStateName;
}

/**
 * Serves `/v1/messages/{id}`. Browsers (a request with `Origin`) are known by their JWT or address; servers by
 * their caller key (`callerKeys`, as the send route accepts them). `DELETE` answers 200 with the message's view
 * once it is `cancelled` (the same answer however often it is asked), or 409 with its state.
 *
 * @example
 * if (match) return messageStatus(request, env, config, config.callerKeys, match[1]);
 */
export async function messageStatus(request: Request, env: Env, config: Config, callerKeys: readonly CallerKey[] | undefined, id: string): Promise<Response> {
  if (!request.headers.has("origin")) return answerStatus(request, env, config, callerKeys, id, false);
  // A page must be able to read refusals too, so it can show why.
  try {
    return withCors(await answerStatus(request, env, config, callerKeys, id, true), request, config.origins);
  } catch (error) {
    if (error instanceof Refusal) return withCors(problemResponse(error.problem, error.headers), request, config.origins);
    throw error;
  }
}

async function answerStatus(request: Request, env: Env, config: Config, callerKeys: readonly CallerKey[] | undefined, id: string, browser: boolean): Promise<Response> {
  if (browser && request.method === "OPTIONS") return preflight(request, config);
  if (request.method !== "GET" && request.method !== "DELETE") {
    throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: browser ? "GET, DELETE, OPTIONS" : "GET, DELETE" } });
  }
  let scope: string;
  if (browser) {
    requireAllowedOrigin(request, config.origins);
    // The actions route's gates: failed tokens counted and blocked per address, then a rate limit per user or
    // address, on keys of its own so that a page polling its message never spends its user's sends.
    const user = bearerToken(request) === undefined ? undefined : await authenticateUser(request, env.BROWSER_RATE_LIMIT, config.jwt);
    await limitRate(env.BROWSER_RATE_LIMIT, `read:${user ? `user:${user.subject}` : ipRateKey(clientIp(request))}`);
    scope = browserScope(user, request);
  } else {
    const caller = await authenticateCaller(request, callerKeys);
    await limitRate(env.CALLER_RATE_LIMIT, `caller:${caller.id}`);
    scope = `caller:${caller.id}`;
  }
  const message = MESSAGE_ID_SYNTAX.test(id) && env.MESSAGES ? env.MESSAGES.get(env.MESSAGES.idFromName(id)) : undefined;
  if (request.method === "DELETE") return cancelResponse(message ? ((await message.cancel(scope)) as Cancellation | undefined) : undefined);
  const view = message ? await message.view(scope) : undefined;
  // Someone else's message is answered as one that does not exist: ids are not to be probed.
  if (!view) throw new Refusal("not_found", "no such message");
  return Response.json(view, { headers: { "cache-control": "no-store" } });
}

function cancelResponse(cancellation: Cancellation | undefined): Response {
  if (!cancellation) throw new Refusal("not_found", "no such message");
  const headers = { "cache-control": "no-store" };
  if (cancellation.cancelled) return Response.json(cancellation.view, { headers });
  const { state } = cancellation.view;
  const problem: NotCancellable = {
    type: "urn:txgate:problem:not_cancellable",
    title: "Too late to cancel",
    status: 409,
    detail: `the message is ${state}; only a message that has not started can be cancelled`,
    kind: "not_cancellable",
    retryable: false,
    state,
  };
  return new Response(JSON.stringify(problem), { status: 409, headers: { ...headers, "content-type": "application/problem+json" } });
}

/** The preflight of a page's `GET` or `DELETE` with its JWT. */
function preflight(request: Request, config: Config): Response {
  const origin = requireAllowedOrigin(request, config.origins);
  const method = request.headers.get("access-control-request-method");
  if (method !== "GET" && method !== "DELETE") {
    throw new Refusal("method_not_allowed", "only GET and DELETE are allowed here", { headers: { allow: "GET, DELETE, OPTIONS" } });
  }
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, DELETE",
      "access-control-allow-headers": "authorization",
      "access-control-max-age": "600",
      vary: "Origin",
    },
  });
}
