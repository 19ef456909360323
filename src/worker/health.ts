/**
 * `GET /v1/health`, for an operator's key (OPERATOR_KEYS; locally, in sandbox mode on a loopback host, the local
 * key too): whether each vendor is configured, live or in the sandbox, its last success and last failure kind,
 * what its account object knows of its use (a vendor that rations logins: those of this hour), the queue's backlog and its dead-letter
 * count. Never a secret, a setting's value, an address or a message.
 *
 * Vendor outcomes are noted in the deployment's index object (delivery/message-index.ts): every queued attempt's
 * and every synchronous send's. So that a busy deployment does not write there on every send, each isolate notes
 * the same vendor and kind at most once in `NOTE_EVERY_MS`: a time shown is within that of the latest.
 */
import type { Outcome, VendorName } from "../core/public.ts";
import type { Config, Env, OperatorKey } from "./env.ts";
import { authenticateCaller, LOCAL_SANDBOX_CALLER } from "./gates/caller-key.ts";
import { refuseBrowsers } from "./gates/origin-cors.ts";
import { limitRate } from "./gates/rate-limit.ts";
import { DEPLOYMENT_INDEX, type VendorHealth } from "./delivery/message-index.ts";
import { credentialChecks, type CredentialStatus } from "./credential-checks.ts";
import { Refusal } from "./problem.ts";
import { accountUsage } from "./vendor-settings.ts";
import { accountObjectOf, clientSettings } from "./vendors.ts";

/** How often one isolate notes the same vendor outcome at most. */
export const NOTE_EVERY_MS = 10_000;
const noted = new Map<string, number>();

/** The local key, as an operator's: it reads health only where it sends only to the sandbox. */
export const LOCAL_SANDBOX_OPERATOR: OperatorKey = { id: LOCAL_SANDBOX_CALLER.id, key: LOCAL_SANDBOX_CALLER.key };

/** One vendor as the health route shows it. */
export interface VendorStatus extends VendorHealth {
  readonly configured: boolean;
  /** `live`: sends go to the vendor; `sandbox`: to the deployment's fake; `off`: refused. */
  readonly mode: "live" | "sandbox" | "off";
  /** What the account object knows of the account's use (its descriptor's `usage`: `loginsThisHour`, say). */
  readonly usage?: Readonly<Record<string, number>>;
  /** With `?check=credentials`, for a configured vendor: whether it accepts the credentials (credential-checks.ts). */
  readonly credentials?: CredentialStatus;
}

/** What `?check=` may ask for. */
const CHECKS = ["credentials"] as const;

/** What `GET /v1/health` answers. */
export interface Health {
  readonly mode: Config["mode"];
  readonly vendors: Readonly<Record<VendorName, VendorStatus>>;
  /** `undefined` counts when the worker has no MESSAGE_INDEX binding to count from. */
  readonly queue: { readonly configured: boolean; readonly backlog?: number; readonly deadLettered?: number };
}

/**
 * Notes a vendor's answer for the health route: a success, or a failure of its kind. A refusal before the vendor
 * (`validation`) says nothing of the vendor and is not noted; a note that cannot be written is dropped.
 *
 * @example
 * await noteVendorOutcome(env, outcome);
 */
export async function noteVendorOutcome(env: Env, outcome: Outcome<unknown>): Promise<void> {
  const index = env.MESSAGE_INDEX;
  if (!index || (!outcome.ok && outcome.kind === "validation")) return;
  const kind = outcome.ok ? "sent" : outcome.kind;
  const key = `${outcome.vendor} ${kind}`;
  const now = Date.now();
  if ((noted.get(key) ?? -Infinity) > now - NOTE_EVERY_MS) return;
  noted.set(key, now);
  await index.get(index.idFromName(DEPLOYMENT_INDEX)).noteVendor(outcome.vendor, outcome.ok, kind).catch(() => undefined);
}

/**
 * Serves `GET /v1/health`.
 *
 * @example
 * if (pathname === "/v1/health") return healthRoute(request, env, config, config.operatorKeys);
 */
export async function healthRoute(request: Request, env: Env, config: Config, operatorKeys: readonly OperatorKey[] | undefined): Promise<Response> {
  if (request.method !== "GET") throw new Refusal("method_not_allowed", `${request.method.slice(0, 10)} is not allowed here`, { headers: { allow: "GET" } });
  refuseBrowsers(request);
  if (!operatorKeys?.length) {
    throw new Refusal("not_configured", `no operator keys are configured: set OPERATOR_KEYS to a JSON list of {"id", "key"} (wrangler secret put OPERATOR_KEYS; .dev.vars locally)`);
  }
  const operator = await authenticateCaller(request, operatorKeys.map((key) => ({ ...key, vendors: [] })));
  await limitRate(env.CALLER_RATE_LIMIT, `operator:${operator.id}`);
  const checks = new URL(request.url).searchParams.getAll("check");
  const unknown = checks.filter((check) => !(CHECKS as readonly string[]).includes(check));
  if (unknown.length) {
    const message = `must be ${CHECKS.join(" or ")}`;
    // The same answer as the list route's for a bad query value: a validation problem naming the parameter.
    throw new Refusal("validation", `query.check ${message}`, { issues: [{ path: "query.check", rule: "enum", message }] });
  }
  return Response.json(await health(env, config, checks.includes("credentials")), { headers: { "cache-control": "no-store" } });
}

async function health(env: Env, config: Config, checkCredentials = false): Promise<Health> {
  const settings = clientSettings(config);
  const checking = checkCredentials ? credentialChecks(config, settings) : undefined;
  const index = env.MESSAGE_INDEX?.get(env.MESSAGE_INDEX.idFromName(DEPLOYMENT_INDEX));
  const [outcomes, counts] = index ? await Promise.all([index.vendorHealth(), index.counts()]) : [{}, undefined];
  const credentials = (await checking) ?? {};
  const vendors = {} as Record<VendorName, VendorStatus>;
  for (const descriptor of config.served.list) {
    const vendor = descriptor.name as VendorName;
    const options = settings[vendor] as object | undefined;
    const usage = options ? await accountUsage(descriptor, options, accountObjectOf(config, descriptor, options)) : undefined;
    vendors[vendor] = {
      configured: options !== undefined,
      mode: options === undefined ? "off" : config.mode === "live" ? "live" : "sandbox",
      ...(outcomes as Partial<Record<VendorName, VendorHealth>>)[vendor],
      ...(usage ? { usage } : {}),
      ...(credentials[vendor] ? { credentials: credentials[vendor] } : {}),
    };
  }
  return {
    mode: config.mode,
    vendors,
    queue: { configured: Boolean(env.DELIVERY_QUEUE && env.MESSAGES), ...(counts ?? {}) },
  };
}
