/**
 * Idempotency keys. None of the four vendors takes one, so a caller that retries after a timeout can send an
 * email twice. A ledger remembers each key with a fingerprint of its request and what came of it:
 *
 * - the same key with the same request gets the first outcome again, and nothing is sent;
 * - the same key with a different request is refused (`idempotency_key_reused`);
 * - the same key while the first send is still running is refused with a `retryAfter` (`idempotency_in_flight`);
 * - an outcome that proves nothing was sent (`delivery: "not_sent"`) frees the key, so the same request under
 *   the same key is simply tried again; every other outcome (sent, partial, unknown) holds the key until it
 *   expires, so a send whose outcome was `unknown` is never repeated under its key.
 *
 * The ledger is pluggable: memory (one process) by default; the worker keeps its ledger in a Durable Object.
 */
import type { Failure, Outcome, VendorName } from "./outcome.ts";

/** 8 to 255 characters from a URL-safe, header-safe set: a UUID, a ULID or base64 all fit. */
export const IDEMPOTENCY_KEY_SYNTAX = /^[A-Za-z0-9._:~+/=-]{8,255}$/;
/** What `IDEMPOTENCY_KEY_SYNTAX` asks, as an issue's message says it. */
export const IDEMPOTENCY_KEY_RULE = "must be 8 to 255 characters from A-Z a-z 0-9 . _ : ~ + / = -";
/** How long a ledger keeps a key: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim may stay in flight. Longer than any send takes (timeouts, retries and pacing included); a
 * claim older than this belongs to a process that died mid-send, and is answered as `unknown` from then on.
 */
export const IDEMPOTENCY_LEASE_MS = 5 * 60 * 1000;
/** What `idempotency_in_flight` asks a caller to wait, in seconds. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

/**
 * One key as a ledger keeps it. `R` is what is replayed: an `Outcome` in the library, an HTTP answer in the worker.
 *
 * @example
 * const entry: LedgerEntry<Outcome<unknown>> = { fingerprint, state: "in_flight", claimedAt: Date.now() };
 */
export interface LedgerEntry<R> {
  readonly fingerprint: string;
  readonly state: "in_flight" | "done";
  /** When the key was claimed, ms since the epoch. */
  readonly claimedAt: number;
  readonly result?: R;
}

/**
 * What a ledger says when a key is claimed.
 *
 * @example
 * const claim: Claim<Outcome<unknown>> = await ledger.claim(key, fingerprint);
 * if (claim.state === "done") return claim.result;
 */
export type Claim<R> =
  /** The key was free (or freed): it is now this request's, and the caller sends. */
  | { readonly state: "claimed" }
  /** The key already has an outcome for this very request: replay it, send nothing. */
  | { readonly state: "done"; readonly result: R }
  /** The first request with this key is still being sent. */
  | { readonly state: "in_flight"; readonly retryAfter: number }
  /** The key was used for another request. */
  | { readonly state: "request_differs" }
  /** The first request's process stopped mid-send: whether the email went out is unknown, so it is not resent. */
  | { readonly state: "abandoned" };

/**
 * Where idempotency keys are kept. Implementations decide with `decideClaim`, atomically per key, and keep
 * each key `IDEMPOTENCY_TTL_MS` from its claim.
 *
 * @example
 * const client = createAcmeClient({ baseUrl, apiKey, idempotencyLedger: memoryIdempotencyLedger() });
 */
export interface IdempotencyLedger<R = Outcome<unknown>> {
  /** Claims `key` for the request with `fingerprint`, or says why not. */
  claim(key: string, fingerprint: string): Promise<Claim<R>>;
  /** Keeps `result` as the key's answer (the email may have gone out). */
  record(key: string, fingerprint: string, result: R): Promise<void>;
  /** Frees the key (nothing was sent), if it is still this request's claim. */
  release(key: string, fingerprint: string): Promise<void>;
}

/**
 * The claim for a request with `fingerprint`, given what the ledger holds for its key: the one rule every
 * ledger follows. `entry` is `undefined` for a key the ledger does not hold (or no longer holds).
 *
 * @example
 * const claim = decideClaim(entries.get(key), fingerprint, Date.now());
 * if (claim.state === "claimed") entries.set(key, { fingerprint, state: "in_flight", claimedAt: Date.now() });
 */
