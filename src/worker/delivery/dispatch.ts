/**
 * How a send job that passed every gate is carried out: now (the default), or queued with `Prefer: respond-async`
 * (at a later time with `Send-At`, or a browser action's `sendAt`); either way once per `Idempotency-Key` when
 * the request has one. It takes the job and what the route knows, and hands back the response with the outcome it
 * was made from: nothing here calls back into the route.
 *
 *   request ──▶ Idempotency-Key? ──▶ ledger (Durable Object per caller scope): replay | 409 | 422 | go on
 *                                          │
 *             Prefer: respond-async? ──no──▶ runJob (send-job.ts) ──▶ 200 / problem (send-answer.ts)
 *                                          │ yes
 *                                          ▼
 *              message state (Durable Object per id) ◀── the job's JSON ──▶ Queue ──▶ consumer ──▶ runJob
 *                                          │
 *                                          ▼
 *                              202 + Location: /v1/messages/{id}
 */
import { holdsKey, idempotencyFailure, IDEMPOTENCY_KEY_RULE, IDEMPOTENCY_KEY_SYNTAX, requestFingerprint } from "../../core/idempotency.ts";
import type { Outcome } from "../../core/public.ts";
import type { Config, Env } from "../env.ts";
import type { RequestLog } from "../log.ts";
import { outcomeProblem, problemAnswer, Refusal } from "../problem.ts";
import type { StoredAnswer } from "./idempotency-ledger.ts";
import { rememberQueued } from "./recent.ts";
import { noteVendorOutcome } from "../health.ts";
import { synchronousCall } from "./delivery-events.ts";
import { httpAnswer } from "./send-answer.ts";
import { refusalBeforeQueueing, runJob, type ReadyJob, type RunContext, type SendProgress } from "./send-job.ts";

/** The largest body a queued send may have: it is kept in the message's Durable Object until sent. */
export const MAX_QUEUED_BODY_BYTES = 1024 * 1024;

/** What the queue carries: only the id; the message itself waits in its Durable Object. */
export interface QueuedSend {
  readonly id: string;
}

/** A send that passed its route's gates: its job, and what the route read from the request. */
export interface GatedSend {
  /** Whose keys and messages these are: `caller:<key id>`, `user:<subject>` or `ip:<address>`. */
  readonly scope: string;
  readonly job: ReadyJob;
  /** What makes this request this request, for the idempotency fingerprint (JSON). */
  readonly identity: unknown;
  /** The request's idempotency key (`idempotencyKey(request)`, or a batch item's), if it has one. */
  readonly idempotencyKey: string | undefined;
  /** Whether the request asked to be queued (`prefersAsync(request)`). */
  readonly async: boolean;
  /**
   * When to send it (`parseSendAt`), and the field that said so (`headers.send-at`, `sendAt`): a scheduled send,
   * which is always queued.
   */
  readonly sendAt?: { readonly at: number; readonly path: string };
}

/** Where a dispatched send reports: the deployment's actions, the request's log line, and its progress. */
export interface DispatchSinks {
  readonly actions: RunContext["actions"];
  readonly log: RequestLog;
  readonly progress: SendProgress;
}

/**
 * A dispatched send's answer, as data (`answerResponse` makes it the route's `Response`; a replay's headers say
 * `idempotent-replayed: true`), and the outcome it was made from when the send was made (or refused) now.
 */
export interface Dispatched {
  readonly answer: StoredAnswer;
  readonly outcome: Outcome<unknown> | undefined;
}

/**
 * The answer to a gated send: sent now or queued, at most once per idempotency key.
 *
 * @example
 * const { answer } = await dispatchSend(env, config, { scope, job, identity: body, idempotencyKey: idempotencyKey(request), async: prefersAsync(request) }, { actions, log, progress });
 * return answerResponse(answer);
 */
