/**
 * Trusted callers (other Workers, Deno or Bun services) authenticate with `Authorization: Bearer <caller key>`.
 * Keys are compared in constant time, and each key may use only the vendors listed for it.
 */
import type { VendorName } from "../../core/public.ts";
import type { CallerKey } from "../env.ts";
import { LOCAL_TRIAL, Refusal } from "../problem.ts";
import { bearerCredentials } from "./credential-headers.ts";

const CHALLENGE = { "www-authenticate": 'Bearer realm="txgate"' };
/**
 * What a caller key can be: printable ASCII without spaces or commas, at most 512 characters. Keys are
 * presented in `Authorization: Bearer <key>`, and only these are read there (a comma there means the header
 * came twice: see credential-headers.ts); CALLER_KEYS refuses any other key (env.ts).
 */
export const CALLER_KEY_SYNTAX = /^[\x21-\x2b\x2d-\x7e]{1,512}$/;

/**
 * The caller key `npm start` documents, for trying the trusted route on a fresh clone. It is no secret: the
 * worker accepts it only in sandbox mode on a loopback host (router.ts), where every send goes to the
 * deployment's sandbox and reaches no one.
 */
export const LOCAL_SANDBOX_CALLER: CallerKey = { id: "local-sandbox", key: "txgate-local-sandbox", vendors: [] }; // the router grants it every served vendor

/**
 * The caller whose key the request presents; an `unauthenticated` refusal otherwise. Every configured key is
 * compared, whichever matches, so the time taken says nothing about which key (or how much of one) was right.
 *
 * @example
 * const caller = await authenticateCaller(request, config.callerKeys);
 */
export async function authenticateCaller(request: Request, keys: readonly CallerKey[] | undefined): Promise<CallerKey> {
  if (!keys?.length) {
    throw new Refusal(
      "not_configured",
      `no caller keys are configured: set CALLER_KEYS to a JSON list of {"id", "key", "vendors"} (wrangler secret put CALLER_KEYS; .dev.vars locally). ${LOCAL_TRIAL} and send from localhost with the key ${LOCAL_SANDBOX_CALLER.key}`,
    );
  }
  const presented = bearerCredentials(request);
  if (presented === undefined || !CALLER_KEY_SYNTAX.test(presented)) throw new Refusal("unauthenticated", "send Authorization: Bearer <caller key>", { headers: CHALLENGE });
  const presentedDigest = await sha256(presented);
  let match: CallerKey | undefined;
  for (const caller of keys) {
    // Digests have one length, which timingSafeEqual needs, whatever the keys' lengths.
    if (timingSafeEqual(presentedDigest, await keyDigest(caller)) && !match) match = caller;
  }
  if (!match) throw new Refusal("unauthenticated", "unknown caller key", { headers: CHALLENGE });
  return match;
}

/**
 * Refuses a vendor the caller's key is not allowed to use.
 *
 * @example
 * requireVendorAllowed(caller, vendor);
 */
export function requireVendorAllowed(caller: CallerKey, vendor: VendorName): void {
  if (!caller.vendors.includes(vendor)) {
    throw new Refusal("forbidden_vendor", `caller key ${caller.id} may not send through ${vendor}`);
  }
}

/**
 * Each configured key's digest, worked out once per key object: a configuration is parsed once per `env`
 * (env.ts), so a changed `CALLER_KEYS` brings new objects and new digests. Every key is still compared.
 */
const keyDigests = new WeakMap<CallerKey, Promise<ArrayBuffer>>();

function keyDigest(caller: CallerKey): Promise<ArrayBuffer> {
  let digest = keyDigests.get(caller);
  if (!digest) keyDigests.set(caller, (digest = sha256(caller.key)));
  return digest;
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

/** workerd's constant-time comparison (`crypto.subtle.timingSafeEqual`), for two buffers of one length. */
function timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean {
  return (crypto.subtle as SubtleCrypto & { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }).timingSafeEqual(a, b);
}