export function decideClaim<R>(entry: LedgerEntry<R> | undefined, fingerprint: string, now: number, leaseMs = IDEMPOTENCY_LEASE_MS): Claim<R> {
  if (!entry || entry.claimedAt + IDEMPOTENCY_TTL_MS <= now) return { state: "claimed" };
  if (entry.fingerprint !== fingerprint) return { state: "request_differs" };
  if (entry.state === "done") return { state: "done", result: entry.result as R };
  if (entry.claimedAt + leaseMs <= now) return { state: "abandoned" };
  return { state: "in_flight", retryAfter: IN_FLIGHT_RETRY_AFTER_SECONDS };
}

/**
 * Whether an outcome keeps its key: yes when the email may have gone out (sent, partial, unknown); no when the
 * outcome proves nothing was sent, so the same request may be tried again under the same key.
 *
 * @example
 * if (holdsKey(outcome)) await ledger.record(key, fingerprint, outcome); else await ledger.release(key, fingerprint);
 */
export function holdsKey(outcome: Outcome<unknown>): boolean {
  return outcome.ok || outcome.delivery !== "not_sent";
}

/**
 * A ledger in this process's memory: enough for one server, lost on restart, not shared between processes.
 *
 * @example
 * const ledger = memoryIdempotencyLedger();
 */
export function memoryIdempotencyLedger<R = Outcome<unknown>>(options: { now?: () => number; leaseMs?: number } = {}): IdempotencyLedger<R> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, LedgerEntry<R>>();
  const purge = (at: number) => {
    // Map order is claim order, so the expired keys are at the front.
    for (const [key, entry] of entries) {
      if (entry.claimedAt + IDEMPOTENCY_TTL_MS > at) break;
      entries.delete(key);
    }
  };
  return {
    async claim(key, fingerprint) {
      const at = now();
      purge(at);
      const claim = decideClaim(entries.get(key), fingerprint, at, options.leaseMs);
      if (claim.state === "claimed") {
        entries.delete(key);
        entries.set(key, { fingerprint, state: "in_flight", claimedAt: at });
      }
      return claim;
    },
    async record(key, fingerprint, result) {
      const entry = entries.get(key);
      if (entry?.fingerprint === fingerprint) entries.set(key, { ...entry, state: "done", result });
    },
    async release(key, fingerprint) {
      if (entries.get(key)?.fingerprint === fingerprint) entries.delete(key);
    },
  };
}

/** The ledger of every client in this isolate that was given no ledger of its own. */
const defaultLedger = memoryIdempotencyLedger();

/**
 * A stable SHA-256 fingerprint of a request: object keys sorted, byte content (Uint8Array, ArrayBuffer, Blob)
 * hashed by value, `undefined` properties left out as JSON leaves them out. Throws on a cyclic value.
 *
 * @example
 * const fingerprint = await requestFingerprint({ vendor: "acme", message });
 */
export async function requestFingerprint(value: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(await canonical(value, new Set())));
}

