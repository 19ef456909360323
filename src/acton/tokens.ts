/**
 * The OAuth token lifecycle Act-On asks for: log in (password grant) once, keep the tokens, refresh a little
 * before the access token expires, store the new pair every time (a refresh token works once), and never log
 * in more than 5 times an hour.
 */
import type { CallOptions } from "../core/options.ts";
import type { Failure, NetworkFailure, Outcome, TokenStoreFailure } from "../core/outcome.ts";
import type { Grant } from "./request.ts";
import { isRefusedGrant, type TokenResponse } from "./response.ts";

/**
 * An access token and the refresh token that replaces it.
 *
 * @example
 * const tokens: ActOnTokens = { accessToken: "…", refreshToken: "…", expiresAt: Date.now() + 3_600_000 };
 */
export interface ActOnTokens {
  readonly accessToken: string;
  /** Works once: a refresh answers with a new pair, which replaces this one. */
  readonly refreshToken: string;
  /** When the access token expires, in ms since the epoch. */
  readonly expiresAt: number;
  /**
   * When Act-On issued the pair, in ms since the epoch (absent in records from before it was kept). After a 401,
   * a stored pair issued after the refused send went out is used; an older one may be revoked too, so it is not.
   */
  readonly obtainedAt?: number;
}

/**
 * What a token store keeps per Act-On user.
 *
 * @example
 * const record: ActOnTokenRecord = { tokens, passwordGrantsAt: [Date.now()] };
 */
export interface ActOnTokenRecord {
  readonly tokens?: ActOnTokens;
  /** When the password grants of the last hour were made (ms since the epoch), so the limit holds store-wide. */
  readonly passwordGrantsAt: readonly number[];
  /**
   * What Act-On said when it refused the last password grant; absent when the last one was not refused. Once
   * the hour's grants are spent, it tells a wrong password from a limit that waiting lifts.
   */
  readonly passwordGrantRefused?: { readonly status: number; readonly vendorCode?: string; readonly vendorMessage?: string };
}

/**
 * Where tokens live between sends, keyed per base URL, client ID and username. Within one isolate the client
 * makes sure a single refresh is in flight per store and key, however many sends wait on it. Across isolates
 * that is the store's job, through `exclusive`: a store without it (KV, say) can let two isolates refresh with
 * the same single-use refresh token (the loser falls back to a password grant).
 *
 * @example
 * const kvTokenStore = (kv: KVNamespace): ActOnTokenStore => ({
 *   get: (key) => kv.get(key, "json"),
 *   set: (key, record) => kv.put(key, JSON.stringify(record)),
 * });
 */
export interface ActOnTokenStore {
  /** The record kept under `key`, if any. */
  get(key: string): Promise<ActOnTokenRecord | undefined | null>;
  /** Keeps `record` under `key`, replacing what was there. */
  set(key: string, record: ActOnTokenRecord): Promise<void>;
  /**
   * Optional: runs `renew` while no other holder of the store (another isolate, another process) runs one for
   * `key`, and resolves with its result. The client wraps every login or refresh in it and reads the store
   * again inside, so a renewal finished by another holder meanwhile is used, not repeated: one grant or refresh
   * in flight across every holder. `renew` never rejects. Without this method, single flight holds per isolate.
   *
   * @example
   * // A Durable Object per account, whose RPC method runs the callbacks it is given one at a time
   * // (src/worker/durable/account.ts, txgate/worker's VendorAccountObject).
   * const store: ActOnTokenStore = {
   *   get: (key) => account.tokenRecord(key),
   *   set: (key, record) => account.keepTokenRecord(key, record),
   *   exclusive: (key, renew) => account.exclusive(key, renew),
   * };
   */
  exclusive?<T>(key: string, renew: () => Promise<T>): Promise<T>;
}

/**
 * A token store in this isolate's memory.
 *
 * @example
 * const client = createActOnClient({ accountId, credentials, tokenStore: memoryTokenStore() });
 */
export function memoryTokenStore(): ActOnTokenStore {
  const records = new Map<string, ActOnTokenRecord>();
  return {
    get: async (key) => records.get(key),
    set: async (key, record) => void records.set(key, record),
  };
}

const HOUR_MS = 3_600_000;
/** Act-On's limit on password grants (logins) per rolling hour. */
export const ACTON_PASSWORD_GRANTS_PER_HOUR = 5;

