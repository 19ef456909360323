/**
 * The generated-input suite's engine: feeds each vendor's `send` generated input through a recording `fetch`,
 * judges every send against the library's promises, counts what happened, and shrinks a failing input to a
 * small counterexample.
 */
import fc from "fast-check";
import type { Middleware } from "openapi-fetch";
import type { LogEntry } from "../../src/core/options.js";
import type { RetryPolicy } from "../../src/core/retry.js";
import { answers, toResponse } from "./answers.js";
import { failureKinds, type Outcome, type VendorName } from "../../src/core/outcome.js";
import { watchForSecrets } from "../support/secret-watch.js";
import { answeredInputs, generatedInputs, materialize, type FieldEdges, type GeneratedInput } from "./hostile.js";
import { inputMentions, recordingFetch, type RecordedRequest } from "./wire.js";

/** What the suite needs to know about one vendor. */
export interface VendorFuzz {
  readonly vendor: VendorName;
  /** Valid messages, from the vendor's fixtures and generated values. */
  readonly valid: fc.Arbitrary<unknown>;
  /** Strings worth trying in this vendor's fields (its near-miss values and its secrets). */
  readonly strings: readonly string[];
  /** Where the messages hold free-form records (`*` for every item of an array): keys such as `__proto__` go there. */
  readonly records: readonly (readonly string[])[];
  /** Fields and the edge values to try in them (addresses, IPs, ids). */
  readonly fields: readonly FieldEdges[];
  /** Every form of every credential: none may appear in an outcome. */
  readonly secrets: readonly string[];
  /** The vendor's success answer to a request. */
  answer(request: RecordedRequest): Response | Promise<Response>;
  /** A fresh client sending through `fetch`, with the caller's hooks (a logger and a middleware that watch for secrets). */
  client(fetch: (request: Request) => Promise<Response>, hooks: Hooks): { send(message: never): Promise<Outcome<unknown>> };
  /** Judges the requests a send made from `input` (materialized): what breaks the spec, what differs from the input. */
  judge(input: unknown, requests: readonly RecordedRequest[]): Promise<WireVerdict>;
  /** Whether a request carries the message (Act-On's token requests do not). Default: every request does. */
  isMessageRequest?(request: RecordedRequest): boolean;
  /** Where each secret may travel: `true` when `secret` in this part of this request is where it belongs. */
  secretBelongs(request: RecordedRequest, where: "url" | "body" | `header ${string}`, secret: string): boolean;
}

export interface Hooks {
  readonly logger: (entry: LogEntry) => void;
  readonly middleware: Middleware[];
  readonly retry: RetryPolicy;
}

/** One retry, at once: a 429 or 503 is retried without waiting, and a Retry-After of more than 0 s ends the send. */
const QUICK_RETRY: RetryPolicy = { retries: 1, baseDelayMs: 0, maxDelayMs: 0 };

export interface WireVerdict {
  /** The request breaks the vendor's spec (schema, formats, path parameters). */
  readonly malformed: string[];
  /** The request does not carry the input's values as they were given. */
  readonly altered: string[];
  /** A header (or a multipart part header) holds CR, LF or NUL. */
  readonly headers: string[];
}

/** The promises, one test each. */
export const PROPERTIES = {
  rejection: "send never rejects",
  hang: "send never hangs",
  outcome: "the outcome's kind is documented, and a validation outcome names a path and a rule for each issue",
  validationSent: "a validation outcome sends nothing",
  delivery: "a failure that sent nothing says delivery not_sent, and sent means a request went out",
  malformed: "every request sent is valid against the vendor's spec",
  altered: "every request sent carries the input's values unchanged",
  headers: "no header value holds CR, LF or NUL, and no credential appears where it should not",
  validRefused: "a valid message is sent",
} as const;

export type Property = keyof typeof PROPERTIES;

export interface Verdict {
  readonly generated: GeneratedInput;
  readonly settled: "resolved" | "rejected" | "hung";
  readonly outcome?: Outcome<unknown>;
  readonly requests: number;
  readonly problems: Partial<Record<Property, string>>;
}

/** What a run keeps of a verdict: its kind and problems, and the input only when something failed (10,000 inputs and their outcomes would not fit in memory). */
export interface KeptVerdict {
  readonly kind?: string;
  readonly requests: number;
  readonly problems: Partial<Record<Property, string>>;
  readonly generated?: GeneratedInput;
}

