/**
 * `txgate/opentelemetry`: OpenTelemetry spans for txgate sends, through `@opentelemetry/api` (an optional peer
 * dependency: install it, and register a tracer provider, to get spans). A traced client or mailer sends exactly as
 * before and returns the same outcome; each send gets a span, and each HTTP attempt a child span when the client's
 * `logger` is the tracing's.
 *
 * A span holds what an operator filters on (vendor, template, outcome kind, delivery, attempts, HTTP status) and
 * nothing that identifies a person or opens an account: no address, no template data, no outcome message (a
 * vendor's message can quote an address), no credential.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";
import type { CatalogueOutcome } from "../catalogue/catalogue.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { CallOptions, LogEntry } from "../core/options.ts";
import type { Outcome } from "../core/outcome.ts";

/**
 * The instrumentation scope txgate's spans are created under.
 *
 * @example
 * const tracer = trace.getTracer(TRACER_NAME); // the tracer txgate's spans come from
 */
export const TRACER_NAME = "txgate";

/**
 * The span attributes txgate sets, by name.
 *
 * @example
 * const kind = exported.attributes[SpanAttribute.outcomeKind]; // an exporter's ReadableSpan: "sent", "rate_limited", ...
 */
export const SpanAttribute = {
  vendor: "txgate.vendor",
  /** The template: the vendor's template id (`sendMessage`) or the catalogue's template name (a mailer's `send`). */
  template: "txgate.template",
  /** `send`, `sendMessage` or `mailer.send`. */
  operation: "txgate.operation",
  /** The outcome's `kind`: `sent` or a failure kind. */
  outcomeKind: "txgate.outcome.kind",
  /** A failure's `delivery`: `not_sent`, `unknown` or `partial`. Absent on `sent`. */
  delivery: "txgate.delivery",
  retryable: "txgate.retryable",
  /** How many HTTP attempts the send took (on a send's span). */
  attempts: "txgate.attempts",
  /** Which attempt this is, from 1 (on an attempt's span). */
  attempt: "txgate.attempt",
  /** How many vendors a mailer tried and failed over from before the one that answered. */
  failover: "txgate.failover",
  /** The vendor's HTTP status, as OpenTelemetry's HTTP conventions name it. */
  httpStatus: "http.response.status_code",
  /** A failure's kind, as OpenTelemetry's conventions name the class of an error. */
  errorType: "error.type",
} as const;

/**
 * Options for `createTxgateTracing`.
 *
 * @example
 * const tracing = createTxgateTracing({ tracerProvider: provider, logger: console.log } satisfies TxgateTracingOptions);
 */
export interface TxgateTracingOptions {
  /** Where the tracer comes from. Default: the global provider (`trace.setGlobalTracerProvider`), whenever it is set. */
  readonly tracerProvider?: TracerProvider;
  /** Your own logger: gets every entry too, after the tracing has read it (a client takes one `logger`). */
  readonly logger?: (entry: LogEntry) => void;
}

/**
 * Any txgate client: every vendor client has both; a client of your own may have either.
 *
 * @example
 * const client: TraceableClient = createListmonkClient({ baseUrl, username, token });
 */
export interface TraceableClient {
  /** Sends a native message; traced as `txgate send`. */
  send?(message: never, call?: CallOptions): Promise<Outcome<unknown>>;
  /** Sends the common message; traced as `txgate sendMessage`. */
  sendMessage?(message: TemplateMessage, call?: CallOptions): Promise<Outcome<unknown>>;
}

/**
 * A catalogue mailer (`createMailer`), or anything that sends the same way.
 *
 * @example
 * const mailer: TraceableMailer = createMailer(catalogue, { listmonk });
 */
export interface TraceableMailer {
  /** Sends a catalogue template; traced as `txgate mailer.send`. */
  send(template: never, message: never, call?: CallOptions): Promise<CatalogueOutcome>;
}

/**
 * Traces txgate clients and mailers; see `createTxgateTracing`.
 *
 * @example
 * const tracing: TxgateTracing = createTxgateTracing();
 * const listmonk = tracing.client(createListmonkClient({ baseUrl, username, token, logger: tracing.logger }));
 */
