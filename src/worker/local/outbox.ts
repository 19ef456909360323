/**
 * What the sandbox vendors received: every request they answered, accepted or refused, kept in this isolate's
 * memory (newest first, the last 200) for the outbox page. Credentials are never recorded.
 */
import type { FakeMessage } from "../../testing/fake.ts";

/**
 * One message as a sandbox vendor (a txgate/testing fake) saw it, with when and an id for the outbox page.
 *
 * @example
 * const { messages } = (await (await fetch("http://localhost:8787/sandbox/messages")).json()) as { messages: RecordedMessage[] };
 */
export type RecordedMessage = FakeMessage & { readonly id: string; readonly at: string };

const LIMIT = 200;

/**
 * The sandbox's record of messages.
 *
 * @example
 * outbox.record({ vendor: "acme", status: 200, accepted: true, to: ["ada@example.com"], specViolations: [] });
 */
export class Outbox {
  #messages: RecordedMessage[] = [];

  record(message: Omit<RecordedMessage, "id" | "at">): RecordedMessage {
    const recorded = { id: crypto.randomUUID(), at: new Date().toISOString(), ...message };
    this.#messages.unshift(recorded);
    this.#messages.length = Math.min(this.#messages.length, LIMIT);
    return recorded;
  }

  list(): readonly RecordedMessage[] {
    return this.#messages;
  }

  clear(): void {
    this.#messages = [];
  }
}