export function keep(verdict: Verdict): KeptVerdict {
  const failed = Object.keys(verdict.problems).length > 0;
  return { kind: verdict.outcome?.kind, requests: verdict.requests, problems: verdict.problems, ...(failed ? { generated: verdict.generated } : {}) };
}

/** The bound on one send. The injected fetch answers at once, so a send still open after it is stuck. */
const HANG_BOUND_MS = 10_000;

const documentedKinds = new Set<string>([...failureKinds, "sent"]);

/** Sends one generated input and judges everything the send did. */
export async function evaluate(fuzz: VendorFuzz, generated: GeneratedInput): Promise<Verdict> {
  const input = materialize(generated.input);
  const { answer } = generated;
  const { fetch, requests } = recordingFetch((request) =>
    answer && (fuzz.isMessageRequest?.(request) ?? true) ? toResponse(answer) : fuzz.answer(request),
  );
  const watch = watchForSecrets();
  const problems: Partial<Record<Property, string>> = {};
  let outcome: Outcome<unknown> | undefined;
  let settled: Verdict["settled"];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const call = materialize(generated.call);
    const send = (fuzz.client(fetch, { logger: watch.logger, middleware: [watch.middleware], retry: QUICK_RETRY }).send as (message: unknown, call?: unknown) => Promise<Outcome<unknown>>)(input, call);
    const hang = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), HANG_BOUND_MS)));
    const result = await Promise.race([send, hang]);
    if (result === "hung") settled = "hung";
    else {
      settled = "resolved";
      outcome = result;
    }
  } catch (error) {
    settled = "rejected";
    problems.rejection = `send rejected with ${describeThrown(error)}`;
  } finally {
    clearTimeout(timer);
  }
  if (settled === "hung") problems.hang = `send still open after ${HANG_BOUND_MS} ms with ${requests.length} request(s) made`;

  if (outcome !== undefined) {
    const bad = outcomeProblem(outcome);
    if (bad) problems.outcome = bad;
    const kind = (outcome as { kind?: unknown })?.kind;
    if (kind === "validation" && requests.length > 0) problems.validationSent = `validation outcome after ${requests.length} request(s)`;
    const messages = requests.filter((request) => fuzz.isMessageRequest?.(request) ?? true).length;
    if (kind === "sent" && messages === 0) problems.delivery = "sent, but the message was never requested";
    if (kind !== "sent" && kind !== "validation" && messages === 0 && (outcome as { delivery?: unknown }).delivery !== "not_sent") {
      problems.delivery = `${String(kind)} with delivery ${String((outcome as { delivery?: unknown }).delivery)}, but the message was never requested (${JSON.stringify((outcome as { message?: unknown }).message)})`;
    }
    const refused = generated.origin === "answer" ? kind === "validation" : generated.origin === "valid" && generated.call === undefined && kind !== "sent";
    if (refused) problems.validRefused = `${String(kind)}: ${String((outcome as { message?: unknown }).message)}`;
    const leaked = leakedSecret(fuzz, input, { outcome, logs: watch.logs, middlewareSaw: watch.hookViews });
    if (leaked) problems.headers = leaked;
  }
  if (requests.length > 0) {
    let wire: WireVerdict;
    try {
      wire = await fuzz.judge(input, requests);
    } catch (error) {
      wire = { malformed: [], altered: [`sent, though the input cannot be read back: ${describeThrown(error)}`], headers: [] };
    }
    if (wire.malformed.length) problems.malformed = wire.malformed.join("; ");
    if (wire.altered.length) problems.altered = wire.altered.join("; ");
    const misplaced = [...wire.headers, ...misplacedSecrets(fuzz, input, requests)];
    if (misplaced.length) problems.headers = [problems.headers, ...misplaced].filter(Boolean).join("; ");
  }
  return { generated, settled, outcome, requests: requests.length, problems };
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an unprintable value";
  }
}