/**
 * The key a client's tokens are kept under in its store: one record per base URL, client ID and username.
 *
 * @example
 * const record = await store.get(actOnTokenKey("https://api.actonsoftware.com", { clientId, username }));
 */
export function actOnTokenKey(baseUrl: string, credentials: { readonly clientId: string; readonly username: string }): string {
  return `${baseUrl} ${credentials.clientId} ${credentials.username}`;
}

/**
 * How many password grants (logins) the record shows in the hour before `now`: the hour's limit counts them.
 *
 * @example
 * const used = passwordGrantsInLastHour(await store.get(key)); // 0 to 5
 */
export function passwordGrantsInLastHour(record: Pick<ActOnTokenRecord, "passwordGrantsAt"> | undefined | null, now = Date.now()): number {
  return (record?.passwordGrantsAt ?? []).filter((at) => at > now - HOUR_MS).length;
}
/** Refresh this long before the access token expires, so a send queued behind the pacer still holds a valid one. */
const REFRESH_EARLY_MS = 60_000;

/** What every client of one store and key shares in this isolate. */
interface Shared {
  tokens?: ActOnTokens;
  /** The access token Act-On last refused, never handed out again, and when the refused send went out. */
  refused?: { readonly token: string; readonly sentAt: number };
  renewal?: Promise<string | Failure>;
}
const sharedByStore = new WeakMap<ActOnTokenStore, Map<string, Shared>>();

export interface TokenSessionOptions {
  readonly store: ActOnTokenStore;
  readonly key: string;
  readonly maxPasswordGrantsPerHour: number;
  /** One `POST /token` with the given timeout; never rejects. */
  readonly requestToken: (grant: Grant, timeoutMs: number | undefined) => Promise<Outcome<TokenResponse>>;
  /** Called with every token before it is used, so the client can redact it. */
  readonly onSecret: (...secrets: string[]) => void;
}

export interface TokenSession {
  /**
   * A valid access token, a failure saying why there is none, or `undefined` when the caller's signal aborted
   * the wait. A login or refresh this call starts uses its `timeoutMs`; calls that join it keep their signal.
   */
  accessToken(call?: CallOptions): Promise<string | Failure | undefined>;
  /**
   * Reads the store again, for a send whose slot was just granted: while it waited, another holder of the store
   * may have replaced the token (after a 401, say). Never rejects: a store that cannot be read leaves the token
   * in hand, which was usable a moment ago.
   */
  sync(): Promise<void>;
  /** The token to send with in place of `token`: the one `sync` last found, if it can be used, else `token`. */
  latest(token: string): string;
  /**
   * Act-On refused `token` (401) on a send that went out at `sentAt` (ms since the epoch): the next
   * `accessToken()` gets a new one, or a stored one issued after `sentAt`.
   */
  refuse(token: string, sentAt: number): void;
  /**
   * For a credential check: a token Act-On issued for these credentials, without spending a login the hour's
   * sends may need. A token held (in memory or the store) that has not expired is used as it is, asking nothing;
   * a renewal already under way (a send's) is joined; else a renewal starts whose password grant is allowed only
   * while the hour's grants leave `keepForSends` of them unspent (a refresh grant is no login and always may go).
   * What it obtains is stored, so the next send uses it. `requests` counts the token requests this call made.
   */
  checkAccess(call: CallOptions | undefined, keepForSends: number): Promise<CheckedAccess | undefined>;
}

/** A token the credential check found or obtained (or why there is none), and what it cost. */
export interface CheckedAccess {
  /** Token requests this check made (0: a held token, a send's renewal it joined, or nothing asked). */
  readonly requests: number;
  /** Why there is no token; absent when there is one. */
  readonly failure?: Failure;
  /** When Act-On issued the token, when known. */
  readonly obtainedAt?: number;
  readonly expiresAt?: number;
}

