/**
 * Signed-in users: a JWT from the site's identity provider, verified with Web Crypto against the provider's
 * JWKS (fetched from a URL and cached, or given inline). RS256 and ES256 only; `exp`, `nbf`, `iss` and `aud`
 * are checked, and the user's address is the `email` claim, which the token must mark `email_verified: true`
 * (unless the deployment trusts its provider's addresses without that claim: `JWT_TRUST_UNVERIFIED_EMAIL`).
 */
import type { JwtConfig } from "../env.ts";
import { Refusal } from "../problem.ts";
import { bearerCredentials } from "./credential-headers.ts";

/** The user a valid token names. */
export interface VerifiedUser {
  /** The `sub` claim: the rate-limit key. */
  readonly subject: string;
  /** The `email` claim, when the token marks it verified (`email_verified: true`). */
  readonly email?: string;
}

export interface JwtVerifyOptions {
  /** The `fetch` for the JWKS URL; the global one by default. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Seconds since the epoch; now by default. */
  readonly now?: number;
}

const ALGORITHMS = {
  RS256: { kty: "RSA", importAs: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verifyAs: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { kty: "EC", importAs: { name: "ECDSA", namedCurve: "P-256" }, verifyAs: { name: "ECDSA", hash: "SHA-256" } },
} as const;
type Algorithm = keyof typeof ALGORITHMS;

/** Clock difference tolerated between the identity provider and the edge. */
const LEEWAY_SECONDS = 30;
const MAX_TOKEN_LENGTH = 8192;
const JWKS_TTL_MS = 10 * 60_000;
/** A token with an unknown `kid` may mean the provider rotated keys, but may not make us fetch more often than this. */
const JWKS_REFETCH_MS = 30_000;
/** After a failed fetch, the next is tried no sooner than this (meanwhile, tokens needing the keys get a 503). */
const JWKS_RETRY_MS = 5_000;
const JWKS_TIMEOUT_MS = 5_000;
/** A provider's JWKS is a few keys; an answer larger than this is not one (and is not read to the end). */
const JWKS_MAX_BYTES = 64 * 1024;
const JWKS_MAX_KEYS = 64;

const CHALLENGE = { "www-authenticate": 'Bearer realm="txgate"' };
const refuse = (detail: string) => new Refusal("unauthenticated", detail, { headers: CHALLENGE });

/**
 * The bearer token of `Authorization: Bearer <jwt>`, or `undefined`.
 *
 * @example
 * const token = bearerToken(request);
 */
export function bearerToken(request: Request): string | undefined {
  const token = bearerCredentials(request);
  return token !== undefined && /^[A-Za-z0-9_.-]+$/.test(token) ? token : undefined;
}

/**
 * The user a JWT names, after checking its signature and claims; an `unauthenticated` refusal otherwise
 * (`verification_unavailable` when the JWKS cannot be fetched: that is no reason to let anyone in).
 *
 * @example
 * const user = await verifyJwt(bearerToken(request), config.jwt);
 */
export async function verifyJwt(token: string | undefined, config: JwtConfig | undefined, options: JwtVerifyOptions = {}): Promise<VerifiedUser> {
  if (!config) throw new Refusal("not_configured", "signing in is not configured on this worker (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL)");
  if (!token) throw refuse("send Authorization: Bearer <JWT of the signed-in user>");
  if (token.length > MAX_TOKEN_LENGTH) throw refuse("the token is too long");
  const parts = token.split(".");
  if (parts.length !== 3) throw refuse("the token is not a JWS compact serialization");
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart) as { alg?: unknown; kid?: unknown; crit?: unknown };
  const claims = decodeJson(payloadPart) as Record<string, unknown>;
  if (!header || !claims) throw refuse("the token's header or claims are not JSON");
  // Own properties only: `in` would also accept inherited names ("constructor", "__proto__", "toString").
  if (typeof header.alg !== "string" || !Object.hasOwn(ALGORITHMS, header.alg)) throw refuse("the token's alg must be RS256 or ES256");
  if (header.crit !== undefined) throw refuse("the token names critical extensions this worker does not know");
  const alg = header.alg as Algorithm;
  const kid = typeof header.kid === "string" ? header.kid : undefined;

  const key = await signingKey(config, alg, kid, options);
  const signature = decodeBytes(signaturePart);
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!signature || !(await crypto.subtle.verify(ALGORITHMS[alg].verifyAs, key, signature, signed))) {
    throw refuse("the token's signature is not valid");
  }

  const now = options.now ?? Math.floor(Date.now() / 1000);
  const { exp, nbf, iat, iss, aud, sub, email, email_verified: emailVerified } = claims;
  if (typeof exp !== "number") throw refuse("the token has no exp claim");
  if (now >= exp + LEEWAY_SECONDS) throw refuse("the token has expired");
  if (nbf !== undefined && (typeof nbf !== "number" || now < nbf - LEEWAY_SECONDS)) throw refuse("the token is not valid yet (nbf)");
  if (iat !== undefined && (typeof iat !== "number" || iat > now + LEEWAY_SECONDS)) throw refuse("the token was issued in the future (iat)");
  if (iss !== config.issuer) throw refuse("the token is from another issuer");
  if (!(aud === config.audience || (Array.isArray(aud) && aud.includes(config.audience)))) throw refuse("the token is for another audience");
  if (typeof sub !== "string" || !sub) throw refuse("the token has no sub claim");
  // Only an explicit `true` verifies the address ("true", 1 or a missing claim do not), unless the deployment
  // says its provider issues verified addresses only; an explicit non-true claim is never trusted.
  const verified = emailVerified === true || (config.trustUnverifiedEmail === true && emailVerified === undefined);
  const verifiedEmail = typeof email === "string" && email && verified ? email : undefined;
  return { subject: sub, ...(verifiedEmail ? { email: verifiedEmail } : {}) };
}

