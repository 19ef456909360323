/**
 * Signed-in users: a JWT from the site's identity provider, verified by `jose` against the provider's JWKS
 * (fetched from a URL and cached, or given inline). RS256 and ES256 only; `exp`, `nbf`, `iat`, `iss` and `aud`
 * are checked, and the user's address is the `email` claim, which the token must mark `email_verified: true`
 * (unless the deployment trusts its provider's addresses without that claim: `JWT_TRUST_UNVERIFIED_EMAIL`).
 *
 * The JWKS URL is fetched here, not by jose's `createRemoteJWKSet`: that one reads any size of answer, refetches
 * at once after a failure, and on Workers starts one fetch per waiting request (it cannot share a promise across
 * requests); this gate caps the answer, throttles every refetch and shares one fetch, bounded by its own timeout.
 */
import { createLocalJWKSet, jwtVerify, type JWTHeaderParameters, type JWTPayload } from "jose";
// Named, from jose/errors: `errors` from "jose" is a namespace object, which a bundle would have to build.
import { JOSEAlgNotAllowed, JOSEError, JOSENotSupported, JWKSMultipleMatchingKeys, JWKSNoMatchingKey, JWSInvalid, JWSSignatureVerificationFailed, JWTClaimValidationFailed, JWTExpired, JWTInvalid } from "jose/errors";
import type { JwtConfig } from "../env.ts";
import { Refusal } from "../problem.ts";
import { readTextBody } from "./body-limit.ts";
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

/** Asymmetric only: an HMAC alg would let anyone holding the public key (as the "secret") sign tokens. */
const ALGORITHMS = ["RS256", "ES256"];
/** Clock difference tolerated between the identity provider and the edge. */
const LEEWAY_SECONDS = 30;
const MAX_TOKEN_LENGTH = 8192;
const JWKS_TTL_MS = 10 * 60_000;
/** A token with an unknown `kid` may mean the provider rotated keys, but may not make us fetch more often than this. */
const JWKS_REFETCH_MS = 30_000;
/** After a failed fetch, the next is tried no sooner than this (meanwhile, tokens needing the keys get a 503). */
const JWKS_RETRY_MS = 5_000;
/** Also how long a request waits for a fetch another request started: on Workers that one may never settle. */
const JWKS_TIMEOUT_MS = 5_000;
/** A provider's JWKS is a few keys; an answer larger than this is not one (and is not read to the end). */
const JWKS_MAX_BYTES = 64 * 1024;
const JWKS_MAX_KEYS = 64;

