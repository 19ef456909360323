/**
 * Anonymous forms prove a human with Cloudflare Turnstile, verified server-side with siteverify. It fails
 * closed: no secret, an unreachable or unreadable siteverify, or anything but `success: true` is a refusal, and so
 * is a token siteverify does not say was solved on one of our hosts (or, when the action names one, for its form).
 * A token works once: this isolate remembers the tokens it verified, and siteverify itself answers
 * `timeout-or-duplicate` to a token another isolate already spent. A token is spent only by siteverify's
 * answer: when siteverify cannot be reached the refusal is retryable, and the retry of the same token asks
 * siteverify again with the same idempotency key, so it gets the verdict the first ask would have had.
 */
import { LOCAL_TRIAL, Refusal } from "../problem.ts";

/** The token Cloudflare's test sitekeys hand out; accepted only by the local sandbox stand-in. */
export const TURNSTILE_DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
/** Cloudflare's test sitekey that always passes, handing out the dummy token. */
const TURNSTILE_TEST_SITEKEY = "1x00000000000000000000AA";
/** Turnstile's own limit on a response token. */
const MAX_TOKEN_LENGTH = 2048;
/** A token is valid for 300 s; remembering it that long makes every replay a refusal. */
const TOKEN_LIFETIME_MS = 300_000;
const SITEVERIFY_TIMEOUT_MS = 5_000;

