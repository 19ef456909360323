/**
 * txgate/opentelemetry: a span per send and per attempt, with what an operator filters on and nothing that names a
 * person or opens an account. Spans are recorded by a small in-memory tracer provider built on @opentelemetry/api
 * alone, with an AsyncLocalStorage context manager as a Node deployment registers one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  context,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import { createMailer, defineCatalogue } from "../../src/catalogue/index.js";
import { createListmonkClient, type ListmonkOptions } from "../../src/listmonk/index.js";
import { createTxgateTracing, SpanAttribute, type TxgateTracing } from "../../src/opentelemetry/index.js";
import { createListmonkFake } from "../../src/testing/listmonk.js";

/** One finished (or still open) span, as the test tracer recorded it. */
interface RecordedSpan {
  readonly name: string;
  readonly kind: number | undefined;
  readonly parent: RecordedSpan | undefined;
  attributes: Attributes;
  readonly events: { name: string; attributes?: Attributes }[];
  status?: SpanStatus;
  ended: boolean;
}

/** A tracer provider that keeps every span in memory; each span knows its parent through the context it was started in. */
function memoryTracerProvider(): TracerProvider & { readonly spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const records = new WeakMap<Span, RecordedSpan>();
  let nextId = 1;
  const tracer: Tracer = {
    startSpan(name: string, options: SpanOptions = {}, parentContext: Context = context.active()): Span {
      const parentSpan = trace.getSpan(parentContext);
      const record: RecordedSpan = { name, kind: options.kind, parent: parentSpan && records.get(parentSpan), attributes: { ...options.attributes }, events: [], ended: false };
      spans.push(record);
      const spanContext: SpanContext = { traceId: "0".repeat(31) + "1", spanId: String(nextId++).padStart(16, "0"), traceFlags: TraceFlags.SAMPLED };
      const span: Span = {
        spanContext: () => spanContext,
        setAttribute: (key, value) => ((record.attributes[key] = value), span),
        setAttributes: (attributes) => (Object.assign(record.attributes, attributes), span),
        addEvent: (eventName, attributes) => (record.events.push({ name: eventName, attributes: attributes as Attributes }), span),
        addLink: () => span,
        addLinks: () => span,
        setStatus: (status) => ((record.status = status), span),
        updateName: () => span,
        end: () => void (record.ended = true),
        isRecording: () => !record.ended,
        recordException: () => void record.events.push({ name: "exception" }),
      };
      records.set(span, record);
      return span;
    },
    startActiveSpan: (() => {
      throw new Error("txgate does not use startActiveSpan");
    }) as Tracer["startActiveSpan"],
  };
  return { spans, getTracer: () => tracer };
}

/** The context manager a Node deployment registers (as @opentelemetry/context-async-hooks does), in a few lines. */
function asyncLocalStorageContextManager(): ContextManager {
  const storage = new AsyncLocalStorage<Context>();
  return {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
    bind: (_ctx, target) => target,
    enable() {
      return this;
    },
    disable() {
      storage.disable();
      return this;
    },
  };
}

const RECIPIENT = "private.person@example.com";
const DATA_SECRET = "Diagnosis: very private";
const TOKEN = "lm-otel-secret-token-3b9e";
const credentials = { username: "api_user", token: TOKEN };

function listmonk(tracing: TxgateTracing, options: Partial<ListmonkOptions> = {}) {
  const fake = createListmonkFake({ ...credentials, templates: [2], subscribers: [{ id: 1, email: RECIPIENT }] });
  return createListmonkClient({ baseUrl: "https://listmonk.example", ...credentials, fetch: fake.fetch, logger: tracing.logger, retry: { baseDelayMs: 1 }, ...options });
}

/** A fetch that answers 503 (nothing sent, retry) `times` times, then hands over to `next`. */
function unavailableFirst(times: number, next: (request: Request) => Promise<Response>) {
  let left = times;
  return (request: Request) => (left-- > 0 ? Promise.resolve(new Response('{"message":"busy"}', { status: 503, headers: { "Retry-After": "0" } })) : next(request));
}

afterEach(() => {
  context.disable();
  trace.disable();
});

