/**
 * The worker's environment: its bindings, and its settings parsed and checked once per isolate. Secrets come
 * only from here (`wrangler secret put` in a deployment, `.dev.vars` locally); nothing else reads `env`.
 */
import { Redactor } from "../core/redact.ts";
import type { AnyVendorDescriptor } from "../vendors/descriptor.ts";
import type { VendorName } from "../core/public.ts";
import type { VendorAccountObject } from "./durable/account.ts";
import { CALLER_KEY_SYNTAX } from "./gates/caller-key.ts";
import { Refusal } from "./problem.ts";
import type { DeadLetter } from "./delivery/consumer.ts";
import type { QueuedSend } from "./delivery/dispatch.ts";
import type { IdempotencyLedgerObject } from "./delivery/idempotency-ledger.ts";
import type { MessageObject } from "./delivery/message-state.ts";
import type { MessageIndexObject } from "./delivery/message-index.ts";
import type { WorkerSandbox } from "./sandbox.ts";
import { servedVendors, type ServedVendors } from "./served.ts";
import { defaultSendsPerSecond, paceAboveCap, readVendorSettings, vendorSecrets, type VendorEnv, type VendorSettings } from "./vendor-settings.ts";

export type { VendorSettings } from "./vendor-settings.ts";

/** The Workers Rate Limiting binding, as much of it as the worker uses. */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Bindings (wrangler.toml) and settings ([vars] and secrets); every setting is optional text. Each vendor's own
 * settings (`<VENDOR>_…`, named by its descriptor) are read by vendor-settings.ts.
 *
 * @example
 * const worker = createTxgateWorker({ actions });
 * const response = await worker.fetch(request, env satisfies Env);
 */
export interface Env extends VendorEnv {
  readonly BROWSER_RATE_LIMIT: RateLimiter;
  readonly CALLER_RATE_LIMIT: RateLimiter;
  // Durable delivery (delivery/): each binding is optional, so a worker without them still sends
  // synchronously; `Idempotency-Key` needs IDEMPOTENCY, `Prefer: respond-async` needs MESSAGES and DELIVERY_QUEUE.
  /** The idempotency ledger, one SQLite Durable Object per caller scope. */
  readonly IDEMPOTENCY?: DurableObjectNamespace<IdempotencyLedgerObject>;
  /** Each queued message's state and history, one SQLite Durable Object per message. */
  readonly MESSAGES?: DurableObjectNamespace<MessageObject>;
  /**
   * The index of queued messages (`GET /v1/messages`, the health route's counts): one SQLite Durable Object per
   * caller scope and one for the deployment.
   */
  readonly MESSAGE_INDEX?: DurableObjectNamespace<MessageIndexObject>;
  /** The queue of sends accepted with `Prefer: respond-async`. */
  readonly DELIVERY_QUEUE?: Queue<QueuedSend>;
  /** Its dead-letter queue, where failed messages go with their outcome. */
  readonly DEAD_LETTERS?: Queue<DeadLetter>;
  /** Attempts per queued message (default 5), and the first retry's wait in seconds (default 5, doubled each time). */
  readonly QUEUE_MAX_ATTEMPTS?: string;
  readonly QUEUE_RETRY_SECONDS?: string;
  /** One Durable Object per vendor account (durable/account.ts): its pacing, and the tokens of a vendor that renews them. */
  readonly VENDOR_ACCOUNTS: DurableObjectNamespace<VendorAccountObject>;
  /** Exact origins allowed to call the browser route, separated by commas or spaces. */
  readonly ALLOWED_ORIGINS?: string;
  /** Secret. JSON `[{ "id": "billing", "key": "…", "vendors": ["acme"] }]`; several keys for rotation. */
  readonly CALLER_KEYS?: string;
  /**
   * Secret. JSON `[{ "id": "oncall", "key": "…" }]`: the keys of `GET /v1/health`, which sends nothing. Kept
   * apart from CALLER_KEYS so that a key that may read the deployment's health may not send, and the other way round.
   */
  readonly OPERATOR_KEYS?: string;
  readonly JWT_ISSUER?: string;
  readonly JWT_AUDIENCE?: string;
  readonly JWT_JWKS_URL?: string;
  /** An inline JWKS (`{"keys": [...]}`), instead of `JWT_JWKS_URL`. */
  readonly JWT_JWKS?: string;
  /**
   * `"true"` accepts a token's `email` without an `email_verified` claim, for identity providers that issue
   * verified addresses only. Otherwise (the default) only `email_verified: true` makes the address usable.
   */
  readonly JWT_TRUST_UNVERIFIED_EMAIL?: string;
  /** Secret. Without it, Turnstile actions are refused (outside local sandbox mode). */
  readonly TURNSTILE_SECRET?: string;
  readonly TURNSTILE_VERIFY_URL?: string;
  /**
   * `"true"` sends to the deployment's sandbox (`createTxgateWorker({ sandbox })`) while no vendor has
   * credentials (`npm start` sets it). Without it, a worker with no vendor credentials refuses every send
   * (`not_configured`): forgotten secrets never look like delivered mail.
   */
  readonly SANDBOX?: string;
  readonly BROWSER_MAX_BODY_BYTES?: string;
  readonly CALLER_MAX_BODY_BYTES?: string;
  /**
   * Limits `POST /v1/events/{vendor}` per client address. Optional: without it the events route refuses every
   * post (`not_configured`), so an unlimited webhook route is never the default.
   */
  readonly EVENTS_RATE_LIMIT?: RateLimiter;
}

