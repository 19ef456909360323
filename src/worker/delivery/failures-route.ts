/**
 * What a trusted caller can do about its own queued messages that ended badly:
 *
 *   GET  /v1/messages?state=failed,unknown&limit=50&cursor=…   its messages in those states, newest first
 *   POST /v1/messages/{id}/retry                                sends a failed one again; an `unknown` one only
 *                                                               with {"acceptDuplicateRisk": true}
 *
 * Both under the caller's key and its scope only: another caller's message is not listed, and retrying it is
 * answered as for an id that does not exist.
 */
import type { CallerKey, Config, Env } from "../env.ts";
import { readJsonBody } from "../gates/body-limit.ts";
import { authenticateCaller } from "../gates/caller-key.ts";
import { refuseBrowsers } from "../gates/origin-cors.ts";
import { limitRate } from "../gates/rate-limit.ts";
import { Refusal } from "../problem.ts";
import { decodeCursor, MAX_PAGE_SIZE, type MessagePage } from "./message-index.ts";
import { MESSAGE_ID_SYNTAX, type MessageStateName, type Retrial } from "./message-state.ts";

const STATES: readonly MessageStateName[] = ["scheduled", "queued", "sending", "sent", "partial", "failed", "unknown", "cancelled"];
const DEFAULT_PAGE_SIZE = 50;
/** A retry's body is one small flag. */
const MAX_RETRY_BODY_BYTES = 1024;

/**
 * What `POST /v1/messages/{id}/retry` answers (409, `application/problem+json`) when the message cannot be sent
 * again: its `state`, and for an `unknown` one that the caller must accept the risk of a second delivery.
 */
export interface NotRetryable {
  readonly type: "urn:txgate:problem:not_retryable";
  readonly title: string;
  readonly status: 409;
  readonly detail: string;
  readonly kind: "not_retryable";
  readonly retryable: false;
  readonly state: MessageStateName;
  /** `true` when sending `{"acceptDuplicateRisk": true}` would retry it. */
  readonly acceptDuplicateRisk?: true;
}

/**
 * `GET /v1/messages`: the caller's queued messages, newest first, in the states `?state=` names (comma-separated;
 * all states when absent), a page of `?limit=` (1 to 100, 50 by default) at a time, the next from `?cursor=`.
 *
 * @example
 * if (pathname === "/v1/messages") return listMessages(request, env, config, config.callerKeys);
 */
export async function listMessages(request: Request, env: Env, callerKeys: readonly CallerKey[] | undefined): Promise<Response> {
  if (request.method !== "GET") throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: "GET" } });
  refuseBrowsers(request);
  const scope = await callerScope(request, env, callerKeys);
  const query = new URL(request.url).searchParams;
  const states = (query.get("state") ?? STATES.join(",")).split(",").map((state) => state.trim()).filter(Boolean);
  const issues: { path: string; rule: string; message: string }[] = [];
  if (!states.length || !states.every((state) => (STATES as readonly string[]).includes(state))) {
    issues.push({ path: "query.state", rule: "enum", message: `must be one or more of ${STATES.join(", ")}, separated by commas` });
  }
  const limitText = query.get("limit");
  const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) issues.push({ path: "query.limit", rule: "range", message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
  const cursorText = query.get("cursor");
  const after = cursorText === null ? undefined : decodeCursor(cursorText);
  if (cursorText !== null && !after) issues.push({ path: "query.cursor", rule: "cursor", message: "must be a cursor this route answered" });
  if (issues.length) throw new Refusal("validation", issues.map((issue) => `${issue.path} ${issue.message}`).join("; "), { issues });
  const index = env.MESSAGE_INDEX;
  if (!index) throw new Refusal("not_configured", "listing messages needs the MESSAGE_INDEX Durable Object binding, which this worker lacks");
  const page = (await index.get(index.idFromName(scope)).list(states as MessageStateName[], limit, after)) as MessagePage;
  const next = page.cursor === undefined ? {} : { next: `/v1/messages?${new URLSearchParams({ state: states.join(","), limit: String(limit), cursor: page.cursor })}` };
  return Response.json({ ...page, ...next }, { headers: { "cache-control": "no-store" } });
}

/**
 * `POST /v1/messages/{id}/retry`: 202 with the message's view once it is queued again (the same `Location`), 409
 * when it cannot be, 404 for an id that is not the caller's.
 *
 * @example
 * if (retry) return retryMessage(request, env, config.callerKeys, retry[1]);
 */
export async function retryMessage(request: Request, env: Env, config: Config, callerKeys: readonly CallerKey[] | undefined, id: string): Promise<Response> {
  if (request.method !== "POST") throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: "POST" } });
  refuseBrowsers(request);
  const scope = await callerScope(request, env, callerKeys);
  const body = request.headers.get("content-length") === "0" || request.body === null ? {} : await readJsonBody(request, Math.min(MAX_RETRY_BODY_BYTES, config.maxBodyBytes.caller));
  const flag = (body as { acceptDuplicateRisk?: unknown } | null)?.acceptDuplicateRisk;
  if (body === null || typeof body !== "object" || Array.isArray(body) || (flag !== undefined && typeof flag !== "boolean")) {
    const message = "must be a JSON object whose acceptDuplicateRisk, if given, is true or false";
    throw new Refusal("validation", `the body ${message}`, { issues: [{ path: "acceptDuplicateRisk", rule: "boolean", message }] });
  }
  const message = MESSAGE_ID_SYNTAX.test(id) && env.MESSAGES ? env.MESSAGES.get(env.MESSAGES.idFromName(id)) : undefined;
  const retrial = message ? ((await message.retry(scope, flag === true)) as Retrial | undefined) : undefined;
  if (!retrial) throw new Refusal("not_found", "no such message");
  const headers = { "cache-control": "no-store" };
  if (retrial.retried) return Response.json(retrial.view, { status: 202, headers: { ...headers, location: `/v1/messages/${id}` } });
  const { state } = retrial.view;
  const duplicateRisk = retrial.reason === "duplicate_risk";
  const problem: NotRetryable = {
    type: "urn:txgate:problem:not_retryable",
    title: "Not retried",
    status: 409,
    detail: duplicateRisk
      ? `the message is unknown: the vendor may have sent it, so sending it again may deliver it twice; send {"acceptDuplicateRisk": true} to retry it all the same`
      : `the message is ${state}; only a failed message (nothing was sent) or an unknown one can be retried`,
    kind: "not_retryable",
    retryable: false,
    state,
    ...(duplicateRisk ? { acceptDuplicateRisk: true as const } : {}),
  };
  return new Response(JSON.stringify(problem), { status: 409, headers: { ...headers, "content-type": "application/problem+json" } });
}

async function callerScope(request: Request, env: Env, callerKeys: readonly CallerKey[] | undefined): Promise<string> {
  const caller = await authenticateCaller(request, callerKeys);
  await limitRate(env.CALLER_RATE_LIMIT, `caller:${caller.id}`);
  return `caller:${caller.id}`;
}