describe("a traced client", () => {
  it("gives each send a span and each attempt a child span, with vendor, template, kind, delivery, attempts and status", async () => {
    context.setGlobalContextManager(asyncLocalStorageContextManager());
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const fake = createListmonkFake({ ...credentials, templates: [2], subscribers: [{ id: 1, email: RECIPIENT }] });
    const client = tracing.client(listmonk(tracing, { fetch: unavailableFirst(1, fake.fetch) }));

    const outcome = await client.sendMessage({ template: 2, to: RECIPIENT, data: { note: DATA_SECRET } });

    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    const [send, ...attempts] = provider.spans;
    expect(send).toMatchObject({
      name: "txgate sendMessage",
      ended: true,
      parent: undefined,
      attributes: {
        [SpanAttribute.operation]: "sendMessage",
        [SpanAttribute.template]: 2,
        [SpanAttribute.vendor]: "listmonk",
        [SpanAttribute.outcomeKind]: "sent",
        [SpanAttribute.attempts]: 2,
        [SpanAttribute.httpStatus]: 200,
      },
    });
    expect(send!.status).toBeUndefined();
    expect(send!.events).toEqual([{ name: "txgate.retry", attributes: { [SpanAttribute.attempt]: 1, [SpanAttribute.outcomeKind]: "server_error", "txgate.retry.delay_ms": expect.any(Number) } }]);
    expect(attempts.map((span) => [span.name, span.parent, span.ended, span.attributes])).toEqual([
      ["txgate attempt", send, true, expect.objectContaining({ [SpanAttribute.attempt]: 1, [SpanAttribute.outcomeKind]: "server_error", [SpanAttribute.httpStatus]: 503 })],
      ["txgate attempt", send, true, expect.objectContaining({ [SpanAttribute.attempt]: 2, [SpanAttribute.outcomeKind]: "sent", [SpanAttribute.httpStatus]: 200 })],
    ]);
    expect(attempts[0]!.status).toMatchObject({ code: 2, message: "server_error" });
  });

  it("marks a failed send's span an error, with its delivery and kind, and keeps the same outcome", async () => {
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const plain = listmonk(tracing);
    const message = { template: 2, to: "nobody.known@example.com", data: { note: DATA_SECRET } };

    const outcome = await tracing.client(plain).sendMessage(message);

    expect(outcome).toEqual(await plain.sendMessage(message));
    expect(outcome).toMatchObject({ ok: false, kind: "rejected", delivery: "not_sent" });
    expect(provider.spans[0]).toMatchObject({
      status: { code: 2, message: "rejected" },
      attributes: { [SpanAttribute.outcomeKind]: "rejected", [SpanAttribute.delivery]: "not_sent", [SpanAttribute.retryable]: false, [SpanAttribute.errorType]: "rejected", [SpanAttribute.httpStatus]: 400 },
    });
  });

  it("traces the native send too, without a template (its field differs per vendor)", async () => {
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    await tracing.client(listmonk(tracing)).send({ template_id: 2, subscriber_emails: [RECIPIENT] });
    expect(provider.spans[0]!.attributes).toMatchObject({ [SpanAttribute.operation]: "send", [SpanAttribute.vendor]: "listmonk", [SpanAttribute.outcomeKind]: "sent" });
    expect(provider.spans[0]!.attributes).not.toHaveProperty(SpanAttribute.template);
  });

  it("puts no address, template data, vendor message or credential in any span, sent or failed", async () => {
    context.setGlobalContextManager(asyncLocalStorageContextManager());
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const client = tracing.client(listmonk(tracing));
    await client.sendMessage({ template: 2, to: RECIPIENT, data: { note: DATA_SECRET } });
    // listmonk's 400 names the address it could not find; the outcome's message quotes it.
    const refused = await client.sendMessage({ template: 2, to: ["unknown.person@example.com"], data: { note: DATA_SECRET } });
    expect(JSON.stringify(refused)).toContain("unknown.person@example.com");
    await tracing.client(listmonk(tracing, { token: "wrong-token-but-still-secret" })).sendMessage({ template: 2, to: RECIPIENT });

    const recorded = JSON.stringify(provider.spans.map(({ parent: _, ...span }) => span));
    expect(provider.spans.length).toBeGreaterThanOrEqual(6);
    for (const secret of [RECIPIENT, "unknown.person@example.com", "example.com", DATA_SECRET, "private", TOKEN, "wrong-token-but-still-secret", "not found"]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it("sends and answers as before when no tracer provider is registered (the API's no-op)", async () => {
    const tracing = createTxgateTracing();
    const outcome = await tracing.client(listmonk(tracing)).sendMessage({ template: 2, to: RECIPIENT });
    expect(outcome).toMatchObject({ ok: true, kind: "sent" });
  });

  it("uses the global tracer provider, even one registered after the tracing was made", async () => {
    const tracing = createTxgateTracing();
    const provider = memoryTracerProvider();
    trace.setGlobalTracerProvider(provider);
    await tracing.client(listmonk(tracing)).sendMessage({ template: 2, to: RECIPIENT });
    expect(provider.spans.map((span) => span.name)).toEqual(["txgate sendMessage", "txgate attempt"]);
  });

  it("passes every log entry on to your own logger", async () => {
    const entries: string[] = [];
    const tracing = createTxgateTracing({ tracerProvider: memoryTracerProvider(), logger: (entry) => entries.push(entry.event) });
    await tracing.client(listmonk(tracing)).sendMessage({ template: 2, to: RECIPIENT });
    expect(entries).toEqual(["attempt", "outcome"]);
  });

  it("ends the span and rethrows when a client of your own throws, naming only the error's class", async () => {
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const own = { sendMessage: async (_message: { template: string; to: string }) => Promise.reject(new TypeError(`could not reach ${RECIPIENT}`)) };
    await expect(tracing.client(own).sendMessage({ template: "t", to: RECIPIENT })).rejects.toThrow(TypeError);
    expect(provider.spans[0]).toMatchObject({ ended: true, status: { code: 2, message: "threw" }, attributes: { [SpanAttribute.errorType]: "TypeError" } });
    expect(JSON.stringify(provider.spans)).not.toContain(RECIPIENT);
  });
});

describe("attempts without a context manager", () => {
  it("go under the only send in flight", async () => {
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    await tracing.client(listmonk(tracing)).sendMessage({ template: 2, to: RECIPIENT });
    const [send, attempt] = provider.spans;
    expect(attempt).toMatchObject({ name: "txgate attempt", parent: send, ended: true });
  });

  it("are left out, never put under the wrong send, while two sends run at once", async () => {
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const client = tracing.client(listmonk(tracing));
    const outcomes = await Promise.all([client.sendMessage({ template: 2, to: RECIPIENT }), client.sendMessage({ template: 2, to: RECIPIENT })]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["sent", "sent"]);
    expect(provider.spans.filter((span) => span.name === "txgate attempt")).toEqual([]);
    expect(provider.spans.map((span) => span.ended)).toEqual([true, true]);
  });
});

describe("with a context manager, concurrent sends", () => {
  it("each get their own attempts", async () => {
    context.setGlobalContextManager(asyncLocalStorageContextManager());
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const fake = createListmonkFake({ ...credentials, templates: [2], subscribers: [{ id: 1, email: RECIPIENT }] });
    const client = tracing.client(listmonk(tracing, { fetch: unavailableFirst(1, fake.fetch) }));
    await Promise.all([client.sendMessage({ template: 2, to: RECIPIENT }), client.sendMessage({ template: 2, to: RECIPIENT })]);
    const sends = provider.spans.filter((span) => span.name === "txgate sendMessage");
    const attemptsOf = (send: RecordedSpan) => provider.spans.filter((span) => span.parent === send).map((span) => span.attributes[SpanAttribute.attempt]);
    // One of the two met the 503 and took two attempts; each send's spans say its own count.
    expect(sends.map((send) => attemptsOf(send).length).sort()).toEqual([1, 2]);
    for (const send of sends) expect(attemptsOf(send).length).toBe(send.attributes[SpanAttribute.attempts]);
  });
});

describe("a traced mailer", () => {
  const catalogue = defineCatalogue({
    receipt: { variables: v.object({ note: v.string() }), via: [{ vendor: "listmonk", template: 4 }, { vendor: "listmonk", template: 2 }] },
  });

  it("gives the catalogue send a span with the template's name and failover count, the traced client's spans under it", async () => {
    context.setGlobalContextManager(asyncLocalStorageContextManager());
    const provider = memoryTracerProvider();
    const tracing = createTxgateTracing({ tracerProvider: provider });
    const mail = tracing.mailer(createMailer(catalogue, { listmonk: tracing.client(listmonk(tracing)) }));

    const outcome = await mail.send("receipt", { to: RECIPIENT, data: { note: DATA_SECRET } });

    expect(outcome).toMatchObject({ ok: true, failover: [{ kind: "rejected" }] });
    const [top, ...rest] = provider.spans;
    expect(top).toMatchObject({
      name: "txgate mailer.send",
      attributes: { [SpanAttribute.template]: "receipt", [SpanAttribute.failover]: 1, [SpanAttribute.outcomeKind]: "sent", [SpanAttribute.vendor]: "listmonk" },
    });
    expect(rest.map((span) => [span.name, span.parent?.name, span.attributes[SpanAttribute.template] ?? span.attributes[SpanAttribute.attempt]])).toEqual([
      ["txgate sendMessage", "txgate mailer.send", 4],
      ["txgate attempt", "txgate sendMessage", 1],
      ["txgate sendMessage", "txgate mailer.send", 2],
      ["txgate attempt", "txgate sendMessage", 1],
    ]);
    expect(JSON.stringify(provider.spans.map(({ parent: _, ...span }) => span))).not.toMatch(/example\.com|private/);
  });
});
