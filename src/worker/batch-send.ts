/**
 * `POST /v1/send/{vendor}/batch`: up to 100 messages in one request from a trusted caller, each sent (or queued) as
 * `POST /v1/send/{vendor}` would send it alone, with its own idempotency key. The body:
 *
 *   {"messages": [{"message": <the vendor's native message>, "idempotencyKey"?: "…", "sendAt"?: "…"}, …]}
 *
 * Every item is checked before any is sent, and one invalid item refuses the whole batch (422, each failing field
 * named as `messages.<i>.…`), as does a batch of more than 100 (413): a batch is made by one program, and a batch
 * that went out in part would leave its caller picking out what went. Once checked, each item goes through the
 * single route's dispatch (delivery/dispatch.ts) with the headers it would have had alone (`Prefer`,
 * `Idempotency-Key`, `Send-At`), so its answer, its idempotency and its queueing are the single route's; with
 * `Prefer: respond-async` the items' queue messages leave in one `Queue.sendBatch`.
 */
import { IDEMPOTENCY_KEY_RULE, IDEMPOTENCY_KEY_SYNTAX } from "../core/idempotency.ts";
import type { ValidationIssue, VendorName } from "../core/public.ts";
import { formatPath, joinPath } from "../core/validation.ts";
import { decodeAttachments } from "./binary-fields.ts";
import { parseSendAt } from "./delivery/send-at.ts";
import { dispatchSend, MAX_QUEUED_BODY_BYTES, prefersAsync, type QueuedSend } from "./delivery/dispatch.ts";
import { readyJob, type ReadyJob, type RunContext, type SendProgress } from "./delivery/send-job.ts";
import type { Config, Env } from "./env.ts";
import { RequestLog } from "./log.ts";
import { problemResponse, Refusal, type Problem } from "./problem.ts";
import type { ServedClient } from "./vendors.ts";

/** The most messages one batch may hold, as Resend and Cloudflare Queues' `sendBatch` allow. */
export const MAX_BATCH_MESSAGES = 100;
/** Items sent at once in a synchronous batch: the Workers runtime opens at most six connections at a time anyway. */
const SYNC_CONCURRENCY = 6;
const ITEM_FIELDS = new Set(["message", "idempotencyKey", "sendAt"]);

/** One checked item: its job (the message as JSON, decoded and checked once), its key and time. */
interface BatchItem {
  readonly json: unknown;
  readonly job: ReadyJob;
  readonly idempotencyKey?: string;
  readonly sendAt?: { readonly at: number; readonly path: string };
}

/** One item's answer in the batch's: what it would have been answered alone. */
export interface BatchItemResult {
  readonly status: number;
  readonly body: unknown;
  /** The item repeated an idempotency key already answered: this is that answer, and nothing was sent again. */
  readonly replayed?: true;
}

/** The batch after the route's gates (the rate limit counted each message): whose it is, the vendor and its client. */
export interface GatedBatch {
  readonly scope: string;
  readonly vendor: VendorName;
  readonly client: ServedClient;
  /** The deployment's actions, for the single route's dispatch. */
  readonly actions: RunContext["actions"];
  /** Told when a vendor client may have been asked to send, for the request's answer to a failure of its own. */
  readonly progress: SendProgress;
}

/** The batch's answer, and how many items got each status (for the request's log line). */
export interface BatchAnswer {
  readonly response: Response;
  readonly statuses: Readonly<Record<number, number>>;
}

/**
 * How many messages `body` holds, refusing a key or time given as a header (each item has its own), a body that is
 * not `{"messages": [...]}` (422) or one holding more than `MAX_BATCH_MESSAGES` (413): read first, so the rate limit
 * can count the messages before any is looked at.
 *
 * @example
 * const count = batchSize(request, body);
 */
export function batchSize(request: Request, body: unknown): number {
  if (request.headers.has("idempotency-key") || request.headers.has("send-at")) {
    throw new Refusal("validation", "a batch takes each message's idempotencyKey and sendAt in its item, not as a header", {
      issues: [{ path: request.headers.has("idempotency-key") ? "headers.idempotency-key" : "headers.send-at", rule: "per_item", message: "give it per message, in the item" }],
    });
  }
  const envelope = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const messages = envelope?.messages;
  if (!envelope || !Array.isArray(messages) || Object.keys(envelope).some((key) => key !== "messages")) {
    throw new Refusal("validation", 'the body must be {"messages": [...]}', { issues: [{ path: "messages", rule: "array", message: "must be the only field, a list of {message, idempotencyKey?, sendAt?}" }] });
  }
  if (!messages.length) throw new Refusal("validation", "the batch holds no message", { issues: [{ path: "messages", rule: "min_length", message: "must hold at least one message" }] });
  if (messages.length > MAX_BATCH_MESSAGES) {
    throw new Refusal("payload_too_large", `a batch holds at most ${MAX_BATCH_MESSAGES} messages and this one holds ${messages.length}; nothing was sent: send it in parts`, {
      issues: [{ path: "messages", rule: "max_length", message: `must hold at most ${MAX_BATCH_MESSAGES} messages` }],
    });
  }
  return messages.length;
}