async function canonical(value: unknown, seen: Set<object>): Promise<string> {
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" ? JSON.stringify(`${value}n`) : (JSON.stringify(value) ?? "null");
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return JSON.stringify({ $bytes: await sha256Hex(value) });
  if (typeof Blob !== "undefined" && value instanceof Blob) {
    return JSON.stringify({ $blob: await sha256Hex(await value.arrayBuffer()), type: value.type });
  }
  if (value instanceof Date) return JSON.stringify(value.toJSON());
  if (seen.has(value)) throw new TypeError("cyclic value");
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${(await Promise.all(value.map((item) => canonical(item === undefined ? null : item, seen)))).join(",")}]`;
    const fields = Object.keys(value)
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined && typeof (value as Record<string, unknown>)[name] !== "function")
      .sort();
    const parts = await Promise.all(fields.map(async (name) => `${JSON.stringify(name)}:${await canonical((value as Record<string, unknown>)[name], seen)}`));
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(value);
  }
}

async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The outcome for a key that cannot be used now, in the library's terms (the worker answers the same cases
 * with the same problem kinds).
 *
 * @example
 * return idempotencyFailure("acme", { state: "request_differs" });
 */
export function idempotencyFailure(vendor: VendorName, claim: Exclude<Claim<unknown>, { state: "claimed" | "done" }> | { state: "unavailable" }): Failure {
  const base = { ok: false as const, vendor, attempts: 0 };
  switch (claim.state) {
    case "request_differs":
      return {
        ...base,
        kind: "idempotency_key_reused",
        retryable: false,
        delivery: "not_sent",
        message: "This idempotency key was used for a different request; nothing was sent. Use a new key for a new message.",
      };
    case "abandoned":
      return {
        ...base,
        kind: "aborted",
        retryable: false,
        delivery: "unknown",
        message: "The first send with this idempotency key stopped before its answer was recorded; the email may have been sent, so it is not sent again",
      };
    case "in_flight":
      return {
        ...base,
        kind: "idempotency_in_flight",
        retryable: true,
        delivery: "not_sent",
        retryAfter: claim.retryAfter,
        message: "The first send with this idempotency key is still running; ask again shortly for its outcome. Nothing more was sent.",
      };
    case "unavailable":
      // Without the ledger nobody can tell whether a send with this key is running, so none is started.
      return {
        ...base,
        kind: "idempotency_in_flight",
        retryable: true,
        delivery: "not_sent",
        retryAfter: IN_FLIGHT_RETRY_AFTER_SECONDS,
        message: "The idempotency ledger could not be reached; nothing was sent. Try again shortly with the same key.",
      };
  }
}

/**
 * A send under `key`: the key checked, the request (`vendor` and `message`) fingerprinted, and `send` run once per
 * key and fingerprint against `ledger` (the isolate's memory ledger when none is given). Never rejects. The
 * transport loads this module with the first keyed send.
 *
 * @example
 * if (call?.idempotencyKey !== undefined) return sendOncePerKey("acme", ledger, call.idempotencyKey, message, () => validateAndDeliver(message, call));
 */
export async function sendOncePerKey<O extends Outcome<unknown>>(
  vendor: VendorName,
  ledger: IdempotencyLedger | undefined,
  key: unknown,
  message: unknown,
  send: () => Promise<O>,
): Promise<O | Failure> {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_SYNTAX.test(key)) {
    return invalidKey(vendor, "idempotencyKey must be 8 to 255 characters from A-Z a-z 0-9 . _ : ~ + / = -");
  }
  let fingerprint: string;
  try {
    fingerprint = await requestFingerprint({ vendor, message });
  } catch {
    return invalidKey(vendor, "the message cannot be fingerprinted for idempotency (it refers to itself, or reading it threw)");
  }
  return idempotentSend(ledger ?? defaultLedger, key, fingerprint, vendor, send);
}

/**
 * Runs `send` once per key and fingerprint, as the module comment describes. Never rejects.
 *
 * @example
 * const outcome = await idempotentSend(ledger, key, await requestFingerprint(request), "acme", () => client.send(message));
 */
export async function idempotentSend<O extends Outcome<unknown>>(
  ledger: IdempotencyLedger,
  key: string,
  fingerprint: string,
  vendor: VendorName,
  send: () => Promise<O>,
): Promise<O | Failure> {
  let claim: Claim<Outcome<unknown>>;
  try {
    claim = await ledger.claim(key, fingerprint);
  } catch {
    return idempotencyFailure(vendor, { state: "unavailable" });
  }
  // What was recorded under this key is what `send` returned then, so it has the shape `send` returns now.
  if (claim.state === "done") return claim.result as O;
  if (claim.state !== "claimed") return idempotencyFailure(vendor, claim);
  const outcome = await send();
  try {
    if (holdsKey(outcome)) await ledger.record(key, fingerprint, outcome);
    else await ledger.release(key, fingerprint);
  } catch {
    // The outcome stands. An unrecorded key stays claimed until its lease ends and is then answered `unknown`:
    // the safe side, since the email may have gone out.
  }
  return outcome;
}

function invalidKey(vendor: VendorName, message: string): Failure {
  return {
    ok: false,
    vendor,
    attempts: 0,
    kind: "validation",
    issues: [{ path: "idempotencyKey", rule: "idempotency_key", message }],
    retryable: false,
    delivery: "not_sent",
    message: `Invalid input, nothing sent: idempotencyKey: ${message}`,
  };
}