export interface TurnstileCheck {
  /** The widget's secret key; without one every token is refused, unless `localStandIn`. */
  readonly secret?: string;
  readonly verifyUrl: string;
  readonly remoteIp?: string;
  /**
   * Host names a token may have been solved on (those of the allowed origins); empty means any. Either way
   * siteverify must name the host: a verdict without one is refused.
   */
  readonly hostnames: ReadonlySet<string>;
  /** The widget `action` the token must have been solved for (the policy's `turnstileAction`); any when not given. */
  readonly action?: string;
  /**
   * Local development without a secret and without network: the worker answers for siteverify, accepting
   * Cloudflare's dummy token only, the way the "always passes" test secret does, as solved on an allowed host
   * for the expected action; its verdict then goes through the same hostname and action checks as a real one.
   * Set only in sandbox mode on a loopback host (see router.ts), so never in a deployment with real
   * vendor credentials.
   */
  readonly localStandIn?: boolean;
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** What this isolate knows of a token it was sent: being verified, verified (spent) or not yet verified. */
interface TokenState {
  state: "verifying" | "spent" | "unanswered";
  readonly idempotencyKey: string;
  readonly expiresAt: number;
}
/** In the order first seen, so the expired ones are at the front. */
const tokens = new Map<string, TokenState>();

/**
 * Verifies the Turnstile token of one request; a refusal unless siteverify says it is fresh, unused and ours.
 *
 * @example
 * await verifyTurnstile(request.headers.get("x-turnstile-token"), { secret: env.TURNSTILE_SECRET, verifyUrl, hostnames });
 */
export async function verifyTurnstile(token: string | null | undefined, check: TurnstileCheck): Promise<void> {
  if (!token) throw new Refusal("unauthenticated", "send the Turnstile token in X-Turnstile-Token");
  if (token.length > MAX_TOKEN_LENGTH) throw new Refusal("unauthenticated", "the Turnstile token is too long");
  if (!check.secret) {
    if (check.localStandIn) {
      if (token === TURNSTILE_DUMMY_TOKEN) return requireOurs(standInVerdict(check), check);
      throw new Refusal("not_configured", `Turnstile has no secret here (TURNSTILE_SECRET), so the local sandbox takes only Cloudflare's dummy token ${TURNSTILE_DUMMY_TOKEN}: render the widget with the test sitekey ${TURNSTILE_TEST_SITEKEY}, or set TURNSTILE_SECRET`);
    }
    throw new Refusal(
      "not_configured",
      `Turnstile is not configured on this worker: set TURNSTILE_SECRET to the widget's secret key (wrangler secret put TURNSTILE_SECRET). ${LOCAL_TRIAL}, and render the widget on localhost with the test sitekey ${TURNSTILE_TEST_SITEKEY}`,
    );
  }
  forgetExpired();
  const known = tokens.get(token);
  if (known?.state === "spent") throw new Refusal("unauthenticated", "the Turnstile token was already used");
  // Two concurrent uses of one token cannot both pass: the second is refused while the first is being verified.
  if (known?.state === "verifying") throw new Refusal("unauthenticated", "the Turnstile token is already being used");
  const entry: TokenState = known ?? { state: "verifying", idempotencyKey: crypto.randomUUID(), expiresAt: Date.now() + TOKEN_LIFETIME_MS };
  entry.state = "verifying";
  tokens.set(token, entry);
  try {
    const form = new URLSearchParams({ secret: check.secret, response: token, idempotency_key: entry.idempotencyKey });
    if (check.remoteIp && check.remoteIp !== "unknown") form.set("remoteip", check.remoteIp);
    // One retry, with the same idempotency key, so a lost answer is not mistaken for a spent token.
    const verdict = (await siteverify(form, check)) ?? (await siteverify(form, check));
    if (!verdict) throw new Refusal("verification_unavailable", "Turnstile could not be verified; try again");
    const codes = Array.isArray(verdict["error-codes"]) ? verdict["error-codes"].map(String) : [];
    if (verdict.success !== true && codes.some((code) => code.includes("secret"))) {
      throw new Refusal("verification_unavailable", "siteverify refused this worker's Turnstile secret");
    }
    // siteverify answered about the token itself: whatever it said, the token is used up.
    entry.state = "spent";
    if (verdict.success !== true) {
      throw new Refusal(
        "unauthenticated",
        codes.includes("timeout-or-duplicate") ? "the Turnstile token has expired or was already used" : "the Turnstile token is not valid",
      );
    }
    requireOurs(verdict, check);
  } finally {
    // No answer (or one about our secret, not the token): the same token may be tried again.
    if (entry.state === "verifying") entry.state = "unanswered";
  }
}

/**
 * Lets a spent `token` be verified again, for a send that reached no one (`delivery: "not_sent"`) and whose
 * answer invites a retry (`retryable`): without this the retry would be refused as a replay. siteverify answers
 * the second ask from the token's idempotency key, and the token still sends at most one email.
 *
 * @example
 * if (!outcome.ok && outcome.retryable && outcome.delivery === "not_sent") releaseTurnstileToken(token);
 */
export function releaseTurnstileToken(token: string): void {
  const entry = tokens.get(token);
  if (entry?.state === "spent") entry.state = "unanswered";
}

interface SiteverifyAnswer {
  success?: unknown;
  hostname?: unknown;
  action?: unknown;
  "error-codes"?: unknown;
}

/** Refuses a successful verdict for a token solved elsewhere: on a host not ours (or none named), or for another form. */
function requireOurs(verdict: SiteverifyAnswer, check: TurnstileCheck): void {
  if (typeof verdict.hostname !== "string" || (check.hostnames.size > 0 && !check.hostnames.has(verdict.hostname))) {
    throw new Refusal("unauthenticated", "the Turnstile token was solved on another site");
  }
  if (check.action !== undefined && verdict.action !== check.action) {
    throw new Refusal("unauthenticated", "the Turnstile token was solved for another form");
  }
}

/**
 * The local stand-in's answer for Cloudflare's dummy token: what siteverify says of a token solved in a widget on
 * the local page (an allowed host) rendered with the action this request expects.
 */
function standInVerdict(check: TurnstileCheck): SiteverifyAnswer {
  const [hostname = "localhost"] = check.hostnames;
  return { success: true, hostname, ...(check.action === undefined ? {} : { action: check.action }) };
}

/** siteverify's verdict, or `undefined` when it could not be had (network, timeout, 5xx, not JSON). */
async function siteverify(form: URLSearchParams, check: TurnstileCheck): Promise<SiteverifyAnswer | undefined> {
  try {
    const response = await (check.fetch ?? fetch)(
      new Request(check.verifyUrl, { method: "POST", body: form, signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS) }),
    );
    if (response.status >= 500) return undefined;
    const answer = (await response.json()) as SiteverifyAnswer;
    return answer && typeof answer === "object" ? answer : undefined;
  } catch {
    // Whatever went wrong, it is not a yes.
    return undefined;
  }
}

function forgetExpired(): void {
  const now = Date.now();
  for (const [token, { expiresAt, state }] of tokens) {
    if (expiresAt > now) break;
    // One being verified is left to its request, which still holds it.
    if (state !== "verifying") tokens.delete(token);
  }
}
