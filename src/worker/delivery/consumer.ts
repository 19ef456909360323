/**
 * The queue consumers. The send queue's consumer picks each message up from its state (message-state.ts), runs
 * its job as the synchronous route runs it (`runJob`, send-job.ts), records the outcome (its result the answer
 * that route would have given, `sendAnswer`), and then acks, retries or dead-letters it:
 *
 * - sent ............................................. `sent`, acked
 * - `unknown` delivery (timeout, 500, dropped connection) `unknown`, acked: never retried automatically
 * - `partial` delivery (some recipients refused) ..... `partial`, acked, and to the dead-letter queue with its outcome
 * - `not_sent` and retryable (429, 503, refused connection), attempts left
 *                                                      `queued`, retried after Retry-After or a backoff
 * - anything else, or no attempts left ............... `failed`, to the dead-letter queue with its outcome
 *
 * The dead-letter queue's consumer records the final state of whatever reaches it, including messages the queue
 * itself gave up on after repeated crashes.
 */
import type { Outcome, VendorName } from "../../core/public.ts";
import { loadConfig, type Config, type Env } from "../env.ts";
import { Refusal, type Audience } from "../problem.ts";
import { sendAnswer } from "./send-answer.ts";
import { readyJob, runJob, storedJob, type JobOutcome, type ResolvedAction } from "./send-job.ts";
import type { Action } from "../policy.ts";
import type { WorkerSandbox } from "../sandbox.ts";
import type { AnyVendorDescriptor } from "../../vendors/descriptor.ts";
import { writeAttemptLog } from "../log.ts";
import { noteVendorOutcome } from "../health.ts";
import type { QueuedSend } from "./dispatch.ts";
import type { Pickup, Verdict } from "./message-state.ts";
import { indexSentMessage, type DeliveryEventHook } from "./delivery-events.ts";
import { deliverSandboxEvents } from "./sandbox-events.ts";
import { reportToIndexes, type IndexReport } from "./message-index.ts";

/** The send queue's and the dead-letter queue's names, as wrangler.toml declares them. */
export const SEND_QUEUE = "txgate-sends";
export const DEAD_LETTER_QUEUE = "txgate-sends-dead";
/** Attempts per message (QUEUE_MAX_ATTEMPTS), and the first backoff in seconds (QUEUE_RETRY_SECONDS), doubled each time. */
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_RETRY_SECONDS = 5;
/** Queues delay a message at most 12 hours. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** What the dead-letter queue carries: the id, and the outcome that sent it there (absent when the queue gave up). */
export interface DeadLetter {
  readonly id: string;
  readonly outcome?: Readonly<Record<string, unknown>>;
}

/** How a message's attempts are limited. */
export interface RetryLimits {
  readonly maxAttempts: number;
  readonly retrySeconds: number;
}

/**
 * Handles a batch from either queue.
 *
 * @example
 * export default { fetch, queue: (batch, env) => consumeQueue(batch, env) };
 */
export async function consumeQueue(batch: MessageBatch<unknown>, env: Env, deployment: Deployment): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return recordDeadLetters(batch as MessageBatch<DeadLetter>, env);
  const config = loadConfig(env, deployment.sandbox, deployment.vendors);
  const limits = retryLimits(env);
  // Each message on its own: pacing (the vendor client's) decides how fast they go, not the batch.
  const reports: IndexReport[] = [];
  await Promise.all((batch as MessageBatch<QueuedSend>).messages.map((message) => consumeOne(message, env, config, limits, deployment.actions, reports)));
  // The batch's ended states, one call per index object, before the acks count: a consumer that stops first has the
  // batch delivered again, and each ended message's pickUp answers its report again.
  if (env.MESSAGE_INDEX) await reportToIndexes(env.MESSAGE_INDEX, reports);
  // The sandbox vendors' webhook posts for what was just sent, handled as the event route handles a vendor's.
  if (config.mode === "sandbox") await deliverSandboxEvents(env, deployment);
}

/** What the consumer needs of the deployment: its actions (a queued browser send names one), its vendors and its sandbox. */
export interface Deployment {
  readonly actions: Readonly<Record<string, Action>>;
  readonly vendors: readonly AnyVendorDescriptor[];
  readonly sandbox?: WorkerSandbox;
  readonly onEvent?: DeliveryEventHook;
}

