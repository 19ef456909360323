/**
 * The worker's environment: its bindings, and its settings parsed and checked once per isolate. Secrets come
 * only from here (`wrangler secret put` in a deployment, `.dev.vars` locally); nothing else reads `env`.
 */
import * as v from "valibot";
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
import { describeIssue, optionalSetting, parseJson, settingPath, wholeNumber } from "./setting-schemas.ts";
import { readVendorSettings, sendsPerSecond, vendorSecrets, vendorSettingChecks, vendorSettingEntries, webhookCredentials, type VendorEnv, type VendorSettings } from "./vendor-settings.ts";

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
/** A browser's JSON body, by default: far more than any form's variables. */
export const DEFAULT_BROWSER_MAX_BODY_BYTES = 16 * 1024;
/** A trusted caller's body, by default: room for attachments as base64. */
export const DEFAULT_CALLER_MAX_BODY_BYTES = 10 * 1024 * 1024;
const parsed = new WeakMap<Env, Config>();

/**
 * The configuration for `env`, parsed on first use in this isolate. A malformed setting refuses every request
 * with a `misconfigured` problem: failing closed beats running half set up. The problem says only that the
 * configuration is invalid (browsers and callers have no business learning the settings); the request's log
 * line names each bad setting and what to write instead, never a secret's value.
 *
 * @example
 * const config = loadConfig(env);
 */
export function loadConfig(env: Env, sandbox?: WorkerSandbox, vendors?: readonly AnyVendorDescriptor[]): Config {
  let config = parsed.get(env);
  if (!config) parsed.set(env, (config = parseConfig(env, sandbox, vendors)));
  return config;
}

/** A bare origin: scheme, host and port, nothing else (an allow-list entry with a path would never match). */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

const TRUE_OR_FALSE = v.picklist(["true", "false"], "true or false");
const ID_RULE = "1 to 64 letters, digits, _ . or -";
const KEY_RULE = "32 to 512 printable ASCII characters without spaces or commas";
const BYTES_RULE = "a whole number of bytes, at least 1";
const hasMethod = (method: string) => (value: unknown) => typeof value === "object" && value !== null && typeof (value as Record<string, unknown>)[method] === "function";

/** The allowed origins: any number, separated by commas or spaces, each a bare origin. */
const Origins = v.pipe(
  v.optional(v.string(), ""),
  v.transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))]),
  v.rawCheck<string[]>(({ dataset, addIssue }) => {
    for (const origin of dataset.value as string[]) if (!isOrigin(origin)) addIssue({ message: `${origin} is not an origin` });
  }),
);

/**
 * CALLER_KEYS (`vendors` from the served ones) or OPERATOR_KEYS (no vendors: an operator key sends through none),
 * each id unique.
 */
function keyList(served: readonly VendorName[], operators: boolean) {
  const noVendors = "none: an operator key reads the health route and sends through no vendor";
  const vendors = operators
    ? v.optional(v.pipe(v.array(v.unknown(), noVendors), v.maxLength(0, noVendors)), [])
    : v.array(v.picklist(served, `each one of ${served.join(", ")}`), `a list of vendors, each one of ${served.join(", ")}`);
  const shape = operators ? "{ id, key }" : "{ id, key, vendors }";
  const Entry = v.pipe(
    v.custom<Record<string, unknown>>((entry) => typeof entry === "object" && entry !== null && !Array.isArray(entry), `an object ${shape}`),
    // Every field present, so a missing one is refused with its own rule rather than valibot's "invalid key".
    v.transform(({ id, key, vendors }) => ({ id, key, vendors })),
    v.object({
      id: v.pipe(v.string(ID_RULE), v.regex(/^[\w.-]{1,64}$/, ID_RULE)),
      // Long enough to be unguessable (the rate limit is no substitute for entropy), and made of the characters a
      // caller can present in `Authorization: Bearer`: a key outside them could never authenticate.
      key: v.pipe(v.string(KEY_RULE), v.minLength(32, KEY_RULE), v.regex(CALLER_KEY_SYNTAX, KEY_RULE)),
      vendors,
    }),
  );
  return optionalSetting<CallerKey[]>(
    parseJson("not JSON"),
    v.array(Entry, `a JSON list of ${shape}`),
    v.rawCheck<{ id: string }[]>(({ dataset, addIssue }) => {
      const seen = new Set<string>();
      const list = dataset.value as { id: string }[];
      for (const [index, { id }] of list.entries()) {
        if (seen.has(id)) {
          addIssue({ message: "another key has this id: each id is unique", path: [{ type: "array", origin: "value", input: list, key: index, value: list[index] }, { type: "object", origin: "value", input: {}, key: "id", value: id }] });
        }
        seen.add(id);
      }
    }),
  );
}

