/**
 * How the worker suite talks to the worker: through `SELF` (the worker as deployed, in this isolate), or by
 * calling its `fetch` with a changed environment (live mode, no Turnstile secret). Every response is read once
 * here and put in the secret-scan journal.
 */
import { env, SELF } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../../worker/index.ts";
import type { Env, RateLimiter } from "../../../src/worker/env.ts";
import { JWT_AUDIENCE, JWT_ISSUER, ORIGIN, TURNSTILE_SECRET, TURNSTILE_VERIFY_URL } from "./bindings.ts";
import { journal } from "./secret-scan.ts";

/** A response as a test sees it: status, headers, the body as text and (when it is JSON) parsed. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/** The host of the deployed worker in these tests; `http://localhost` is the local (sandbox-page) host. */
export const HOST = "https://txgate.test";
export const LOCAL = "http://localhost";

/** Reads a response and records it for the secret scan. */
export async function record(response: Response, label: string): Promise<Answer> {
  const text = await response.text();
  journal.push({ source: `response to ${label}`, text: `${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n")}\n\n${text}` });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** A request to the worker through `SELF`; `path` may be a full URL. */
export async function fetchWorker(path: string, init: RequestInit = {}): Promise<Answer> {
  const url = path.startsWith("http") ? path : `${HOST}${path}`;
  return record(await SELF.fetch(url, init), `${init.method ?? "GET"} ${url}`);
}

/** A request to the worker's `fetch` with `overrides` (settings, or bindings such as a rate limiter) on top of the suite's environment. */
export async function fetchWithEnv(overrides: { readonly [K in keyof Env]?: Env[K] | undefined }, path: string, init: RequestInit = {}): Promise<Answer> {
  const url = path.startsWith("http") ? path : `${HOST}${path}`;
  const response = await worker.fetch(new Request(url, init), { ...(env as unknown as Env), ...overrides } as Env);
  return record(response, `${init.method ?? "GET"} ${url} (own env)`);
}

/**
 * A rate limiter that lets each key through `limit` times and refuses it from then on, with no time window: a
 * test that counts to the limit cannot be undone by a window rolling over mid-test. `keys` lists every key asked.
 */
export function countingLimiter(limit: number): RateLimiter & { readonly keys: string[] } {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    async limit({ key }) {
      keys.push(key);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return { success: count <= limit };
    },
  };
}

export interface BrowserOptions {
  readonly origin?: string | null;
  readonly jwt?: string;
  readonly turnstile?: string;
  /** Distinct per test: the rate limit counts per IP across the whole run. */
  readonly ip?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
}

/** The headers a page on `origin` would send to `POST /v1/actions`. */
export function browserHeaders(options: BrowserOptions = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    ...(options.origin === null ? {} : { origin: options.origin ?? ORIGIN }),
    ...(options.jwt ? { authorization: `Bearer ${options.jwt}` } : {}),
    ...(options.turnstile ? { "x-turnstile-token": options.turnstile } : {}),
    "cf-connecting-ip": options.ip ?? uniqueIp(),
    ...options.headers,
  };
}