/**
 * Checks every item of a batch `batchSize` read, then sends or queues each as the single route would, and answers
 * each item's result in order.
 *
 * @example
 * const { response, statuses } = await sendBatch(request, env, config, body, { scope: `caller:${caller.id}`, vendor, client, actions, progress });
 */
export async function sendBatch(request: Request, env: Env, config: Config, body: unknown, batch: GatedBatch): Promise<BatchAnswer> {
  const queued = prefersAsync(request) && env.DELIVERY_QUEUE !== undefined && env.MESSAGES !== undefined;
  const items = await checkItems((body as { messages: unknown[] }).messages, batch, queued, config);

  const firsts = firstOfEachKey(items);
  const queue = queued ? new HeldQueue(env.DELIVERY_QUEUE!, firsts.size) : undefined;
  // Queued, every item runs at once: each held send waits for all the others.
  // Each item's answer is made as the single route makes it; the request's log line gets a tally instead.
  const itemLog = new RequestLog(request);
  const results = await runInOrder(items, queued ? items.length : SYNC_CONCURRENCY, (item) => sendItem(request, env, config, batch, itemLog, item, firsts.has(item) ? queue : undefined));
  const statuses: Record<number, number> = {};
  for (const { status } of results) statuses[status] = (statuses[status] ?? 0) + 1;
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (queued) headers["preference-applied"] = "respond-async";
  return { response: Response.json({ kind: "batch", results }, { headers }), statuses };
}

/** Every item checked as the single route and the vendor's client would check it; one refusal naming all that fail. */
async function checkItems(list: readonly unknown[], batch: GatedBatch, queued: boolean, config: Config): Promise<BatchItem[]> {
  const issues: ValidationIssue[] = [];
  const items: BatchItem[] = [];
  for (const [index, raw] of list.entries()) {
    const at = (path: string) => joinPath(`messages.${index}`, path);
    const fault = (path: string, rule: string, message: string) => issues.push({ path: at(path), rule, message });
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      fault("", "object", "must be {message, idempotencyKey?, sendAt?}");
      continue;
    }
    const item = raw as Record<string, unknown>;
    for (const key of Object.keys(item)) if (!ITEM_FIELDS.has(key)) fault(formatPath([key.slice(0, 64)]), "unknown_field", "is not a field of a batch item");
    const { message: json, idempotencyKey, sendAt } = item;
    if (idempotencyKey !== undefined && (typeof idempotencyKey !== "string" || !IDEMPOTENCY_KEY_SYNTAX.test(idempotencyKey))) {
      fault("idempotencyKey", "idempotency_key", IDEMPOTENCY_KEY_RULE);
    }
    let sendAtMs: number | undefined;
    if (sendAt !== undefined) {
      // The single route's reading of a send time, so a batch item's is refused with the same rules.
      try {
        sendAtMs = parseSendAt(sendAt, { path: at("sendAt") });
        if (!queued) fault("sendAt", "respond_async", "needs Prefer: respond-async (a scheduled message is queued)");
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        issues.push(...((error.problem.issues as readonly ValidationIssue[] | undefined) ?? []));
      }
    }
    if (json === undefined) {
      fault("message", "required", "is required: the vendor's message, as POST /v1/send/{vendor} takes it");
      continue;
    }
    let message: unknown;
    try {
      message = decodeAttachments(config.served.get(batch.vendor), json);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      for (const issue of error.problem.issues ?? []) issues.push({ ...issue, path: at(joinPath("message", issue.path)) });
      continue;
    }
    const refused = await batch.client.validate(message);
    for (const issue of refused?.issues ?? []) issues.push({ ...issue, path: at(joinPath("message", issue.path)) });
    // Decoded, checked and (when queued) serialised here, once: dispatch and the queue reuse all three.
    const job = readyJob({ audience: "caller", vendor: batch.vendor, body: json }, { message, validated: true });
    if (queued && job.bytes > MAX_QUEUED_BODY_BYTES) {
      fault("message", "max_bytes", `a queued message may be at most ${MAX_QUEUED_BODY_BYTES} bytes of JSON`);
    }
    items.push({ json, job, ...(typeof idempotencyKey === "string" ? { idempotencyKey } : {}), ...(sendAtMs === undefined ? {} : { sendAt: { at: sendAtMs, path: at("sendAt") } }) });
  }
  if (issues.length) {
    const failing = new Set(issues.map((issue) => /^messages\.(\d+)/.exec(issue.path)?.[1])).size;
    throw new Refusal("validation", `${failing} of ${list.length} messages are invalid; nothing was sent`, { issues: config.redactor.value(issues) });
  }
  return items;
}

/** The first item of each idempotency key, and every item without one: the items that may send. */
function firstOfEachKey(items: readonly BatchItem[]): Set<BatchItem> {
  const seen = new Set<string>();
  return new Set(items.filter((item) => item.idempotencyKey === undefined || (!seen.has(item.idempotencyKey) && seen.add(item.idempotencyKey))));
}