async function consumeOne(message: Message<QueuedSend>, env: Env, config: Config, limits: RetryLimits, actions: Deployment["actions"], reports: IndexReport[]): Promise<void> {
  try {
    const id = message.body?.id;
    if (typeof id !== "string" || !env.MESSAGES) {
      message.ack();
      return;
    }
    const state = env.MESSAGES.get(env.MESSAGES.idFromName(id));
    // RPC types cannot follow `unknown` (the message body), so the result is typed here.
    const pickup = (await state.pickUp()) as Pickup;
    if (pickup.action === "ack") {
      if (pickup.report) reports.push(pickup.report);
      return message.ack();
    }
    if (pickup.action === "retry") return message.retry({ delaySeconds: pickup.delaySeconds });

    // `sending` is recorded only once the request is ready to go: a consumer that dies while it waits for a pacer
    // slot or a token has sent nothing, and the message goes out on redelivery.
    const gate = sendingGate(() => state.startSending(pickup.attempt));
    const started = Date.now();
    // Our id travels in the field the vendor echoes back (`messageIdCarrier`), so its events can name the message.
    // The job as the route made it, run as the route runs it.
    const outcome = await runJob(readyJob(storedJob(pickup)), { config, actions, call: { beforeFetch: gate.beforeFetch, messageId: id } });
    // The state could not be reached: whether this attempt may go is not known, so the queue delivers it again.
    if (gate.failure) throw gate.failure.error;
    // Picked up again elsewhere, or ended meanwhile: this copy sent nothing and has nothing to record.
    if (gate.stopped) return message.ack();
    const verdict = judge(outcome, pickup.attempt, limits, pickup.audience, config, pickup.vendor);
    logAttempt(id, pickup, outcome, verdict.state, Date.now() - started, config);
    if (!(outcome instanceof Refusal)) await noteVendorOutcome(env, outcome);
    // The vendor's ids point to the message before its state says `sent`, and go in its state in the same step.
    const sentBy = outcome instanceof Refusal ? undefined : await indexSentMessage(env, id, outcome);
    if (verdict.deadLetter && env.DEAD_LETTERS) await env.DEAD_LETTERS.send({ id, outcome: verdict.outcome } satisfies DeadLetter, { contentType: "json" });
    const report = (await state.settle(pickup.attempt, verdict, sentBy)) as IndexReport | undefined;
    if (report) reports.push(report);
    if (verdict.state === "queued") message.retry({ delaySeconds: verdict.retryInSeconds ?? 0 });
    else message.ack();
  } catch {
    // The state says what happened: redelivered, a message found `sending` ends `unknown`, one that never reached
    // the vendor is sent, one already settled is acked.
    message.retry();
  }
}

/** A stop at `beforeFetch`: the state said no (`stopped`), or could not be asked (`failure`). */
interface SendingGate {
  readonly beforeFetch: () => Promise<void>;
  readonly stopped: boolean;
  readonly failure: { readonly error: unknown } | undefined;
}

/** The library's `beforeFetch` for one attempt: asks the message's state, and throws (so nothing is sent) unless it agrees. */
function sendingGate(start: () => Promise<boolean>): SendingGate {
  const gate = {
    stopped: false,
    failure: undefined as { error: unknown } | undefined,
    async beforeFetch() {
      let allowed: boolean;
      try {
        allowed = await start();
      } catch (error) {
        gate.failure = { error };
        throw error;
      }
      if (!allowed) {
        gate.stopped = true;
        throw new Error("this attempt is no longer the message's current one");
      }
    },
  };
  return gate;
}

/**
 * What one attempt's outcome means for its message.
 *
 * @example
 * const verdict = judge(outcome, 1, { maxAttempts: 5, retrySeconds: 5 }, "caller", config, vendor);
 */