/** `POST /v1/actions` as a browser on an allowed origin sends it. */
export function browserSend(body: unknown, options: BrowserOptions = {}): Promise<Answer> {
  return fetchWorker("/v1/actions", {
    method: options.method ?? "POST",
    headers: browserHeaders(options),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** `POST /v1/send/{vendor}` as a trusted server sends it. */
export function callerSend(vendor: string, message: unknown, key: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchWorker(`/v1/send/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify(message),
  });
}

let serial = 0;
/** A fresh IP (and so a fresh rate-limit key) for each call. */
export function uniqueIp(): string {
  serial++;
  return `198.51.${(serial >> 8) & 255}.${serial & 255}`;
}
/** A fresh user id, for the same reason. */
export function uniqueSubject(): string {
  return `user-${crypto.randomUUID()}`;
}

interface SigningKey extends JsonWebKey {
  kid: string;
  alg: "RS256" | "ES256";
}

/**
 * A JWT signed with one of the suite's identity-provider keys (their public halves are the worker's JWT_JWKS).
 * Claims default to a valid, signed-in user.
 */
export async function signJwt(claims: Record<string, unknown> = {}, options: { alg?: "RS256" | "ES256"; kid?: string; header?: Record<string, unknown> } = {}): Promise<string> {
  const alg = options.alg ?? "RS256";
  const keys = JSON.parse((env as unknown as { TEST_JWT_SIGNING_KEYS: string }).TEST_JWT_SIGNING_KEYS) as SigningKey[];
  const jwk = keys.find((key) => key.alg === alg)!;
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: "JWT", kid: options.kid ?? jwk.kid, ...options.header };
  const payload = { iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: uniqueSubject(), email: "ada@example.com", email_verified: true, iat: now, exp: now + 600, ...claims };
  const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const algorithm = alg === "RS256" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", namedCurve: "P-256" };
  const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ...material } = jwk as SigningKey & { use?: string };
  const key = await crypto.subtle.importKey("jwk", material, algorithm, false, ["sign"]);
  const signature = await crypto.subtle.sign(alg === "RS256" ? algorithm : { name: "ECDSA", hash: "SHA-256" }, key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** What the fake siteverify was asked. */
export interface SiteverifyCall {
  readonly secret: string | null;
  readonly response: string | null;
  readonly idempotencyKey: string | null;
  readonly remoteIp: string | null;
}

/**
 * Replaces Cloudflare's siteverify with a fake that behaves like it: tokens `pass-*` succeed once (for host
 * shop.example and the contact form's widget action `contact`), a second use or a token `expired-*` answers
 * `timeout-or-duplicate`, `foreign-*` succeeds for another host, `otherform-*` for another widget action,
 * `nohost-*` without naming a host, `down-*` answers 502, `recovers-*` answers 502 twice and then as `pass-*`,
 * anything else `invalid-input-response`; a wrong secret `invalid-input-secret`. Like siteverify, a repeated
 * `idempotency_key` gets the answer its first call got. Every other fetch goes through. Undo with
 * `vi.restoreAllMocks()`.
 */
export function fakeSiteverify(): SiteverifyCall[] {
  const calls: SiteverifyCall[] = [];
  const used = new Set<string>();
  const answered = new Map<string, unknown>();
  const outages = new Map<string, number>();
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (request.url !== TURNSTILE_VERIFY_URL) return realFetch(request);
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    const call = { secret: form.get("secret"), response: form.get("response"), idempotencyKey: form.get("idempotency_key"), remoteIp: form.get("remoteip") };
    calls.push(call);
    const token = call.response ?? "";
    const verdict = (success: boolean, codes: string[] = [], hostname: string | null = "shop.example", action = "contact") => {
      const body = { success, "error-codes": codes, ...(success ? { ...(hostname === null ? {} : { hostname }), action, challenge_ts: new Date().toISOString() } : {}) };
      if (call.idempotencyKey) answered.set(call.idempotencyKey, body);
      return Response.json(body);
    };
    if (call.secret !== TURNSTILE_SECRET) return verdict(false, ["invalid-input-secret"]);
    if (call.idempotencyKey && answered.has(call.idempotencyKey)) return Response.json(answered.get(call.idempotencyKey));
    if (token.startsWith("down-")) return new Response("Bad Gateway", { status: 502 });
    if (token.startsWith("recovers-")) {
      const failures = outages.get(token) ?? 0;
      outages.set(token, failures + 1);
      if (failures < 2) return new Response("Bad Gateway", { status: 502 });
      used.add(token);
      return verdict(true);
    }
    if (token.startsWith("expired-")) return verdict(false, ["timeout-or-duplicate"]);
    if (used.has(token)) return verdict(false, ["timeout-or-duplicate"]);
    used.add(token);
    if (token.startsWith("pass-")) return verdict(true);
    if (token.startsWith("foreign-")) return verdict(true, [], "attacker.example");
    if (token.startsWith("otherform-")) return verdict(true, [], "shop.example", "newsletter");
    if (token.startsWith("nohost-")) return verdict(true, [], null);
    return verdict(false, ["invalid-input-response"]);
  });
  return calls;
}

/** A Turnstile token the fake siteverify accepts once. */
export function passToken(): string {
  return `pass-${crypto.randomUUID()}`;
}