/** One trusted caller's key and the vendors it may send through. */
export interface CallerKey {
  readonly id: string;
  readonly key: string;
  readonly vendors: readonly VendorName[];
}

/** One operator's key: it reads the deployment's health, and sends nothing. */
export interface OperatorKey {
  readonly id: string;
  readonly key: string;
}

export interface JwtConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl?: string;
  readonly jwks?: { keys: JsonWebKey[] };
  /**
   * Also accept `email` when the token carries no `email_verified` claim (JWT_TRUST_UNVERIFIED_EMAIL); a claim
   * that is there and not `true` still leaves the user without an address.
   */
  readonly trustUnverifiedEmail?: boolean;
}

export interface Config {
  readonly origins: ReadonlySet<string>;
  /** `undefined` when no caller keys are configured: the trusted route then refuses everything. */
  readonly callerKeys?: readonly CallerKey[];
  /** `undefined` when no operator keys are configured: the health route then refuses everything (but locally). */
  readonly operatorKeys?: readonly OperatorKey[];
  readonly jwt?: JwtConfig;
  readonly turnstile: { readonly secret?: string; readonly verifyUrl: string };
  readonly maxBodyBytes: { readonly browser: number; readonly caller: number };
  readonly vendors: VendorSettings;
  /** The account objects: each vendor client's pacing, and the token store of a vendor that renews tokens, live in its account's object. */
  readonly accounts: DurableObjectNamespace<VendorAccountObject>;
  /** Each vendor's cap in sends a second; a vendor without one is unpaced. */
  readonly sendsPerSecond: Partial<Record<VendorName, number>>;
  /**
   * `live` as soon as one vendor has credentials: a vendor without them is refused, never silently sandboxed,
   * and no local-dev shortcut applies. Without any credentials, `sandbox` when the deployment says so
   * (`SANDBOX=true`): every vendor is the deployment's sandbox and every answer says so; otherwise `unconfigured`,
   * and every send is refused.
   */
  readonly mode: "sandbox" | "live" | "unconfigured";
  /** Knows every secret value, for scrubbing log lines and problem details. */
  readonly redactor: Redactor;
  /** The deployment's sandbox, used in `sandbox` mode. */
  readonly sandbox?: WorkerSandbox;
  /** The vendors the deployment serves (`createTxgateWorker({ vendors })`). */
  readonly served: ServedVendors;
  /**
   * The HTTP Basic credentials each webhook vendor must present at `POST /v1/events/{vendor}`
   * (`<VENDOR>_WEBHOOK_USER` and the secret `<VENDOR>_WEBHOOK_PASSWORD`); a vendor without them has its events refused.
   */
  readonly webhooks: Partial<Record<VendorName, { readonly user: string; readonly password: string }>>;
}

export const TURNSTILE_SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const parsed = new WeakMap<Env, Config>();

/**
 * The configuration for `env`, parsed on first use in this isolate. A malformed setting refuses every request
 * with a `misconfigured` problem: failing closed beats running half set up. The problem says only that the
 * configuration is invalid (browsers and callers have no business learning the settings); the request's log
 * line names each bad setting, never a secret's value.
 *
 * @example
 * const config = loadConfig(env);
 */
export function loadConfig(env: Env, sandbox?: WorkerSandbox, vendors?: readonly AnyVendorDescriptor[]): Config {
  let config = parsed.get(env);
  if (!config) parsed.set(env, (config = parseConfig(env, sandbox, vendors)));
  return config;
}