export interface TxgateTracing {
  /**
   * Give this as a client's `logger`: each HTTP attempt of a traced send becomes a child span of the send's span,
   * from the moment its request is ready (after any pacing wait) to its answer, and each retry an event on the
   * send's span. An attempt is tied to its send through the active OpenTelemetry context, so concurrent sends need a
   * context manager (Node: `AsyncLocalStorageContextManager`); without one, attempts are traced while only one
   * traced send is in flight, and left out (never put under the wrong send) when more are. Give it only to clients
   * you trace: an untraced client's attempt could otherwise land under the one traced send in flight.
   */
  readonly logger: (entry: LogEntry) => void;
  /** The same client, with a span around each `send` and `sendMessage`. Returns the same outcomes. */
  client<C extends TraceableClient>(client: C): C;
  /** The same mailer, with a span around each `send`; traced clients' spans nest under it. */
  mailer<M extends TraceableMailer>(mailer: M): M;
}

/**
 * Creates the tracing for txgate sends.
 *
 * @example
 * import { createTxgateTracing } from "txgate/opentelemetry";
 * const tracing = createTxgateTracing();
 * const listmonk = tracing.client(createListmonkClient({ baseUrl, username, token, logger: tracing.logger }));
 * const mail = tracing.mailer(createMailer(catalogue, { listmonk }));
 * await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1234" } });
 * // spans: "txgate mailer.send" { txgate.template: "orderShipped", ... }
 * //   └ "txgate sendMessage" { txgate.vendor: "listmonk", txgate.outcome.kind: "sent", txgate.attempts: 1 }
 * //       └ "txgate attempt" { txgate.attempt: 1, http.response.status_code: 200 }
 */