/**
 * Runs `send` for every item, at most `concurrency` at a time, results in input order. An item that repeats an
 * earlier item's key starts only once that one has finished, so it gets that answer as a replay (or
 * `idempotency_key_reused` for another message), as it would sent alone after it: one email per key.
 */
async function runInOrder(items: readonly BatchItem[], concurrency: number, send: (item: BatchItem) => Promise<BatchItemResult>): Promise<BatchItemResult[]> {
  const results: Promise<BatchItemResult>[] = [];
  const lastOfKey = new Map<string, Promise<unknown>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished item hands its slot straight to the next waiting one, so no newcomer can slip in between.
  const slot = async () => {
    if (running < concurrency) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const free = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  for (const item of items) {
    const before = item.idempotencyKey === undefined ? undefined : lastOfKey.get(item.idempotencyKey);
    const result = (async () => {
      if (before) await before.catch(() => undefined);
      await slot();
      try {
        return await send(item);
      } finally {
        free();
      }
    })();
    if (item.idempotencyKey !== undefined) lastOfKey.set(item.idempotencyKey, result);
    results.push(result);
  }
  return Promise.all(results);
}

/**
 * One item through the single route's dispatch, as it would have been sent alone (the batch's `Prefer`, its own
 * key and time); `queue` holds its queue message for the batch's `sendBatch` (an item repeating a key runs after
 * its first and uses the queue itself).
 */
async function sendItem(request: Request, env: Env, config: Config, batch: GatedBatch, log: RequestLog, item: BatchItem, queue: HeldQueue | undefined): Promise<BatchItemResult> {
  const held = queue?.forItem();
  const progress: SendProgress = { vendorCalled: false };
  try {
    const { answer } = await dispatchSend(
      held ? { ...env, DELIVERY_QUEUE: held.queue } : env,
      config,
      { scope: batch.scope, job: item.job, identity: item.json, idempotencyKey: item.idempotencyKey, async: prefersAsync(request), ...(item.sendAt ? { sendAt: item.sendAt } : {}) },
      { actions: batch.actions, log, progress },
    );
    return { status: answer.status, body: answer.body ? JSON.parse(answer.body) : null, ...(answer.headers["idempotent-replayed"] === "true" ? { replayed: true as const } : {}) };
  } catch (error) {
    const problem: Problem =
      error instanceof Refusal
        ? error.problem
        : // As the single route answers a failure of its own: nothing sent unless the vendor client had been asked.
          { ...new Refusal("internal", "the worker failed unexpectedly on this message").problem, delivery: progress.vendorCalled ? "unknown" : "not_sent" };
    const response = problemResponse(problem);
    return { status: response.status, body: await response.json() };
  } finally {
    if (progress.vendorCalled) batch.progress.vendorCalled = true;
    held?.finished();
  }
}

/**
 * A queue that holds the items' messages until every item that may send has either sent or finished, then sends
 * them in one `Queue.sendBatch`; each held `send` settles with it. A send after that goes straight to the queue
 * (an item whose key's first item sent nothing after all).
 */
class HeldQueue {
  readonly #queue: Queue<QueuedSend>;
  readonly #held: { readonly message: MessageSendRequest<QueuedSend>; readonly settle: (outcome: { sent: QueueSendBatchResponse } | { error: unknown }) => void }[] = [];
  #waitingFor: number;
  #flushed = false;

  constructor(queue: Queue<QueuedSend>, items: number) {
    this.#queue = queue;
    this.#waitingFor = items;
  }

  /** One item's view of the queue, and `finished` for when its dispatch ended (with or without a send). */
  forItem(): { queue: Queue<QueuedSend>; finished: () => void } {
    let arrived = false;
    const arrive = () => {
      if (arrived) return;
      arrived = true;
      if (--this.#waitingFor === 0) void this.#flush();
    };
    const queue: Pick<Queue<QueuedSend>, "send" | "sendBatch"> = {
      send: (body, options) => {
        if (this.#flushed) return this.#queue.send(body, options);
        const sent = new Promise<QueueSendResponse>((resolve, reject) => {
          this.#held.push({ message: { body, ...options }, settle: (outcome) => ("sent" in outcome ? resolve(outcome.sent) : reject(outcome.error)) });
        });
        arrive();
        return sent;
      },
      sendBatch: (messages, options) => this.#queue.sendBatch(messages, options),
    };
    return { queue: queue as Queue<QueuedSend>, finished: arrive };
  }

  async #flush(): Promise<void> {
    this.#flushed = true;
    const held = this.#held.splice(0);
    if (!held.length) return;
    let sent: QueueSendBatchResponse;
    try {
      sent = await this.#queue.sendBatch(held.map((entry) => entry.message));
    } catch (error) {
      for (const entry of held) entry.settle({ error });
      return;
    }
    for (const entry of held) entry.settle({ sent });
  }
}