interface JwksState {
  /** The last key set fetched, and when; none until a fetch succeeds. */
  keys?: JsonWebKey[];
  fetchedAt: number;
  /** When the last fetch started (recorded before awaiting it, so concurrent requests see it). */
  attemptedAt: number;
  /** Whether that last fetch failed. */
  failed: boolean;
  /** The fetch under way, which every request needing the keys meanwhile waits for. */
  inFlight?: Promise<JsonWebKey[]>;
}
const jwksByUrl = new Map<string, JwksState>();
const importedKeys = new Map<string, Promise<CryptoKey>>();

/** The key that should have signed the token: matched by `kid` (if any), key type and `alg`. */
async function signingKey(config: JwtConfig, alg: Algorithm, kid: string | undefined, options: JwtVerifyOptions): Promise<CryptoKey> {
  const pick = (keys: readonly JsonWebKey[]) =>
    keys.find((key) => {
      const jwk = key as JsonWebKey & { kid?: string; use?: string };
      return (
        jwk.kty === ALGORITHMS[alg].kty &&
        (kid === undefined || jwk.kid === kid) &&
        (jwk.alg === undefined || jwk.alg === alg) &&
        (jwk.use === undefined || jwk.use === "sig")
      );
    });
  let jwk = config.jwks ? pick(config.jwks.keys) : undefined;
  if (!jwk && config.jwksUrl) jwk = await keyFromUrl(config.jwksUrl, pick, options);
  if (!jwk) throw refuse("no key of the identity provider matches the token");
  const cacheKey = `${alg} ${JSON.stringify(jwk)}`;
  let key = importedKeys.get(cacheKey);
  if (!key) {
    const { kty, n, e, crv, x, y } = jwk;
    key = crypto.subtle.importKey("jwk", { kty, n, e, crv, x, y }, ALGORITHMS[alg].importAs, false, ["verify"]);
    importedKeys.set(cacheKey, key);
  }
  try {
    return await key;
  } catch {
    importedKeys.delete(cacheKey);
    throw refuse("the identity provider's key cannot be used");
  }
}

/**
 * The key `pick` finds among the provider's keys at `url`: from the cached set while it is fresh, else from a
 * fetch. One fetch per URL at a time (concurrent requests share it), and none sooner than `JWKS_REFETCH_MS`
 * after the last one started (`JWKS_RETRY_MS` after a failed one): the start is recorded before the fetch is
 * awaited, so no number of tokens with unknown `kid`s, concurrent or not, makes this worker hammer the provider.
 */
async function keyFromUrl(url: string, pick: (keys: readonly JsonWebKey[]) => JsonWebKey | undefined, options: JwtVerifyOptions): Promise<JsonWebKey | undefined> {
  const now = Date.now();
  let state = jwksByUrl.get(url);
  const fresh = state?.keys && now - state.fetchedAt < JWKS_TTL_MS ? state.keys : undefined;
  const cached = fresh && pick(fresh);
  if (cached) return cached;
  if (state?.inFlight) return pick(await state.inFlight);
  if (state && now - state.attemptedAt < (state.failed ? JWKS_RETRY_MS : JWKS_REFETCH_MS)) {
    if (state.failed) throw jwksUnavailable();
    return undefined;
  }
  if (!state) jwksByUrl.set(url, (state = { fetchedAt: 0, attemptedAt: now, failed: false }));
  const current = state;
  current.attemptedAt = now;
  const fetching = fetchJwks(url, options);
  current.inFlight = fetching;
  try {
    const keys = await fetching;
    Object.assign(current, { keys, fetchedAt: now, failed: false });
    return pick(keys);
  } catch (error) {
    current.failed = true;
    throw error;
  } finally {
    delete current.inFlight;
  }
}

const jwksUnavailable = () => new Refusal("verification_unavailable", "the identity provider's keys could not be fetched");

async function fetchJwks(url: string, options: JwtVerifyOptions): Promise<JsonWebKey[]> {
  try {
    const response = await (options.fetch ?? fetch)(new Request(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) }));
    if (!response.ok) throw jwksUnavailable();
    const jwks = JSON.parse(await readCapped(response, JWKS_MAX_BYTES)) as { keys?: unknown } | null;
    if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length > JWKS_MAX_KEYS) throw jwksUnavailable();
    return jwks.keys.filter((key): key is JsonWebKey => Boolean(key) && typeof key === "object");
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw jwksUnavailable();
  }
}

/** The response body as text; throws once it is over `maxBytes` (declared or counted), without reading on. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new RangeError("JWKS too large");
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new RangeError("JWKS too large");
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function decodeBytes(part: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function decodeJson(part: string): unknown {
  const bytes = decodeBytes(part);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