export function createTxgateTracing(options: TxgateTracingOptions = {}): TxgateTracing {
  // A provider registered later still counts: the global one is a proxy that forwards to whatever is registered.
  const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  const ownLogger = options.logger;
  /** The spans of traced sends still running, and each one's attempt in flight. */
  const sends = new Set<Span>();
  const attempts = new WeakMap<Span, Span>();

  /** The traced send an attempt belongs to: the active span, or the only one in flight when no context carried it. */
  const sendOf = (): Span | undefined => {
    const active = trace.getSpan(context.active());
    if (active && sends.has(active)) return active;
    if (sends.size === 1) return sends.values().next().value;
    return undefined;
  };

  const logger = (entry: LogEntry) => {
    try {
      traceEntry(entry);
    } catch {
      // A tracer that throws must not take the send down with it; the entry still reaches your logger.
    }
    ownLogger?.(entry);
  };

  const traceEntry = (entry: LogEntry) => {
    const send = sendOf();
    if (!send) return;
    if (entry.event === "attempt") {
      attempts.get(send)?.end();
      const attributes: Attributes = { [SpanAttribute.vendor]: entry.vendor, [SpanAttribute.attempt]: entry.attempt, "http.request.method": "POST" };
      attempts.set(send, tracer.startSpan("txgate attempt", { kind: SpanKind.CLIENT, attributes }, trace.setSpan(context.active(), send)));
    } else if (entry.event === "outcome") {
      const span = attempts.get(send);
      if (!span) return;
      attempts.delete(send);
      span.setAttributes(kindAttributes(entry.kind, entry.status));
      if (entry.kind !== undefined && entry.kind !== "sent") span.setStatus({ code: SpanStatusCode.ERROR, message: entry.kind });
      span.end();
    } else if (entry.event === "retry") {
      send.addEvent("txgate.retry", { [SpanAttribute.attempt]: entry.attempt, [SpanAttribute.outcomeKind]: entry.kind ?? "", "txgate.retry.delay_ms": entry.delayMs ?? 0 });
    }
  };

  /** Runs `run` inside a span of its own, made the active one, and ends the span with the outcome. */
  const traced = async <O extends Outcome<unknown>>(name: string, attributes: Attributes, run: () => Promise<O>, finish?: (span: Span, outcome: O) => void): Promise<O> => {
    let span: Span;
    try {
      span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes });
    } catch {
      return run();
    }
    sends.add(span);
    try {
      const outcome = await context.with(trace.setSpan(context.active(), span), run);
      endWith(span, outcome);
      finish?.(span, outcome);
      return outcome;
    } catch (error) {
      // Only a client of your own can throw: the span says so by the error's class, never its message.
      span.setAttribute(SpanAttribute.errorType, error instanceof Error ? error.name : typeof error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: "threw" });
      throw error;
    } finally {
      attempts.get(span)?.end();
      attempts.delete(span);
      sends.delete(span);
      span.end();
    }
  };

  return {
    logger,
    client(client) {
      const wrapped = Object.create(client) as typeof client;
      const { send, sendMessage } = client;
      if (typeof send === "function") {
        Object.defineProperty(wrapped, "send", {
          enumerable: true,
          value: (message: never, call?: CallOptions) => traced("txgate send", { [SpanAttribute.operation]: "send" }, () => send.call(client, message, call)),
        });
      }
      if (typeof sendMessage === "function") {
        Object.defineProperty(wrapped, "sendMessage", {
          enumerable: true,
          value: (message: TemplateMessage, call?: CallOptions) =>
            traced("txgate sendMessage", { [SpanAttribute.operation]: "sendMessage", ...templateAttribute(() => message.template) }, () =>
              sendMessage.call(client, message, call),
            ),
        });
      }
      return wrapped;
    },
    mailer(mailer) {
      const wrapped = Object.create(mailer) as typeof mailer;
      const send = mailer.send as (template: string, message: unknown, call?: CallOptions) => Promise<CatalogueOutcome>;
      Object.defineProperty(wrapped, "send", {
        enumerable: true,
        value: (template: string, message: unknown, call?: CallOptions) =>
          traced(
            "txgate mailer.send",
            { [SpanAttribute.operation]: "mailer.send", ...templateAttribute(() => template) },
            () => send.call(mailer, template, message, call),
            (span, outcome) => span.setAttribute(SpanAttribute.failover, Array.isArray(outcome.failover) ? outcome.failover.length : 0),
          ),
      });
      return wrapped;
    },
  };
}

function endWith(span: Span, outcome: Outcome<unknown>): void {
  if (typeof outcome !== "object" || outcome === null) return;
  const attributes: Attributes = { ...kindAttributes(outcome.kind, "status" in outcome ? outcome.status : undefined) };
  if (typeof outcome.vendor === "string") attributes[SpanAttribute.vendor] = outcome.vendor;
  if (typeof outcome.attempts === "number") attributes[SpanAttribute.attempts] = outcome.attempts;
  if (!outcome.ok) {
    if (typeof outcome.delivery === "string") attributes[SpanAttribute.delivery] = outcome.delivery;
    if (typeof outcome.retryable === "boolean") attributes[SpanAttribute.retryable] = outcome.retryable;
  }
  span.setAttributes(attributes);
  // The status names the kind only: an outcome's message can quote an address the vendor refused.
  if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: String(outcome.kind) });
}

function kindAttributes(kind: unknown, status: unknown): Attributes {
  const attributes: Attributes = {};
  if (typeof kind === "string") {
    attributes[SpanAttribute.outcomeKind] = kind;
    if (kind !== "sent") attributes[SpanAttribute.errorType] = kind;
  }
  if (typeof status === "number") attributes[SpanAttribute.httpStatus] = status;
  return attributes;
}

/** A template id or name as an attribute: text up to 128 characters or a number; nothing when reading it throws. */
function templateAttribute(read: () => unknown): Attributes {
  try {
    const template = read();
    if (typeof template === "number" && Number.isFinite(template)) return { [SpanAttribute.template]: template };
    if (typeof template === "string" && template.length <= 128) return { [SpanAttribute.template]: template };
  } catch {
    // A message of your own with a throwing getter: the send reports it; the span goes without a template.
  }
  return {};
}