export function judge(
  outcome: JobOutcome,
  attempt: number,
  limits: RetryLimits,
  audience: Audience,
  config: Config,
  vendor: VendorName,
): Verdict & { readonly deadLetter: boolean } {
  // The answer the same job run now would have got: the message's result.
  const result = sendAnswer(outcome, audience, config);
  if (outcome instanceof Refusal) {
    const problem = outcome.problem;
    const summary = { kind: problem.kind, delivery: "not_sent", retryable: false, ...(audience === "caller" ? { message: problem.detail } : {}) };
    return { state: "failed", outcome: summary, result, deadLetter: true, note: "refused before sending" };
  }
  const summary = config.redactor.value(summarise(outcome, audience));
  if (outcome.ok) return { state: "sent", outcome: summary, result, deadLetter: false };
  if (outcome.delivery !== "not_sent") {
    // Sent to some and refused for others: final, and on the dead-letter queue for someone to look at the refused ones.
    if (outcome.delivery === "partial") return { state: "partial", outcome: summary, result, deadLetter: true, note: "sent to some recipients and refused for others; not retried, so no one gets it twice" };
    return { state: "unknown", outcome: summary, result, deadLetter: false, note: "the email may have gone out, so it is not retried" };
  }
  if (outcome.retryable && attempt < limits.maxAttempts) {
    const retryAfter = "retryAfter" in outcome ? outcome.retryAfter : undefined;
    const backoff = limits.retrySeconds * 2 ** (attempt - 1);
    const delay = Math.min(MAX_DELAY_SECONDS, Math.ceil(retryAfter ?? backoff));
    return { state: "queued", retryInSeconds: delay, outcome: summary, deadLetter: false, note: `${retryAfter === undefined ? "backoff" : "Retry-After"}: retry in ${delay} s` };
  }
  const why = outcome.retryable ? `no attempts left (${limits.maxAttempts})` : "a retry cannot help";
  return { state: "failed", outcome: summary, result, deadLetter: true, note: why };
}

/** The queue's limits from the settings; a bad value stops the consumer rather than retrying wildly. */
export function retryLimits(env: Env): RetryLimits {
  const read = (value: string | undefined, name: string, fallback: number) => {
    if (value === undefined || value === "") return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a whole number ≥ 1`);
    return number;
  };
  return {
    maxAttempts: read(env.QUEUE_MAX_ATTEMPTS, "QUEUE_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
    retrySeconds: read(env.QUEUE_RETRY_SECONDS, "QUEUE_RETRY_SECONDS", DEFAULT_RETRY_SECONDS),
  };
}

async function recordDeadLetters(batch: MessageBatch<DeadLetter>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const id = message.body?.id;
        if (typeof id === "string" && env.MESSAGES) await env.MESSAGES.get(env.MESSAGES.idFromName(id)).deadLettered(message.body.outcome);
        message.ack();
      } catch {
        message.retry();
      }
    }),
  );
}

/** The attempt's log line: its outcome's kind and delivery, never the message or the vendor's wording. */
function logAttempt(id: string, pickup: Extract<Pickup, { action: "send" }>, outcome: JobOutcome, state: string, ms: number, config: Config): void {
  const action = pickup.audience === "browser" ? (pickup.body as Partial<ResolvedAction> | null)?.action : undefined;
  writeAttemptLog(
    {
      message: id,
      vendor: outcome instanceof Refusal ? pickup.vendor : outcome.vendor,
      ...(typeof action === "string" ? { action } : {}),
      attempt: pickup.attempt,
      kind: outcome instanceof Refusal ? outcome.problem.kind : outcome.kind,
      delivery: outcome instanceof Refusal ? "not_sent" : outcome.ok ? "sent" : outcome.delivery,
      ...(outcome instanceof Refusal ? {} : { attempts: outcome.attempts }),
      state,
      ms,
    },
    config.redactor,
  );
}

/** One attempt in the history: what kind of outcome, never the message. Browsers see no vendor wording. */
function summarise(outcome: Outcome<unknown>, audience: Audience): Record<string, unknown> {
  if (outcome.ok) return { kind: "sent", ...(audience === "caller" ? { status: outcome.status, attempts: outcome.attempts } : {}) };
  return {
    kind: outcome.kind,
    delivery: outcome.delivery,
    retryable: outcome.retryable,
    ...("retryAfter" in outcome && outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}),
    ...(audience === "caller"
      ? {
          message: outcome.message,
          attempts: outcome.attempts,
          ...("status" in outcome && outcome.status !== undefined ? { status: outcome.status } : {}),
          ...("vendorCode" in outcome && outcome.vendorCode !== undefined ? { vendorCode: outcome.vendorCode } : {}),
        }
      : {}),
  };
}