export function parseConfig(env: Env, sandbox?: WorkerSandbox, vendors?: readonly AnyVendorDescriptor[]): Config {
  const served = servedVendors(vendors);
  const VENDORS = served.names;
  const wrong: string[] = [];
  const text = (name: string): string | undefined => {
    const value = (env as unknown as Record<string, unknown>)[name];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };

  const origins = new Set((text("ALLOWED_ORIGINS") ?? "").split(/[\s,]+/).filter(Boolean));
  for (const origin of origins) if (!isOrigin(origin)) wrong.push(`ALLOWED_ORIGINS (${origin} is not an origin)`);

  const callerKeys = text("CALLER_KEYS") === undefined ? undefined : parseCallerKeys(env.CALLER_KEYS!, wrong, VENDORS);
  const operatorKeys = text("OPERATOR_KEYS") === undefined ? undefined : parseCallerKeys(env.OPERATOR_KEYS!, wrong, VENDORS, "OPERATOR_KEYS").map(({ id, key }) => ({ id, key }));

  let jwt: JwtConfig | undefined;
  const trustUnverifiedEmail = text("JWT_TRUST_UNVERIFIED_EMAIL");
  if (trustUnverifiedEmail !== undefined && trustUnverifiedEmail !== "true" && trustUnverifiedEmail !== "false") wrong.push("JWT_TRUST_UNVERIFIED_EMAIL (true or false)");
  const jwtSettings = (["JWT_ISSUER", "JWT_AUDIENCE", "JWT_JWKS_URL", "JWT_JWKS"] as const).filter((name) => text(name));
  if (jwtSettings.length) {
    const jwksText = text("JWT_JWKS");
    let jwks: { keys: JsonWebKey[] } | undefined;
    if (jwksText) {
      try {
        jwks = JSON.parse(jwksText);
        if (!Array.isArray(jwks?.keys)) throw new Error();
      } catch {
        wrong.push("JWT_JWKS (not a JWKS document)");
      }
    }
    const jwksUrl = text("JWT_JWKS_URL");
    if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) wrong.push("JWT_JWKS_URL (not a URL)");
    const issuer = text("JWT_ISSUER");
    const audience = text("JWT_AUDIENCE");
    if (!issuer || !audience || !(jwksUrl || jwks)) wrong.push("JWT_* (JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_JWKS go together)");
    else jwt = { issuer, audience, jwksUrl, jwks, trustUnverifiedEmail: trustUnverifiedEmail === "true" };
  }

  const maxBody = (name: "BROWSER_MAX_BODY_BYTES" | "CALLER_MAX_BODY_BYTES", fallback: number) => {
    const value = text(name);
    if (value === undefined) return fallback;
    const bytes = Number(value);
    if (!Number.isInteger(bytes) || bytes < 1) wrong.push(name);
    return bytes;
  };

  const maxBodyBytes = { browser: maxBody("BROWSER_MAX_BODY_BYTES", 16 * 1024), caller: maxBody("CALLER_MAX_BODY_BYTES", 10 * 1024 * 1024) };
  const settings = readVendorSettings(served.list, text, wrong);
  if (!env.BROWSER_RATE_LIMIT?.limit) wrong.push("BROWSER_RATE_LIMIT (rate limiting binding missing)");
  if (!env.CALLER_RATE_LIMIT?.limit) wrong.push("CALLER_RATE_LIMIT (rate limiting binding missing)");
  if (!env.VENDOR_ACCOUNTS?.idFromName) wrong.push("VENDOR_ACCOUNTS (Durable Object binding missing)");
  const sendsPerSecond = parseSendsPerSecond(text, wrong, served.list);

  const sandboxSetting = text("SANDBOX");
  if (sandboxSetting !== undefined && sandboxSetting !== "true" && sandboxSetting !== "false") wrong.push("SANDBOX (true or false)");

  const webhooks = readWebhookCredentials(text, wrong, served.list);
  const turnstileSecret = text("TURNSTILE_SECRET");
  const redactor = new Redactor().add(
    ...Object.values(webhooks).map((credentials) => credentials.password),
    env.CALLER_KEYS,
    ...(callerKeys ?? []).map((caller) => caller.key),
    env.OPERATOR_KEYS,
    ...(operatorKeys ?? []).map((operator) => operator.key),
    turnstileSecret,
    ...vendorSecrets(served.list).map(text),
  );
  if (wrong.length) {
    throw new Refusal("misconfigured", "the worker's configuration is invalid: this request's log line names each setting to fix", { log: { error: redactor.text(`fix these settings: ${wrong.join("; ")}`) } });
  }
  return {
    origins,
    callerKeys,
    ...(operatorKeys ? { operatorKeys } : {}),
    jwt,
    turnstile: { secret: turnstileSecret, verifyUrl: text("TURNSTILE_VERIFY_URL") ?? TURNSTILE_SITEVERIFY_URL },
    maxBodyBytes,
    accounts: env.VENDOR_ACCOUNTS,
    sendsPerSecond,
    vendors: settings,
    mode: VENDORS.some((vendor) => settings[vendor]) ? "live" : sandboxSetting === "true" ? "sandbox" : "unconfigured",
    redactor,
    ...(sandbox ? { sandbox } : {}),
    served,
    webhooks,
  };
}

