/**
 * What the sandbox vendors received: every request they answered, accepted or refused, kept in this isolate's
 * memory (newest first, the last 200) for the outbox page. Credentials are never recorded.
 */
import type { VendorName } from "../../src/core/public.ts";

/** One message as a sandbox vendor saw it. */
export interface RecordedMessage {
  readonly id: string;
  readonly at: string;
  readonly vendor: VendorName;
  /** The HTTP status the sandbox answered. */
  readonly status: number;
  readonly accepted: boolean;
  /** Why it was refused, in the vendor's words. */
  readonly refusal?: string;
  readonly template?: string | number;
  readonly from?: string;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
  readonly subject?: string;
  /** Template data: variables, personalisation fields, snippets. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly html?: string;
  readonly text?: string;
  readonly attachments?: readonly { readonly name: string; readonly type?: string; readonly bytes?: number; readonly path?: string }[];
  /** Where the request broke the vendor's spec (a sandbox refuses such requests as the vendor would). */
  readonly specViolations: readonly string[];
}

const LIMIT = 200;

/**
 * The sandbox's record of messages.
 *
 * @example
 * outbox.record({ vendor: "listmonk", status: 200, accepted: true, to: ["ada@example.com"], specViolations: [] });
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

/** The outbox of this isolate. */
export const outbox = new Outbox();