function outcomeProblem(outcome: Outcome<unknown>): string | undefined {
  if (typeof outcome !== "object" || outcome === null) return `the outcome is ${String(outcome)}`;
  if (!documentedKinds.has(outcome.kind)) return `undocumented kind ${JSON.stringify(outcome.kind)}`;
  if (outcome.ok !== (outcome.kind === "sent")) return `ok ${String(outcome.ok)} with kind ${outcome.kind}`;
  if (outcome.kind === "sent" && !(outcome.status >= 200 && outcome.status < 300)) return `sent, on a ${outcome.status} answer`;
  if (!Number.isInteger(outcome.attempts) || outcome.attempts < 0) return `attempts ${String(outcome.attempts)}`;
  if (!outcome.ok) {
    // The fields every failure documents, with the types it documents.
    const { delivery, retryable, message } = outcome;
    if (!["not_sent", "unknown", "partial"].includes(delivery)) return `delivery ${JSON.stringify(delivery)}`;
    if (typeof retryable !== "boolean") return `retryable ${JSON.stringify(retryable)}`;
    if (typeof message !== "string" || !message) return `message ${JSON.stringify(message)}`;
    const { retryAfter, status } = outcome as { retryAfter?: unknown; status?: unknown };
    if (retryAfter !== undefined && !(typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0)) return `retryAfter ${String(retryAfter)}`;
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) return `status ${String(status)}`;
  }
  if (outcome.kind !== "validation") return undefined;
  if (!Array.isArray(outcome.issues) || outcome.issues.length === 0) return "a validation outcome without issues";
  for (const issue of outcome.issues) {
    if (typeof issue?.path !== "string") return `an issue without a path: ${JSON.stringify(issue)}`;
    if (typeof issue.rule !== "string" || !issue.rule) return `an issue without a rule: ${JSON.stringify(issue)}`;
    if (typeof issue.message !== "string" || !issue.message) return `an issue without a message: ${JSON.stringify(issue)}`;
    // The root's path is "": an unknown key must be named by a path that is not the root's.
    if (issue.rule === "unknown_field" && issue.path === "") return `an unknown field whose path is the root's (""): ${issue.message}`;
  }
  const { delivery, retryable } = outcome as { delivery: unknown; retryable: unknown };
  if (delivery !== "not_sent" || retryable !== false) return `validation with delivery ${String(delivery)}, retryable ${String(retryable)}`;
  return undefined;
}

/** A credential in what the caller sees: the outcome, the log entries, what middleware is shown. */
function leakedSecret(fuzz: VendorFuzz, input: unknown, seen: Record<string, unknown>): string | undefined {
  for (const [where, value] of Object.entries(seen)) {
    let text: string;
    try {
      text = JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? String(item) : item)) ?? "";
    } catch (error) {
      return `the ${where} cannot be serialised: ${describeThrown(error)}`;
    }
    const secret = fuzz.secrets.find((form) => text.includes(form) && !mentioned(input, form));
    if (secret) return `a credential (${secret.slice(0, 3)}…) in the ${where}`;
  }
  return undefined;
}

function misplacedSecrets(fuzz: VendorFuzz, input: unknown, requests: readonly RecordedRequest[]): string[] {
  const found: string[] = [];
  for (const request of requests) {
    const body = new TextDecoder().decode(request.body);
    for (const secret of fuzz.secrets) {
      const shown = `${secret.slice(0, 3)}…`;
      // A credential the caller put in the message travels where the caller put it.
      if (mentioned(input, secret)) continue;
      if (request.url.href.includes(secret) && !fuzz.secretBelongs(request, "url", secret)) found.push(`credential ${shown} in the URL`);
      for (const [name, value] of request.headers) {
        if (value.includes(secret) && !fuzz.secretBelongs(request, `header ${name}`, secret)) found.push(`credential ${shown} in header ${name}`);
      }
      if (body.includes(secret) && !fuzz.secretBelongs(request, "body", secret)) found.push(`credential ${shown} in the body`);
    }
    for (const [name, value] of request.headers) {
      if (/[\r\n\0]/.test(value)) found.push(`header ${name} holds CR, LF or NUL: ${JSON.stringify(value)}`);
    }
  }
  return found;
}

/** Whether the caller put this credential (in this form, or decoded) into the message. */
function mentioned(input: unknown, form: string): boolean {
  let decoded = form;
  try {
    decoded = decodeURIComponent(form);
  } catch {
    // Not percent-encoded.
  }
  return inputMentions(input, form) || inputMentions(input, decoded);
}