export function createTokenSession(options: TokenSessionOptions): TokenSession {
  const { store, key, requestToken, onSecret } = options;
  let byKey = sharedByStore.get(store);
  if (!byKey) sharedByStore.set(store, (byKey = new Map()));
  let shared = byKey.get(key);
  if (!shared) byKey.set(key, (shared = {}));
  const state = shared;

  /** `tokens` if they may be used for a send now, else `undefined`. */
  const usable = (tokens: ActOnTokens | undefined | null): ActOnTokens | undefined =>
    tokens && tokens.accessToken !== state.refused?.token && Date.now() < tokens.expiresAt - REFRESH_EARLY_MS ? tokens : undefined;
  /**
   * Stored `tokens` a renewal may use instead of asking Act-On: usable, and, after a 401, issued after the refused
   * send went out. One issued before it existed when Act-On refused that send, so whatever revoked the refused
   * token may have revoked it too, and a second 401 would fail the send.
   */
  const fresh = (tokens: ActOnTokens | undefined): ActOnTokens | undefined =>
    usable(tokens) && (!state.refused || (tokens!.obtainedAt ?? 0) > state.refused.sentAt) ? tokens : undefined;

  const use = (tokens: ActOnTokens): string => {
    onSecret(tokens.accessToken, tokens.refreshToken);
    state.tokens = tokens;
    return tokens.accessToken;
  };

  // Every store call goes through these two, so a store that throws (or is not a store) is told apart.
  const read = async (): Promise<ActOnTokenRecord | undefined | null> => {
    let record: unknown;
    try {
      record = await store.get(key);
    } catch (error) {
      throw new TokenStoreError("get", error);
    }
    // A token that is not a string would be sent as one; lost grant times would lift the login limit.
    const flaw = recordFlaw(record);
    if (flaw) throw new TokenStoreError("get", new TypeError(`it returned a record whose ${flaw}`), false);
    return record as ActOnTokenRecord | undefined | null;
  };
  const write = async (record: ActOnTokenRecord): Promise<void> => {
    try {
      await store.set(key, record);
    } catch (error) {
      throw new TokenStoreError("set", error);
    }
  };

  const exclusive = async (renewal: () => Promise<string | Failure>): Promise<string | Failure> => {
    try {
      return await store.exclusive!(key, renewal);
    } catch (error) {
      throw new TokenStoreError("exclusive", error);
    }
  };

  async function keep(record: ActOnTokenRecord, answer: TokenResponse): Promise<string> {
    const obtainedAt = Date.now();
    const tokens = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      // A lifetime that is not a number would store `expiresAt: null`, which the store would then answer.
      expiresAt: obtainedAt + (Number.isFinite(answer.expires_in) ? answer.expires_in! : 3600) * 1000,
      obtainedAt,
    };
    // Used from memory even if the store fails to keep it: the previous refresh token is spent either way, and
    // the next send in this isolate then has a token without asking Act-On again.
    const accessToken = use(tokens);
    await write({ passwordGrantsAt: record.passwordGrantsAt, tokens });
    return accessToken;
  }

  /**
   * Makes what `renew` asks of Act-On, counted in `asked`: the same `requestToken`, so a check's token request is
   * paced and redacted like a send's.
   */
  const counted = (asked: { requests: number }) => (grant: Grant, timeoutMs: number | undefined) => {
    asked.requests++;
    return requestToken(grant, timeoutMs);
  };

  async function renew(timeoutMs: number | undefined, grantsPerHour = options.maxPasswordGrantsPerHour, asked = { requests: 0 }): Promise<string | Failure> {
    const requestToken = counted(asked);
    let record: ActOnTokenRecord = (await read()) ?? { passwordGrantsAt: [] };
    let stored = fresh(record.tokens);
    if (stored) return use(stored);
    const refreshToken = record.tokens?.refreshToken;
    if (refreshToken) {
      onSecret(refreshToken);
      const refreshed = await requestToken({ grant_type: "refresh_token", refresh_token: refreshToken }, timeoutMs);
      if (refreshed.ok) return keep(record, refreshed.data);
      if (!isRefusedGrant(refreshed)) return noToken(refreshed);
      // Another holder of this store may have spent the refresh token and stored the next pair meanwhile.
      record = (await read()) ?? record;
      stored = fresh(record.tokens);
      if (stored) return use(stored);
      // Act-On refused it: dropped, or every send until the next login would spend a token call on it again.
      if (record.tokens?.refreshToken === refreshToken) {
        const { tokens: _refused, ...rest } = record;
        record = rest;
        await write(record);
      }
    }
    const now = Date.now();
    const passwordGrantsAt = record.passwordGrantsAt.filter((at) => at > now - HOUR_MS);
    if (passwordGrantsAt.length >= grantsPerHour) {
      return grantsSpent(passwordGrantsAt, record.passwordGrantRefused, now);
    }
    // Counted before the call: a grant whose answer is lost still counts at Act-On.
    record = { passwordGrantsAt: [...passwordGrantsAt, now] };
    await write(record);
    const granted = await requestToken({ grant_type: "password" }, timeoutMs);
    if (granted.ok) return keep(record, granted.data);
    if (granted.kind !== "auth") return noToken(granted);
    const { status, vendorCode, vendorMessage } = granted;
    const refused = noToken(granted);
    try {
      await write({ ...record, passwordGrantRefused: { status, vendorCode, vendorMessage } });
      return refused;
    } catch (error) {
      // Act-On's refusal is the answer; the store's failure only costs the reason once the hour's grants are spent.
      const cause = describe(error instanceof TokenStoreError ? error.error : error);
      return { ...refused, message: `${refused.message} (and the token store failed to record it: ${cause.message})` };
    }
  }

  return {
    async accessToken(call) {
      const cached = usable(state.tokens);
      if (cached) return cached.accessToken;
      // Failures become outcomes inside `exclusive`: what it carries back to this isolate is plain data.
      const renewal = () => renew(call?.timeoutMs).catch(renewalFailure);
      state.renewal ??= (store.exclusive ? exclusive(renewal) : renewal())
        .catch(renewalFailure)
        .finally(() => {
          state.renewal = undefined;
        });
      return untilAborted(state.renewal, call?.signal);
    },
    async sync() {
      let record: ActOnTokenRecord | undefined | null;
      try {
        record = await read();
      } catch {
        // The token in hand was usable when this send asked for it; the store's failure shows on the next renewal.
        return;
      }
      const stored = usable(record?.tokens);
      if (stored && stored.accessToken !== state.tokens?.accessToken) use(stored);
    },
    latest(token) {
      return usable(state.tokens)?.accessToken ?? token;
    },
    async checkAccess(call, keepForSends) {
      const held = usable(state.tokens);
      if (held) return { requests: 0, obtainedAt: held.obtainedAt, expiresAt: held.expiresAt };
      if (state.renewal) {
        const joined = await untilAborted(state.renewal, call?.signal);
        return joined === undefined ? undefined : typeof joined === "string" ? { requests: 0, ...timesOf(state.tokens) } : { requests: 0, failure: joined };
      }
      // Not shared with sends (`state.renewal`): a send that came now must not inherit the check's lower limit.
      const asked = { requests: 0 };
      const renewal = () => renew(call?.timeoutMs, options.maxPasswordGrantsPerHour - keepForSends, asked).catch(renewalFailure);
      const result = await untilAborted((store.exclusive ? exclusive(renewal) : renewal()).catch(renewalFailure), call?.signal);
      return result === undefined ? undefined : typeof result === "string" ? { requests: asked.requests, ...timesOf(state.tokens) } : { requests: asked.requests, failure: result };
    },
    refuse(token, sentAt) {
      // A late 401 for a token already replaced says nothing new, and must not clear the refusal of the one held.
      if (!state.tokens || state.tokens.accessToken === token) state.refused = { token, sentAt };
    },
  };
}