/** The worker's own settings and bindings, each as a valibot schema. */
function workerSettingEntries(served: ServedVendors) {
  return {
      ALLOWED_ORIGINS: v.pipe(v.unknown(), v.transform((value) => (typeof value === "string" ? value : undefined)), Origins),
      CALLER_KEYS: keyList(served.names, false),
      OPERATOR_KEYS: keyList(served.names, true),
      JWT_ISSUER: optionalSetting(),
      JWT_AUDIENCE: optionalSetting(),
      JWT_JWKS_URL: optionalSetting(v.regex(/^https?:\/\//, "not a URL: https://…")),
      JWT_JWKS: optionalSetting<{ keys: JsonWebKey[] }>(
        parseJson("not a JWKS document"),
        v.check((jwks: unknown) => Array.isArray((jwks as { keys?: unknown } | null)?.keys), "not a JWKS document: { \"keys\": [...] }"),
      ),
      JWT_TRUST_UNVERIFIED_EMAIL: optionalSetting(TRUE_OR_FALSE),
      TURNSTILE_SECRET: optionalSetting(),
      TURNSTILE_VERIFY_URL: optionalSetting(),
      SANDBOX: optionalSetting(TRUE_OR_FALSE),
      BROWSER_MAX_BODY_BYTES: optionalSetting<number>(...wholeNumber(BYTES_RULE)),
      CALLER_MAX_BODY_BYTES: optionalSetting<number>(...wholeNumber(BYTES_RULE)),
      BROWSER_RATE_LIMIT: v.custom<RateLimiter>(hasMethod("limit"), "rate limiting binding missing"),
      CALLER_RATE_LIMIT: v.custom<RateLimiter>(hasMethod("limit"), "rate limiting binding missing"),
      VENDOR_ACCOUNTS: v.custom<DurableObjectNamespace<VendorAccountObject>>(hasMethod("idFromName"), "Durable Object binding missing"),
  };
}

/** The worker's settings once parsed; each vendor's are under their own names beside them. */
type WorkerSettings = v.InferOutput<v.ObjectSchema<ReturnType<typeof workerSettingEntries>, undefined>> & Readonly<Record<string, unknown>>;

/** Every setting of the worker's and of its served vendors', each as a valibot schema, and the checks across them. */
function configSchema(served: ServedVendors) {
  const entries = { ...workerSettingEntries(served), ...vendorSettingEntries(served.list) };
  // The checks across settings read them by name, whichever entries the served vendors added.
  const settings = v.object(entries) as v.GenericSchema<unknown, Record<string, unknown>>;
  const schema = v.pipe(
    settings,
    v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
      const value = dataset.value as Record<string, unknown>;
      const jwt = ["JWT_ISSUER", "JWT_AUDIENCE", "JWT_JWKS_URL", "JWT_JWKS"].filter((name) => value[name] !== undefined);
      const complete = value.JWT_ISSUER !== undefined && value.JWT_AUDIENCE !== undefined && (value.JWT_JWKS_URL !== undefined || value.JWT_JWKS !== undefined);
      if (jwt.length && !complete) addIssue({ message: "JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_JWKS go together", path: settingPath("JWT_*") });
    }),
    vendorSettingChecks(served.list),
  );
  return { names: Object.keys(entries), schema };
}