export async function dispatchSend(env: Env, config: Config, send: GatedSend, sinks: DispatchSinks): Promise<Dispatched> {
  const key = send.idempotencyKey;
  const { job } = send.job;
  const queue = send.async && env.DELIVERY_QUEUE && env.MESSAGES ? { queue: env.DELIVERY_QUEUE, messages: env.MESSAGES } : undefined;
  if (send.sendAt) {
    const { path } = send.sendAt;
    if (!send.async) {
      const message = "is a scheduled send, which is queued: send it with Prefer: respond-async";
      throw new Refusal("validation", `${path} ${message}`, { issues: [{ path, rule: "respond_async", message }] });
    }
    if (!queue) throw new Refusal("not_configured", "scheduled sends need the MESSAGES Durable Object and DELIVERY_QUEUE bindings, which this worker lacks");
  }
  if (queue && send.job.bytes > MAX_QUEUED_BODY_BYTES) {
    throw new Refusal("payload_too_large", `a queued send may be at most ${MAX_QUEUED_BODY_BYTES} bytes of JSON; send it without Prefer: respond-async`);
  }
  const run = async (): Promise<{ answer: StoredAnswer; outcome?: Outcome<unknown>; holds: boolean }> => {
    if (!queue) {
      const outcome = await runJob(send.job, { config, actions: sinks.actions, call: synchronousCall(), progress: sinks.progress });
      // The worker's own refusal before any vendor was asked: answered as every refusal is, and the key freed.
      if (outcome instanceof Refusal) throw outcome;
      await noteVendorOutcome(env, outcome);
      return { answer: httpAnswer(outcome, job.audience, config, sinks.log), outcome, holds: holdsKey(outcome) };
    }
    const refused = await refusalBeforeQueueing(send.job, config, sinks.actions);
    if (refused) return { answer: httpAnswer(refused, job.audience, config, sinks.log), outcome: refused, holds: holdsKey(refused) };
    return { answer: await enqueue(queue, send), holds: true };
  };
  if (key === undefined) {
    const { answer, outcome } = await run();
    return { answer, outcome };
  }

  if (!env.IDEMPOTENCY) throw new Refusal("not_configured", "Idempotency-Key needs the IDEMPOTENCY Durable Object binding, which this worker lacks");
  const ledger = env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(send.scope));
  // The time is part of the request: the same message at another time under the same key is another request.
  const fingerprint = await requestFingerprint({ mode: queue ? "queued" : "now", vendor: job.vendor, request: send.identity, ...(send.sendAt ? { sendAt: send.sendAt.at } : {}) });
  const claim = await ledger.claim(key, fingerprint);
  if (claim.state === "done") return { answer: { ...claim.result, headers: { ...claim.result.headers, "idempotent-replayed": "true" } }, outcome: undefined };
  if (claim.state !== "claimed") {
    return { answer: problemAnswer(config.redactor.value(outcomeProblem(idempotencyFailure(job.vendor, claim), job.audience))), outcome: undefined };
  }
  let ran: Awaited<ReturnType<typeof run>>;
  try {
    ran = await run();
  } catch (error) {
    // Thrown before any send could start (a refusal, the queue unreachable): the key is free again.
    await ledger.release(key, fingerprint).catch(() => undefined);
    throw error;
  }
  const { answer, outcome, holds } = ran;
  if (!holds) {
    await ledger.release(key, fingerprint);
    return { answer, outcome };
  }
  // The answer as it goes out, headers and all (a replay adds Idempotent-Replayed). Unrecorded, the claim runs out
  // its lease and is then answered `unknown`: never a second send.
  await ledger.record(key, fingerprint, answer).catch(() => undefined);
  return { answer, outcome };
}

/** The request's `Idempotency-Key` (a bare token or a structured-field string); `undefined` without one. */
export function idempotencyKey(request: Request): string | undefined {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return undefined;
  const key = /^"(.*)"$/.exec(raw)?.[1] ?? raw;
  if (!IDEMPOTENCY_KEY_SYNTAX.test(key)) {
    throw new Refusal("validation", `Idempotency-Key ${IDEMPOTENCY_KEY_RULE}`, { issues: [{ path: "headers.idempotency-key", rule: "idempotency_key", message: IDEMPOTENCY_KEY_RULE }] });
  }
  return key;
}

/** Whether the client asked for an asynchronous answer (RFC 7240 `Prefer: respond-async`). */
export function prefersAsync(request: Request): boolean {
  return (request.headers.get("prefer") ?? "")
    .split(",")
    .some((preference) => preference.split(";")[0]!.trim().toLowerCase() === "respond-async");
}

async function enqueue(bindings: { queue: NonNullable<Env["DELIVERY_QUEUE"]>; messages: NonNullable<Env["MESSAGES"]> }, send: GatedSend): Promise<StoredAnswer> {
  const id = crypto.randomUUID();
  const state = bindings.messages.get(bindings.messages.idFromName(id));
  const { job } = send.job;
  // The state first: a consumer never finds a queued id without its message. The job goes as the JSON its size was measured from.
  const sendAt = send.sendAt?.at;
  const delaySeconds = await state.accept({ id, scope: send.scope, audience: job.audience, vendor: job.vendor, bodyJson: send.job.json, decode: job.audience === "caller", ...(sendAt === undefined ? {} : { sendAt }) });
  try {
    // Beyond the queue's 12 hours, the message's own alarm puts it on the queue when its time comes.
    if (delaySeconds !== undefined) await bindings.queue.send({ id } satisfies QueuedSend, { contentType: "json", ...(delaySeconds > 0 ? { delaySeconds } : {}) });
  } catch (error) {
    await state.deadLettered({ kind: "internal", delivery: "not_sent", note: "could not be put on the queue" }).catch(() => undefined);
    throw error;
  }
  rememberQueued(id);
  const location = `/v1/messages/${id}`;
  return {
    status: 202,
    headers: { "content-type": "application/json", location, "preference-applied": "respond-async", "cache-control": "no-store" },
    body: JSON.stringify({ ok: true, kind: "queued", id, state: sendAt === undefined ? "queued" : "scheduled", location, ...(sendAt === undefined ? {} : { sendAt: new Date(sendAt).toISOString() }) }),
  };
}