/** Per-vendor counts of one run. */
export interface Counts {
  inputs: number;
  sent: number;
  validation: number;
  other: Record<string, number>;
  failures: Record<Property, number>;
  /** Wall time of the run, for the table only (nothing depends on it). */
  seconds?: number;
}

export function countVerdicts(verdicts: readonly KeptVerdict[]): Counts {
  const failures = Object.fromEntries(Object.keys(PROPERTIES).map((key) => [key, 0])) as Record<Property, number>;
  const counts: Counts = { inputs: verdicts.length, sent: 0, validation: 0, other: {}, failures };
  for (const verdict of verdicts) {
    const { kind } = verdict;
    if (kind === "sent") counts.sent++;
    else if (kind === "validation") counts.validation++;
    else if (kind !== undefined) counts.other[kind] = (counts.other[kind] ?? 0) + 1;
    for (const property of Object.keys(verdict.problems) as Property[]) failures[property]++;
  }
  return counts;
}

/** The counts of every vendor as a table. */
export function countsTable(rows: readonly [string, Counts][]): string {
  const header = ["vendor", "seconds", "inputs", "sent", "validation", "other kinds", "rejections", "hangs", "malformed", "altered", "bad outcome", "validation sent", "delivery", "header/secret", "valid refused"];
  const lines = rows.map(([vendor, c]) => [
    vendor,
    c.seconds?.toFixed(1) ?? "",
    c.inputs,
    c.sent,
    c.validation,
    Object.entries(c.other).map(([kind, n]) => `${kind} ${n}`).join(", ") || "0",
    c.failures.rejection,
    c.failures.hang,
    c.failures.malformed,
    c.failures.altered,
    c.failures.outcome,
    c.failures.validationSent,
    c.failures.delivery,
    c.failures.headers,
    c.failures.validRefused,
  ].map(String));
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const row = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [row(header), row(widths.map((width) => "-".repeat(width))), ...lines.map(row)].join("\n");
}

/** How many inputs per vendor: `FUZZ_RUNS`, or a few hundred for `npm test`. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** A fixed seed unless `FUZZ_SEED` says otherwise, so `npm test` always tries the same inputs. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

/** What a run generates: messages (valid, mutated, arbitrary) or vendor answers to valid messages. */
export type RunKind = "inputs" | "answers";

function arbitraryOf(fuzz: VendorFuzz, kind: RunKind): fc.Arbitrary<GeneratedInput> {
  return kind === "inputs"
    ? generatedInputs(fuzz.valid, fuzz.strings, fuzz.records, fuzz.fields)
    : answeredInputs(fuzz.valid, answers(fuzz.secrets));
}

/** The inputs of one vendor's run, in order, made a batch at a time (all 10,000 at once would not fit in memory). */
export function* inputsOf(fuzz: VendorFuzz, kind: RunKind = "inputs"): Generator<GeneratedInput> {
  const arbitrary = arbitraryOf(fuzz, kind);
  for (let done = 0, batch = 0; done < RUNS; batch++) {
    const size = Math.min(500, RUNS - done);
    yield* fc.sample(arbitrary, { seed: SEED + batch, numRuns: size });
    done += size;
  }
}

/**
 * The smallest input fast-check can find that breaks `property`, starting from the same seed; the first failing
 * input of the run when shrinking finds none (or, for a hang, straight away: each try would take the bound).
 */
export async function counterexample(fuzz: VendorFuzz, property: Property, firstFailure: KeptVerdict, kind: RunKind = "inputs"): Promise<string> {
  const shown = (verdict: KeptVerdict) => `${verdict.generated?.[fc.toStringMethod]()} → ${verdict.problems[property]}`;
  if (property === "hang") return shown(firstFailure);
  let smallest: Verdict | undefined;
  const details = await fc.check(
    fc.asyncProperty(arbitraryOf(fuzz, kind), async (generated) => {
      const verdict = await evaluate(fuzz, generated);
      if (verdict.problems[property] === undefined) return true;
      smallest = verdict;
      return false;
    }),
    { seed: SEED, numRuns: Math.min(RUNS, 500), plugins: [fc.interruptAfterTimeLimit(10_000)] } as fc.Parameters<[GeneratedInput]>,
  );
  return shown(details.failed && smallest ? smallest : firstFailure);
}