/**
 * The configuration for `env`, checked by one valibot schema: every wrong setting is named in the one refusal.
 *
 * @example
 * const config = parseConfig(env, sandbox, [acmeVendor]);
 */
export function parseConfig(env: Env, sandbox?: WorkerSandbox, vendors?: readonly AnyVendorDescriptor[]): Config {
  const served = servedVendors(vendors);
  const { names, schema } = configSchema(served);
  // Only the settings the schema names, each under its own key even when unset, so a missing one is simply unset.
  const input: Record<string, unknown> = {};
  for (const name of names) input[name] = (env as unknown as Record<string, unknown>)[name];
  const parsed = v.safeParse(schema, input);
  const text = (name: string) => {
    const value = input[name];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  // Built from the raw settings, so even a configuration that fails knows every secret it must keep out of the log.
  const redactor = new Redactor().add(
    ...served.list.map(({ name }) => text(`${name.toUpperCase()}_WEBHOOK_PASSWORD`)),
    env.CALLER_KEYS,
    ...jsonKeys(text("CALLER_KEYS")),
    env.OPERATOR_KEYS,
    ...jsonKeys(text("OPERATOR_KEYS")),
    text("TURNSTILE_SECRET"),
    ...vendorSecrets(served.list).map(text),
  );
  if (!parsed.success) {
    throw new Refusal("misconfigured", "the worker's configuration is invalid: this request's log line names each setting to fix", {
      log: { error: redactor.text(`fix these settings: ${parsed.issues.map(describeIssue).join("; ")}`) },
    });
  }
  const settings = parsed.output as WorkerSettings;
  const vendorOptions = readVendorSettings(served.list, settings);
  const { JWT_ISSUER: issuer, JWT_AUDIENCE: audience, JWT_JWKS_URL: jwksUrl, JWT_JWKS: jwks, OPERATOR_KEYS: operatorKeys } = settings;
  return {
    origins: new Set(settings.ALLOWED_ORIGINS),
    callerKeys: settings.CALLER_KEYS,
    ...(operatorKeys ? { operatorKeys: operatorKeys.map(({ id, key }) => ({ id, key })) } : {}),
    jwt: issuer && audience ? { issuer, audience, jwksUrl, jwks, trustUnverifiedEmail: settings.JWT_TRUST_UNVERIFIED_EMAIL === "true" } : undefined,
    turnstile: { secret: settings.TURNSTILE_SECRET, verifyUrl: settings.TURNSTILE_VERIFY_URL ?? TURNSTILE_SITEVERIFY_URL },
    maxBodyBytes: { browser: settings.BROWSER_MAX_BODY_BYTES ?? DEFAULT_BROWSER_MAX_BODY_BYTES, caller: settings.CALLER_MAX_BODY_BYTES ?? DEFAULT_CALLER_MAX_BODY_BYTES },
    accounts: settings.VENDOR_ACCOUNTS,
    sendsPerSecond: sendsPerSecond(served.list, settings),
    vendors: vendorOptions,
    mode: served.names.some((vendor) => vendorOptions[vendor]) ? "live" : settings.SANDBOX === "true" ? "sandbox" : "unconfigured",
    redactor,
    ...(sandbox ? { sandbox } : {}),
    served,
    webhooks: webhookCredentials(served.list, settings),
  };
}

/** The `key` of each entry of a CALLER_KEYS or OPERATOR_KEYS that parses, for the redactor, whatever else is wrong with it. */
function jsonKeys(raw: string | undefined): string[] {
  try {
    const list: unknown = raw === undefined ? [] : JSON.parse(raw);
    if (!Array.isArray(list)) return [];
    return list.flatMap((entry) => (typeof entry === "object" && entry !== null && typeof entry.key === "string" ? [entry.key as string] : []));
  } catch {
    return [];
  }
}