const CHALLENGE = { "www-authenticate": 'Bearer realm="txgate"' };
const refuse = (detail: string, code?: string) => new Refusal("unauthenticated", detail, { headers: CHALLENGE, ...(code ? { log: { jwt: code } } : {}) });
const noMatchingKey = () => refuse("no key of the identity provider matches the token");
const jwksUnavailable = () => new Refusal("verification_unavailable", "the identity provider's keys could not be fetched");

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
  if (!config) {
    throw new Refusal("not_configured", "signing in is not configured on this worker: set JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL (or an inline JWT_JWKS) to your identity provider's");
  }
  if (!token) throw refuse("send Authorization: Bearer <JWT of the signed-in user>");
  if (token.length > MAX_TOKEN_LENGTH) throw refuse("the token is too long");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  let claims: JWTPayload;
  try {
    // jose refuses any other alg before asking for a key, and a key whose type, curve, `alg` or `use` does not fit.
    ({ payload: claims } = await jwtVerify(token, (header) => signingKey(config, header, options), {
      algorithms: ALGORITHMS,
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["exp", "sub"],
      clockTolerance: LEEWAY_SECONDS,
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    throw refusalFor(error);
  }
  const { iat, sub, email, email_verified: emailVerified } = claims;
  // jose checks that `iat` is a number, but that it is not in the future only with a maximum token age, unset here.
  if (iat !== undefined && iat > now + LEEWAY_SECONDS) throw refuse("the token was issued in the future (iat)");
  if (typeof sub !== "string" || !sub) throw refuse("the token has no sub claim");
  // Only an explicit `true` verifies the address ("true", 1 or a missing claim do not), unless the deployment
  // says its provider issues verified addresses only; an explicit non-true claim is never trusted.
  const verified = emailVerified === true || (config.trustUnverifiedEmail === true && emailVerified === undefined);
  const verifiedEmail = typeof email === "string" && email && verified ? email : undefined;
  return { subject: sub, ...(verifiedEmail ? { email: verifiedEmail } : {}) };
}

/** What the caller is told about a token jose refused; anything unforeseen is a refusal too (fail closed). */
function refusalFor(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (!(error instanceof JOSEError)) return refuse("the token cannot be verified");
  if (error instanceof JOSEAlgNotAllowed) return refuse("the token's alg must be RS256 or ES256", error.code);
  if (error instanceof JWSSignatureVerificationFailed) return refuse("the token's signature is not valid", error.code);
  if (error instanceof JWTExpired) return refuse("the token has expired", error.code);
  if (error instanceof JWTClaimValidationFailed) {
    if (error.reason === "missing") return refuse(`the token has no ${error.claim} claim`, error.code);
    const detail = { nbf: "the token is not valid yet (nbf)", iss: "the token is from another issuer", aud: "the token is for another audience" }[error.claim];
    return refuse(detail ?? `the token's ${error.claim} claim is not valid`, error.code);
  }
  if (error instanceof JOSENotSupported) return refuse("the token names critical extensions this worker does not know", error.code);
  if (error instanceof JWSInvalid || error instanceof JWTInvalid) return refuse("the token is not a valid JWS compact serialization of JSON", error.code);
  return refuse("the identity provider's key cannot be used", error.code);
}

type KeySet = ReturnType<typeof createLocalJWKSet>;
/** One key set per inline JWKS: jose keeps the keys it imported in it, so each is imported once. */
const inlineKeySets = new WeakMap<object, KeySet>();

/** The key that should have signed the token: the inline JWKS first, then the provider's URL. */
async function signingKey(config: JwtConfig, header: JWTHeaderParameters, options: JwtVerifyOptions): Promise<CryptoKey> {
  // jose accepts `crit: ["b64"]`; this gate knows no extension at all, as before.
  if (header.crit !== undefined) throw refuse("the token names critical extensions this worker does not know");
  if (config.jwks) {
    let keySet = inlineKeySets.get(config.jwks);
    if (!keySet) inlineKeySets.set(config.jwks, (keySet = createLocalJWKSet(config.jwks as Parameters<typeof createLocalJWKSet>[0])));
    const key = await keyIn(keySet, header);
    if (key) return key;
  }
  const key = config.jwksUrl ? await keyFromUrl(config.jwksUrl, header, options) : undefined;
  if (!key) throw noMatchingKey();
  return key;
}

/** The key of `keySet` that matches the token's `alg`, `kid` and key type, or `undefined`. */
async function keyIn(keySet: KeySet, header: JWTHeaderParameters): Promise<CryptoKey | undefined> {
  try {
    return await keySet(header);
  } catch (error) {
    if (error instanceof JWKSNoMatchingKey) return undefined;
    // A token without `kid` that fits several keys is checked against the first of them, as before: trying each
    // would let one token cost up to JWKS_MAX_KEYS signature checks.
    if (error instanceof JWKSMultipleMatchingKeys) {
      for await (const key of error) return key;
      return undefined;
    }
    throw error;
  }
}

interface JwksState {
  /** The last key set fetched, and when; none until a fetch succeeds. */
  keys?: KeySet;
  fetchedAt: number;
  /** When the last fetch started (recorded before awaiting it, so concurrent requests see it). */
  attemptedAt: number;
  /** Whether that last fetch failed. */
  failed: boolean;
  /** The fetch under way, which every request needing the keys meanwhile waits for. */
  inFlight?: Promise<KeySet>;
}
const jwksByUrl = new Map<string, JwksState>();

/**
 * The key for the token among the provider's keys at `url`: from the cached set while it is fresh, else from a
 * fetch. One fetch per URL at a time (concurrent requests share it), and none sooner than `JWKS_REFETCH_MS`
 * after the last one started (`JWKS_RETRY_MS` after a failed one): the start is recorded before the fetch is
 * awaited, so no number of tokens with unknown `kid`s, concurrent or not, makes this worker hammer the provider.
 */
async function keyFromUrl(url: string, header: JWTHeaderParameters, options: JwtVerifyOptions): Promise<CryptoKey | undefined> {
  const now = Date.now();
  let state = jwksByUrl.get(url);
  const cached = state?.keys && now - state.fetchedAt < JWKS_TTL_MS ? await keyIn(state.keys, header) : undefined;
  if (cached) return cached;
  // A fetch whose request was cancelled on Workers never settles: past its timeout it counts as failed.
  if (state?.inFlight && now - state.attemptedAt >= JWKS_TIMEOUT_MS) {
    delete state.inFlight;
    state.failed = true;
  }
  if (state?.inFlight) return keyIn(await withinTimeout(state.inFlight), header);
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
    const keys = await withinTimeout(fetching);
    if (current.inFlight === fetching) Object.assign(current, { keys, fetchedAt: now, failed: false });
    return keyIn(keys, header);
  } catch (error) {
    if (current.inFlight === fetching) current.failed = true;
    throw error;
  } finally {
    if (current.inFlight === fetching) delete current.inFlight;
  }
}

/** `fetching`, or `verification_unavailable` once `JWKS_TIMEOUT_MS` have passed. */
async function withinTimeout<T>(fetching: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(jwksUnavailable()), JWKS_TIMEOUT_MS)));
  try {
    return await Promise.race([fetching, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function fetchJwks(url: string, options: JwtVerifyOptions): Promise<KeySet> {
  try {
    const response = await (options.fetch ?? fetch)(new Request(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) }));
    if (!response.ok) throw jwksUnavailable();
    const jwks = JSON.parse(await readTextBody(response, JWKS_MAX_BYTES)) as { keys?: unknown } | null;
    if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length > JWKS_MAX_KEYS) throw jwksUnavailable();
    return createLocalJWKSet({ keys: jwks.keys.filter((key) => Boolean(key) && typeof key === "object") });
  } catch {
    throw jwksUnavailable();
  }
}
