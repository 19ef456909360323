/**
 * What every vendor fake shares: the failures a test can ask for, the record of what a fake received, and the
 * spec check that holds each request to the vendor's OpenAPI document (generated/<vendor>.spec.json).
 */
import { Validator } from "@cfworker/json-schema";
import type { VendorName } from "../core/outcome.ts";

/**
 * A failure a fake plays instead of its normal answer:
 * - `timeout`: never answers (until the request's signal aborts);
 * - `429`: rate limited, with `Retry-After`, nothing sent;
 * - `503`: unavailable, nothing sent;
 * - `500`: the message is accepted and recorded as sent, then the answer is a 500;
 * - `auth`: the vendor's answer to bad credentials;
 * - `partial`: the named recipient is refused and the others are sent, where the vendor can say so (listmonk's
 *   default mode, Act-On's `suppressedRecipients`, Everlytic's per-recipient suppression); ExpertSender has one
 *   receiver, so there it is an ordinary send.
 *
 * @example
 * const listmonk = createListmonkFake({ failNext: ["429", "timeout"] satisfies FakeFailure[] });
 */
export type FakeFailure = "timeout" | "429" | "503" | "500" | "auth" | "partial";

const FAILURES: readonly FakeFailure[] = ["timeout", "429", "503", "500", "auth", "partial"];

/**
 * Options every fake takes.
 *
 * @example
 * const options: FakeOptions = { failNext: ["503"], retryAfterSeconds: 2, onMessage: (message) => console.log(message.to) };
 * const listmonk = createListmonkFake(options);
 */
export interface FakeOptions {
  /** Failures for the next sends, one each, in order (token requests are never failed). */
  readonly failNext?: readonly FakeFailure[];
  /** Seconds sent as `Retry-After` with a 429 or 503. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Called with each message as it is recorded (the worker's sandbox keeps its outbox this way). */
  readonly onMessage?: (message: FakeMessage) => void;
}

/** One send request as a fake saw it, accepted or refused. Credentials are never recorded. */
/**
 * How a fake's answer ended for one message: its status, and whether and why it was refused.
 *
 * @example
 * const message: FakeMessage = { vendor: "listmonk", to: ["a@example.com"], ...answered(400, "template 9 not found") };
 */
export function answered(status: number, refusal?: string, accepted = refusal === undefined): Pick<FakeMessage, "status" | "accepted" | "refusal"> {
  return { status, accepted, ...(refusal === undefined ? {} : { refusal }) };
}

export interface FakeMessage {
  readonly vendor: VendorName;
  /** The HTTP status the fake answered. */
  readonly status: number;
  /** Whether the vendor would have sent it (true for a `500` failure: it was sent, then the answer failed). */
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
  /** Where the request broke the vendor's spec (the fake refuses such requests as the vendor would). */
  readonly specViolations: readonly string[];
  /** The failure the fake played, if any. */
  readonly failure?: FakeFailure;
}

/**
 * What every fake exposes.
 *
 * @example
 * const fake: VendorFake = createListmonkFake();
 * fake.failNext("500");
 * console.log(fake.outbox.length, fake.specViolations);
 */
export interface VendorFake {
  /** The vendor's HTTP API as a fetch handler: pass it as the client's `fetch`. */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Every send request received, oldest first. */
  readonly outbox: FakeMessage[];
  /** Every way a request broke the vendor's spec. */
  readonly specViolations: string[];
  /** Queues failures for the next sends. */
  failNext(...failures: FakeFailure[]): void;
}

/**
 * The failure a recipient asks for: the local part `fail+<failure>` (`fail+429@example.com`).
 *
 * @example
 * failureOf("fail+timeout@example.com"); // "timeout"
 */
export function failureOf(address: unknown): FakeFailure | undefined {
  const match = /^fail\+([a-z0-9]+)@/i.exec(typeof address === "string" ? address.trim() : "");
  const failure = match?.[1]?.toLowerCase() as FakeFailure | undefined;
  return failure && FAILURES.includes(failure) ? failure : undefined;
}

/** The queue of option-chosen failures and the shared answers to them. */
export class FailurePlan {
  readonly #queue: FakeFailure[];
  readonly #retryAfter: number;

  constructor(options: FakeOptions) {
    this.#queue = [...(options.failNext ?? [])];
    this.#retryAfter = options.retryAfterSeconds ?? 1;
  }

  push(...failures: FakeFailure[]): void {
    this.#queue.push(...failures);
  }

  /** The failure for this send: the next queued one, else the first a recipient asks for. */
  take(recipients: readonly unknown[]): FakeFailure | undefined {
    return this.#queue.shift() ?? recipients.map(failureOf).find((failure) => failure !== undefined);
  }

  /** Headers of a 429 or 503. */
  get retryHeaders(): Record<string, string> {
    return { "retry-after": String(this.#retryAfter) };
  }
}

/**
 * Requests left unanswered. Held here because some runtimes (Node's undici) link a caller's signal to a
 * Request's own signal weakly: a request nothing references could be collected and never hear the abort.
 */
const hanging = new Set<Request>();

/** Waits until the request is aborted, then rejects as fetch does; never settles otherwise. */
export function hang(request: Request): Promise<never> {
  return new Promise((_, reject) => {
    const signal = request.signal;
    if (signal.aborted) return reject(signal.reason);
    hanging.add(request);
    signal.addEventListener(
      "abort",
      () => {
        hanging.delete(request);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A JSON answer, as the JSON vendors send them. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/** `user:password` from `Authorization: Basic …`, or `undefined`. */
export function basicCredentials(request: Request): string | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!encoded) return undefined;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The size of base64 content in bytes, without decoding it. */
export function base64Size(data: string): number {
  return Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);
}

/** Decodes base64 content, or `undefined` when it is not base64. */
export function base64Bytes(data: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** `fetch`'s arguments as one Request, so a fake can be passed wherever a client takes `fetch`. */
export function asRequest(input: Request | string | URL, init?: RequestInit): Request {
  return input instanceof Request && init === undefined ? input : new Request(input, init);
}

const validators = new Map<string, Validator>();

/**
 * How `value` breaks `components.schemas.<component>` of `spec`: short lines such as
 * `#/subscriber_emails/0 Instance does not match format "email"`, or none. @cfworker/json-schema runs in
 * workerd without `eval`.
 *
 * @example
 * const violations = specViolations(listmonkSpec, "listmonk", "TxMessage", body);
 */
export function specViolations(spec: object, vendor: VendorName, component: string, value: unknown): string[] {
  const id = `${vendor}#${component}`;
  let validator = validators.get(id);
  if (!validator) {
    // `$ref`s in the spec point at `#/components/...` of the same document, so the whole document is added.
    validator = new Validator({ $ref: `spec:${vendor}#/components/schemas/${component}` }, "2020-12", false);
    validator.addSchema(spec, `spec:${vendor}`);
    validators.set(id, validator);
  }
  const { valid, errors } = validator.validate(value);
  if (valid) return [];
  // The validator reports each failing schema and every schema above it; the innermost say the most.
  const leaves = errors.filter((error) => !/subschema|every subschema|does not match "(then|else)" schema/.test(error.error));
  return [...new Set((leaves.length ? leaves : errors).map((error) => `${error.instanceLocation} ${error.error}`))].slice(0, 10);
}
