/**
 * The queued-delivery suites' tools: a message's Durable Object and its view, one delivery of a message to a
 * queue's consumer (made with the vitest plugin's `createMessageBatch`), time passing as stored times moved back
 * (never a wait), the ids an alarm puts back on the queue, and what the sandbox vendors received.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../../worker/index.ts";
import type { Env } from "../../../src/worker/env.ts";
import { SEND_QUEUE } from "../../../src/worker/delivery/consumer.ts";
import { MessageObject, type MessageView } from "../../../src/worker/delivery/message-state.ts";
import { fetchWorker, LOCAL } from "./harness.ts";

export const bindings = env as unknown as Env;

/** The Durable Object of message `id`. */
export const stateOf = (id: string) => bindings.MESSAGES!.get(bindings.MESSAGES!.idFromName(id));

/** The message's view, as the outbox page sees it (no scope check). */
export async function view(id: string): Promise<MessageView> {
  return (await stateOf(id).peek()) as unknown as MessageView;
}

/**
 * One delivery of `id` to a queue's consumer: what it acked or retried, with each retry's delay (the plugin's
 * queue result leaves delays out, so `retry` is watched).
 */
export async function deliver(id: string, attempts = 1, settings: Partial<Env> = {}, queue = SEND_QUEUE, body: unknown = { id }) {
  const batch = createMessageBatch(queue, [{ id: `delivery-${attempts}`, timestamp: new Date(), attempts, body }]);
  const retries = batch.messages.map((message) => vi.spyOn(message, "retry"));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, { ...bindings, ...settings } as Env);
  const result = await getQueueResult(batch, ctx);
  const retryMessages = result.retryMessages.map(({ msgId }) => {
    const index = batch.messages.findIndex((message) => message.id === msgId);
    return { msgId, delaySeconds: retries[index]!.mock.calls.at(-1)?.[0]?.delaySeconds };
  });
  return { ...result, retryMessages };
}

/** `ms` pass for the message: every time it stored is that much earlier. */
export async function timePasses(id: string, ms: number): Promise<void> {
  await runInDurableObject(stateOf(id), (_instance: MessageObject, state) => {
    state.storage.sql.exec(
      "UPDATE message SET updated_at = updated_at - ?, created_at = created_at - ?, not_before = MAX(0, not_before - ?), send_at = send_at - ?",
      ms,
      ms,
      ms,
      ms,
    );
  });
}

/** The ids the message objects' alarms put back on the queue from now on (the real local queue is left out of it). */
export function watchRequeues(): string[] {
  const ids: string[] = [];
  vi.spyOn(MessageObject.prototype as unknown as { putOnQueue(id: string): Promise<void> }, "putOnQueue").mockImplementation(async (id) => {
    ids.push(id);
  });
  return ids;
}

/** A send queue that only records what it is given, for a route's `DELIVERY_QUEUE`. */
export function recordingQueue(): Queue<{ id: string }> & { readonly sent: { body: { id: string }; options?: QueueSendOptions }[] } {
  const sent: { body: { id: string }; options?: QueueSendOptions }[] = [];
  const queue = {
    sent,
    async send(body: { id: string }, options?: QueueSendOptions) {
      sent.push({ body, ...(options ? { options } : {}) });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<{ id: string }>>) {
      for (const message of messages) sent.push({ body: message.body, ...(message.delaySeconds === undefined ? {} : { options: { delaySeconds: message.delaySeconds } }) });
    },
  };
  return queue as unknown as Queue<{ id: string }> & typeof queue;
}

/** What the sandbox's `vendor` received (accepted or refused), oldest last. */
export async function received(vendor: string): Promise<any[]> {
  return (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages.filter((message: any) => message.vendor === vendor);
}