/** When a token was issued and expires, where known. */
function timesOf(tokens: ActOnTokens | undefined): { obtainedAt?: number; expiresAt?: number } {
  return { ...(tokens?.obtainedAt === undefined ? {} : { obtainedAt: tokens.obtainedAt }), ...(tokens ? { expiresAt: tokens.expiresAt } : {}) };
}

/**
 * A failed token request, as the send's outcome. The email was never attempted, so it is `not_sent` whatever
 * happened to the token request, and a token request cut off (timeout, lost connection) may be tried again:
 * the worst a retry costs is a spent refresh token, never an email.
 */
function noToken(outcome: Outcome<TokenResponse>): Failure {
  const failure = outcome as Failure;
  // A network failure with no attempt never started: the `tokenPacer` gave no slot.
  const reason =
    failure.kind === "network"
      ? `the token request ${failure.attempts === 0 ? "could not start" : "failed"}: ${failure.cause.message}`
      : failure.kind === "timeout"
        ? `no answer from the token endpoint within ${failure.timeoutMs} ms`
        : failure.message;
  const cutOff = failure.kind === "network" || failure.kind === "timeout";
  return {
    ...failure,
    attempts: 0,
    ...(cutOff ? { retryable: true } : {}),
    delivery: "not_sent",
    message: `No Act-On access token, nothing sent: ${reason}`,
  } as Failure;
}