/** `<VENDOR>_WEBHOOK_USER` and `<VENDOR>_WEBHOOK_PASSWORD` of each served vendor whose descriptor reads posted events; both or neither. */
function readWebhookCredentials(text: (name: string) => string | undefined, wrong: string[], served: readonly AnyVendorDescriptor[]): Config["webhooks"] {
  const webhooks: Partial<Record<VendorName, { user: string; password: string }>> = {};
  for (const descriptor of served) {
    const vendor = descriptor.name as VendorName;
    const prefix = `${vendor.toUpperCase()}_WEBHOOK`;
    const user = text(`${prefix}_USER`);
    const password = text(`${prefix}_PASSWORD`);
    if (user === undefined && password === undefined) continue;
    if (!descriptor.webhookEvents) wrong.push(`${prefix}_USER/${prefix}_PASSWORD (${vendor} posts no events)`);
    else if (user === undefined || password === undefined) wrong.push(`${prefix}_USER and ${prefix}_PASSWORD go together`);
    else webhooks[vendor] = { user, password };
  }
  return webhooks;
}

/** `<VENDOR>_SENDS_PER_SECOND` for each vendor that has one; a vendor with a documented cap always has one, its cap by default. */
function parseSendsPerSecond(text: (name: string) => string | undefined, wrong: string[], served: readonly AnyVendorDescriptor[]): Partial<Record<VendorName, number>> {
  const rates = defaultSendsPerSecond(served);
  for (const descriptor of served) {
    const vendor = descriptor.name as VendorName;
    const name = `${vendor.toUpperCase()}_SENDS_PER_SECOND`;
    const value = text(name);
    if (value === undefined) continue;
    const rate = Number(value);
    if (!Number.isInteger(rate) || rate < 1) wrong.push(`${name} (a whole number of sends a second, at least 1)`);
    else if (paceAboveCap(descriptor, rate)) wrong.push(`${name} (${paceAboveCap(descriptor, rate)})`);
    else rates[vendor] = rate;
  }
  return rates;
}

/** A bare origin: scheme, host and port, nothing else (an allow-list entry with a path would never match). */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/** CALLER_KEYS, or (`setting`) OPERATOR_KEYS, whose entries have no vendors: they send through none. */
function parseCallerKeys(raw: string, wrong: string[], VENDORS: readonly VendorName[], setting: "CALLER_KEYS" | "OPERATOR_KEYS" = "CALLER_KEYS"): CallerKey[] {
  const operators = setting === "OPERATOR_KEYS";
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    wrong.push(`${setting} (not JSON)`);
    return [];
  }
  const ids = new Set<string>();
  const keys: CallerKey[] = [];
  for (const [index, entry] of (Array.isArray(list) ? list : [undefined]).entries()) {
    const { id, key, vendors = operators ? [] : undefined } = (entry ?? {}) as Record<string, unknown>;
    const ok =
      typeof id === "string" &&
      /^[\w.-]{1,64}$/.test(id) &&
      !ids.has(id) &&
      typeof key === "string" &&
      // Long enough to be unguessable (the rate limit is no substitute for entropy), and made of the characters a
      // caller can present in `Authorization: Bearer`: a key outside them could never authenticate.
      key.length >= 32 &&
      CALLER_KEY_SYNTAX.test(key) &&
      Array.isArray(vendors) &&
      (operators ? vendors.length === 0 : vendors.every((vendor) => VENDORS.includes(vendor)));
    if (!ok) {
      const needs = operators ? "and no vendors" : `and vendors from ${VENDORS.join(", ")}`;
      wrong.push(`${setting}[${index}] (needs a unique id, a key of 32 to 512 printable ASCII characters without spaces or commas, ${needs})`);
      continue;
    }
    ids.add(id);
    keys.push({ id, key, vendors: vendors as VendorName[] });
  }
  return keys;
}
