/**
 * `GET /v1/health?check=credentials`: each configured vendor's credential check (its client's `checkCredentials`:
 * a read the vendor documents, or what its token endpoint says), run against the vendor in live mode and against
 * the deployment's fake in sandbox mode. Unconfigured vendors are not checked.
 *
 * Bounded in time: every check runs at once, each with `HEALTH_CHECK_TIMEOUT_MS`, and the answer waits no longer
 * than that (plus a moment) for any one of them: a vendor that has not answered by then is `unreachable`.
 * Bounded in rate: each isolate keeps a vendor's result for `HEALTH_CHECK_REUSE_MS` (per vendor and settings, in
 * memory; the key is a digest, never the settings) and polls that come meanwhile, or while it runs, share it. A
 * vendor is so asked at most once a minute per isolate, whatever an operator polls. A vendor whose logins are
 * rationed guards them across isolates as well: its client's check logs in only through the account object's
 * token record, and only while the hour leaves logins for sends, so many isolates polling at once cannot spend them.
 */
import type { CredentialCheck } from "../core/public.ts";
import type { VendorName } from "../core/outcome.ts";
import type { Config } from "./env.ts";
import { vendorClient } from "./vendors.ts";

/** How long one isolate reuses a vendor's credential check. */
export const HEALTH_CHECK_REUSE_MS = 60_000;
/** Each vendor's check timeout, and so how long the health answer waits for the slowest. */
export const HEALTH_CHECK_TIMEOUT_MS = 5_000;
/** What a check may take past its timeout (its own clean-up) before the route stops waiting for it. */
const GRACE_MS = 500;

/**
 * One vendor's check as the health route shows it: the client's result, when it ran, and what it ran against
 * (`sandbox`: the deployment's fake).
 *
 * @example
 * const status: CredentialStatus | undefined = health.vendors[vendor].credentials;
 * if (status?.kind === "skipped") console.log(status.message, status.checkedAt);
 */
export type CredentialStatus = CredentialCheck & { readonly checkedAt: string; readonly target: "live" | "sandbox" };

interface Kept {
  readonly at: number;
  readonly status: Promise<CredentialStatus>;
}
const kept = new Map<string, Kept>();

/**
 * The credential check of each vendor configured here, run or reused.
 *
 * @example
 * const checks = await credentialChecks(config, clientSettings(config)); // { [vendor]: { kind: "ok", checkedAt, target, ... } }
 */
export async function credentialChecks(config: Config, settings: Readonly<Partial<Record<VendorName, object>>>): Promise<Partial<Record<VendorName, CredentialStatus>>> {
  const target = config.mode === "live" ? "live" : "sandbox";
  const entries = await Promise.all(
    (Object.entries(settings) as [VendorName, object | undefined][])
      .filter(([, options]) => options !== undefined)
      .map(async ([vendor, options]) => [vendor, await keptCheck(config, vendor, target, options!)] as const),
  );
  return Object.fromEntries(entries);
}

async function keptCheck(config: Config, vendor: VendorName, target: "live" | "sandbox", options: object): Promise<CredentialStatus> {
  const key = `${vendor} ${target} ${await digest(options)}`;
  const now = Date.now();
  let entry = kept.get(key);
  if (!entry || entry.at <= now - HEALTH_CHECK_REUSE_MS) {
    for (const [name, old] of kept) if (old.at <= now - HEALTH_CHECK_REUSE_MS) kept.delete(name);
    const checkedAt = new Date(now).toISOString();
    const status = vendorClient(config, vendor)
      .checkCredentials({ timeoutMs: HEALTH_CHECK_TIMEOUT_MS })
      .catch((): CredentialCheck => ({ kind: "error", vendor, requests: 0, message: "the check failed inside the worker" }))
      .then((check) => ({ ...check, checkedAt, target }));
    kept.set(key, (entry = { at: now, status }));
  }
  // Each request waits on its own timer: a check shared from another request (whose own timers may not outlive
  // it) still cannot hold this answer past the timeout.
  return withinDeadline(entry.status, { kind: "unreachable", vendor, requests: 0, message: `the check got no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`, checkedAt: new Date(entry.at).toISOString(), target });
}

async function withinDeadline(status: Promise<CredentialStatus>, late: CredentialStatus): Promise<CredentialStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([status, new Promise<CredentialStatus>((resolve) => (timer = setTimeout(() => resolve(late), HEALTH_CHECK_TIMEOUT_MS + GRACE_MS)))]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** A digest of a vendor's settings: checks of different credentials are kept apart, and no setting is kept. */
async function digest(options: object): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(options)));
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