/**
 * The outcome once the hour's password grants are spent, without asking Act-On: `auth` with Act-On's own
 * answer if it refused the last grant (a wrong password stays wrong), else `rate_limited` until the oldest
 * grant is an hour old.
 */
function grantsSpent(passwordGrantsAt: readonly number[], refused: ActOnTokenRecord["passwordGrantRefused"], now: number): Failure {
  const oldest = passwordGrantsAt[0];
  const nextAt = oldest === undefined ? undefined : oldest + HOUR_MS;
  const limit = `${passwordGrantsAt.length} password grants in the last hour (the limit)${
    nextAt === undefined ? "" : `; the next is allowed at ${new Date(nextAt).toISOString()}`
  }`;
  const base = { ok: false, vendor: "acton", attempts: 0, delivery: "not_sent" } as const;
  if (refused && typeof refused.status === "number") {
    const words = `${refused.vendorCode ? `${refused.vendorCode}: ` : ""}${refused.vendorMessage ?? "(no message)"}`;
    return {
      ...base,
      kind: "auth",
      status: refused.status,
      ...(refused.vendorCode === undefined ? {} : { vendorCode: refused.vendorCode }),
      ...(refused.vendorMessage === undefined ? {} : { vendorMessage: refused.vendorMessage }),
      retryable: false,
      message: `No Act-On access token, nothing sent: Act-On refused the last password grant (${refused.status} ${words}); ${limit}`,
    };
  }
  return {
    ...base,
    kind: "rate_limited",
    ...(nextAt === undefined ? {} : { retryAfter: Math.max(1, Math.ceil((nextAt - now) / 1000)) }),
    retryable: nextAt !== undefined,
    message: `No Act-On access token, nothing sent: ${limit}`,
  };
}

/** A token store call that threw or rejected, or answered what no retry can change. */
class TokenStoreError {
  // Plain fields, not parameter properties: Node's type stripping refuses those, and src/ runs as it is.
  readonly operation: "get" | "set" | "exclusive";
  readonly error: unknown;
  readonly retryable: boolean;

  constructor(operation: "get" | "set" | "exclusive", error: unknown, retryable = true) {
    this.operation = operation;
    this.error = error;
    this.retryable = retryable;
  }
}

/** What makes `record` unusable as an `ActOnTokenRecord` (never its values: they hold tokens), if anything. */
function recordFlaw(record: unknown): string | undefined {
  if (record === undefined || record === null) return undefined;
  if (typeof record !== "object") return "type is not an object";
  const { tokens, passwordGrantsAt } = record as Partial<Record<keyof ActOnTokenRecord, unknown>>;
  if (!Array.isArray(passwordGrantsAt) || !passwordGrantsAt.every((at) => typeof at === "number")) {
    return "passwordGrantsAt is not a list of times";
  }
  if (tokens === undefined) return undefined;
  const { accessToken, refreshToken, expiresAt, obtainedAt } = (tokens ?? {}) as Partial<Record<keyof ActOnTokens, unknown>>;
  if (typeof accessToken !== "string" || typeof refreshToken !== "string" || typeof expiresAt !== "number") {
    return "tokens are not {accessToken, refreshToken, expiresAt}";
  }
  if (obtainedAt !== undefined && typeof obtainedAt !== "number") return "tokens.obtainedAt is not a time";
  return undefined;
}

/**
 * A renewal that threw: the token store failed (a KV outage, say), or the token request could not start (a
 * `tokenPacer` that rejected). Either way there is no token, so nothing was sent, and a retry may get one.
 */
function renewalFailure(error: unknown): TokenStoreFailure | NetworkFailure {
  const base = { ok: false, vendor: "acton", attempts: 0, delivery: "not_sent" } as const;
  if (!(error instanceof TokenStoreError)) {
    const cause = describe(error);
    return { ...base, kind: "network", cause, retryable: true, message: `No Act-On access token, nothing sent: the token request could not start: ${cause.message}` };
  }
  const cause = describe(error.error);
  return {
    ...base,
    kind: "token_store",
    cause,
    retryable: error.retryable,
    message: `The Act-On token store failed (${error.operation}), nothing sent: ${cause.message}`,
  };
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  try {
    return { name: "Error", message: String(error) };
  } catch {
    return { name: "Error", message: "(a value that cannot be shown as text)" };
  }
}

/** `promise`'s value, or `undefined` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}
