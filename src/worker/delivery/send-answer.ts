/**
 * The answer a send gets, made in one place: the synchronous route's response and a queued message's `result`
 * (`GET /v1/messages/{id}`) are the same object for the same outcome, field for field.
 */
import type { Outcome } from "../../core/public.ts";
import type { Config } from "../env.ts";
import type { RequestLog } from "../log.ts";
import { outcomeProblem, problemAnswer, Refusal, type Audience, type Problem } from "../problem.ts";
import type { StoredAnswer } from "./idempotency-ledger.ts";

/** A sent message's answer: browsers learn only that it went (and whether to a sandbox); trusted callers get the vendor's answer. */
export interface SentAnswer {
  readonly ok: true;
  readonly kind: "sent";
  /** Set in sandbox mode: the email went to a vendor fake and reached no one. */
  readonly sandbox?: true;
  readonly vendor?: Outcome<unknown>["vendor"];
  readonly status?: number;
  readonly attempts?: number;
  readonly ids?: readonly string[];
  readonly data?: unknown;
}

/**
 * The answer for `outcome`, redacted with every secret of the deployment: a `SentAnswer`, or the problem for a
 * failure (the library already redacts its own credentials; the worker's redactor knows them all) or for the
 * worker's own refusal (a `Refusal`'s problem, as the route answers it).
 *
 * @example
 * const body = sendAnswer(outcome, "caller", config);
 */
export function sendAnswer(outcome: Outcome<unknown> | Refusal, audience: Audience, config: Config): SentAnswer | Problem {
  if (outcome instanceof Refusal) return outcome.problem;
  if (!outcome.ok) return config.redactor.value(outcomeProblem(outcome, audience));
  // A sandbox send reached no one: the answer says so in its body too, where a caller that reads only `kind` looks.
  const sandbox = config.mode === "sandbox" ? { sandbox: true as const } : {};
  if (audience === "browser") return { ok: true, kind: "sent", ...sandbox };
  return config.redactor.value({
    ok: true,
    kind: "sent",
    ...sandbox,
    vendor: outcome.vendor,
    status: outcome.status,
    attempts: outcome.attempts,
    ...(outcome.ids ? { ids: outcome.ids } : {}),
    data: outcome.data,
  });
}

/**
 * The synchronous route's answer for a send's outcome, as data (its body `sendAnswer`'s, as JSON): made into a
 * `Response` once, and stored as it is under an idempotency key. The outcome is noted on the request's log line.
 *
 * @example
 * const answer = httpAnswer(outcome, "caller", config, log);
 * return new Response(answer.body, answer);
 */
export function httpAnswer(outcome: Outcome<unknown>, audience: Audience, config: Config, log: RequestLog): StoredAnswer {
  log.set({ vendor: outcome.vendor, outcome: outcome.kind, delivery: outcome.ok ? "sent" : outcome.delivery, attempts: outcome.attempts });
  const body = sendAnswer(outcome, audience, config);
  if (!outcome.ok) return problemAnswer(body as Problem);
  return { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(body) };
}

/**
 * The route's `Response` for an answer made as data (`httpAnswer`, a dispatched send's).
 *
 * @example
 * const { answer } = await dispatchSend(env, config, send, sinks);
 * return answerResponse(answer);
 */
export function answerResponse(answer: StoredAnswer): Response {
  return new Response(answer.body, answer);
}
