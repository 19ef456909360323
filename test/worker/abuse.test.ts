/**
 * The abuse suite: requests an attacker (or a careless caller) would send, each of which must be refused with
 * a problem+json answer of the expected kind, and none of which may reach a vendor (the sandbox outbox stays
 * empty). The count of cases tried and refused is printed at the end.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER, ORIGIN } from "./support/bindings.ts";
import {
  base64url,
  browserHeaders,
  browserSend,
  callerSend,
  countingLimiter,
  fakeSiteverify,
  fetchWithEnv,
  fetchWorker,
  LOCAL,
  passToken,
  signJwt,
  uniqueIp,
  uniqueSubject,
  type Answer,
} from "./support/harness.ts";

interface AbuseCase {
  readonly name: string;
  readonly status: number;
  readonly kind: string;
  readonly send: () => Promise<Answer>;
}

const orderShipped = { action: "order-shipped", variables: { orderNumber: "A-1234" } };
const contactForm = { action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hi" } };
const withJwt = async (body: unknown, claims: Record<string, unknown> = {}) => browserSend(body, { jwt: await signJwt(claims) });
const listmonkMessage = { template_id: 2, subscriber_emails: ["ada@example.com"] };

/** A JWT with `header` and `claims`, signed correctly, then altered by `tamper`. */
async function alteredJwt(tamper: (parts: string[]) => string[]): Promise<string> {
  return tamper((await signJwt()).split(".")).join(".");
}
const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** A body stream that sends `text` and then breaks, as a client that goes away mid-request. */
function cutShort(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.error(new TypeError("the client went away"));
    },
  });
}
/** A request through the worker's `fetch` with a limiter that counts without a time window (see countingLimiter). */
const withLimiter = (limit: number, body: unknown, options: Parameters<typeof browserHeaders>[0] = {}) =>
  fetchWithEnv({ BROWSER_RATE_LIMIT: countingLimiter(limit) }, "/v1/actions", { method: "POST", headers: browserHeaders(options), body: JSON.stringify(body) });
/** A request to the local outbox carrying `headers`, as a DNS-rebinding page (or a client pretending) would. */
const outboxWith = (headers: HeadersInit) => fetchWorker(`${LOCAL}/sandbox/messages`, { headers });

const cases: AbuseCase[] = [
  // Origins and CORS.
  { name: "foreign origin", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: "https://evil.example" }) },
  { name: "no Origin header", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: null }) },
  { name: "origin that only starts like an allowed one", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: "https://shop.example.evil.com" }) },
  { name: "allowed host over http", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: "http://shop.example" }) },
  { name: "allowed host on another port", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: "https://shop.example:8443" }) },
  { name: "opaque origin (null)", status: 403, kind: "forbidden_origin", send: () => browserSend(orderShipped, { origin: "null" }) },
  {
    name: "preflight from a foreign origin",
    status: 403,
    kind: "forbidden_origin",
    send: () => fetchWorker("/v1/actions", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } }),
  },
  {
    name: "preflight for PUT",
    status: 405,
    kind: "method_not_allowed",
    send: () => fetchWorker("/v1/actions", { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "PUT" } }),
  },
  {
    name: "preflight asking for an extra header",
    status: 403,
    kind: "forbidden_origin",
    send: () =>
      fetchWorker("/v1/actions", { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-vendor" } }),
  },

  // Browser authentication: JWT.
  { name: "signed-in action without a token", status: 401, kind: "unauthenticated", send: () => browserSend(orderShipped) },
  { name: "JWT with a forged signature", status: 401, kind: "unauthenticated", send: async () => browserSend(orderShipped, { jwt: await alteredJwt(([h, p, s]) => [h!, json({ ...JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/"))), email: "victim@example.com" }), s!]) }) },
  { name: "JWT with alg none", status: 401, kind: "unauthenticated", send: async () => browserSend(orderShipped, { jwt: await alteredJwt(([, p]) => [json({ alg: "none", typ: "JWT" }), p!, ""]) }) },
  { name: "JWT with alg HS256", status: 401, kind: "unauthenticated", send: async () => browserSend(orderShipped, { jwt: await alteredJwt(([, p, s]) => [json({ alg: "HS256", typ: "JWT", kid: "rsa-1" }), p!, s!]) }) },
  { name: "expired JWT", status: 401, kind: "unauthenticated", send: () => withJwt(orderShipped, { exp: Math.floor(Date.now() / 1000) - 120 }) },
  { name: "JWT from another issuer", status: 401, kind: "unauthenticated", send: () => withJwt(orderShipped, { iss: "https://evil.example/" }) },
  { name: "JWT for another audience", status: 401, kind: "unauthenticated", send: () => withJwt(orderShipped, { aud: "another-app" }) },
  { name: "JWT not valid yet", status: 401, kind: "unauthenticated", send: () => withJwt(orderShipped, { nbf: Math.floor(Date.now() / 1000) + 3600 }) },
  { name: "JWT signed by an unknown key", status: 401, kind: "unauthenticated", send: async () => browserSend(orderShipped, { jwt: await signJwt({}, { kid: "stolen-key" }) }) },
  { name: "JWT without exp", status: 401, kind: "unauthenticated", send: () => withJwt(orderShipped, { exp: undefined }) },
  { name: "caller key used as a browser token", status: 401, kind: "unauthenticated", send: () => browserSend(orderShipped, { jwt: CALLER_KEY_BILLING }) },
  {
    name: "two Authorization headers, each a valid JWT",
    status: 401,
    kind: "unauthenticated",
    send: async () => fetchWorker("/v1/actions", { method: "POST", headers: [...Object.entries(browserHeaders()), ["authorization", `Bearer ${await signJwt()}`], ["authorization", `Bearer ${await signJwt()}`]], body: JSON.stringify(orderShipped) }),
  },
  {
    name: "a valid JWT after the IP's failed sign-ins went over the limit",
    status: 429,
    kind: "rate_limited",
    send: async () => {
      const limiter = countingLimiter(3);
      const ip = uniqueIp();
      const send = (jwt: string) => fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ ip, jwt }), body: JSON.stringify(orderShipped) });
      const forged = await alteredJwt(([h, p]) => [h!, p!, "AAAA"]);
      for (let n = 0; n < 4; n++) expect((await send(forged)).status).toBe(401);
      return send(await signJwt());
    },
  },

  // Browser authentication: Turnstile.
  { name: "anonymous form without a Turnstile token", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm) },
  { name: "invalid Turnstile token", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: "made-up-token" }) },
  { name: "expired Turnstile token", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: `expired-${crypto.randomUUID()}` }) },
  {
    name: "replayed Turnstile token",
    status: 401,
    kind: "unauthenticated",
    send: async () => {
      const token = passToken();
      const first = await browserSend(contactForm, { turnstile: token });
      expect(first.status).toBe(200);
      await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
      return browserSend(contactForm, { turnstile: token });
    },
  },
  { name: "Turnstile token solved on another site", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: `foreign-${crypto.randomUUID()}` }) },
  { name: "Turnstile verdict that names no host", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: `nohost-${crypto.randomUUID()}` }) },
  { name: "Turnstile token solved on another form (widget action)", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: `otherform-${crypto.randomUUID()}` }) },
  { name: "Turnstile unreachable (fails closed)", status: 503, kind: "verification_unavailable", send: () => browserSend(contactForm, { turnstile: `down-${crypto.randomUUID()}` }) },
  { name: "Cloudflare's dummy token on a deployed worker", status: 401, kind: "unauthenticated", send: () => browserSend(contactForm, { turnstile: "XXXX.DUMMY.TOKEN.XXXX" }) },
  {
    name: "two X-Turnstile-Token headers, each a valid token",
    status: 401,
    kind: "unauthenticated",
    send: () => fetchWorker("/v1/actions", { method: "POST", headers: [...Object.entries(browserHeaders()), ["x-turnstile-token", passToken()], ["x-turnstile-token", passToken()]], body: JSON.stringify(contactForm) }),
  },

  // Recipients.
  { name: "self-only action to someone else", status: 403, kind: "forbidden_recipient", send: () => withJwt({ ...orderShipped, recipient: "victim@example.com" }) },
  { name: "self-only action with an unverified email", status: 403, kind: "forbidden_recipient", send: () => withJwt(orderShipped, { email_verified: false }) },
  { name: "self-only action with no email_verified claim", status: 403, kind: "forbidden_recipient", send: () => withJwt(orderShipped, { email_verified: undefined }) },
  { name: 'self-only action with email_verified "False"', status: 403, kind: "forbidden_recipient", send: () => withJwt(orderShipped, { email_verified: "False" }) },
  { name: "self-only action with email_verified 0", status: 403, kind: "forbidden_recipient", send: () => withJwt(orderShipped, { email_verified: 0 }) },
  { name: "self-only action with no email claim", status: 403, kind: "forbidden_recipient", send: () => withJwt(orderShipped, { email: undefined }) },
  { name: "allow-listed action to an address off the list", status: 403, kind: "forbidden_recipient", send: () => browserSend({ ...contactForm, recipient: "victim@example.com" }, { turnstile: passToken() }) },
  { name: "allow-listed action to two addresses", status: 422, kind: "validation", send: () => browserSend({ ...contactForm, recipient: ["support@example.com", "victim@example.com"] }, { turnstile: passToken() }) },

  // Actions and their fields.
  { name: "unknown action", status: 400, kind: "unknown_action", send: () => withJwt({ action: "send-anything", variables: {} }) },
  { name: "action named like an object property", status: 400, kind: "unknown_action", send: () => withJwt({ action: "__proto__", variables: {} }) },
  { name: "action named like an inherited method", status: 400, kind: "unknown_action", send: () => withJwt({ action: "toString", variables: {} }) },
  ...["from", "cc", "bcc", "headers", "html", "template", "vendor", "attachments", "subject"].map(
    (field): AbuseCase => ({ name: `extra field ${field}`, status: 422, kind: "validation", send: () => withJwt({ ...orderShipped, [field]: field === "cc" ? ["x@evil.example"] : "x" }) }),
  ),
  { name: "extra variable", status: 422, kind: "validation", send: () => withJwt({ action: "order-shipped", variables: { orderNumber: "A-1", subject: "Free money" } }) },
  { name: "attachment by URL as a variable", status: 422, kind: "validation", send: () => withJwt({ action: "order-shipped", variables: { orderNumber: "A-1", attachment: { path: "https://evil.example/x.exe" } } }) },
  { name: "variable of the wrong type", status: 422, kind: "validation", send: () => withJwt({ action: "order-shipped", variables: { orderNumber: 1234 } }) },
  { name: "raw HTML in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "order-shipped", variables: { orderNumber: "A-1", carrier: "<a href='https://evil.example'>track</a>" } }) },
  { name: "script in a multi-line variable", status: 422, kind: "validation", send: () => browserSend({ ...contactForm, variables: { ...contactForm.variables, message: "hi\n<script>alert(1)</script>" } }, { turnstile: passToken() }) },
  { name: "HTML comment in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "<!-- x -->Pat" } }) },
  { name: "CRLF in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat\r\nBcc: victim@example.com" } }) },
  { name: "LF alone in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat\nBcc: victim@example.com" } }) },
  { name: "CRLF in a one-line variable of a form", status: 422, kind: "validation", send: () => browserSend({ ...contactForm, variables: { ...contactForm.variables, name: "Joe\r\nBcc: x@evil.example" } }, { turnstile: passToken() }) },
  { name: "CRLF in the recipient", status: 403, kind: "forbidden_recipient", send: () => browserSend({ ...contactForm, recipient: "support@example.com\r\nBcc: x@evil.example" }, { turnstile: passToken() }) },
  { name: "header value over 998 characters", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "P".repeat(1200) } }) },
  { name: "NUL in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat\u0000" } }) },
  { name: "C1 control (NEL) in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat\u0085Bcc: victim@example.com" } }) },
  { name: "Unicode line separator in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat\u2028Bcc: victim@example.com" } }) },
  { name: "right-to-left override in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "Pat \u202egnp.exe" } }) },
  { name: "bidi isolate in a multi-line variable", status: 422, kind: "validation", send: () => browserSend({ ...contactForm, variables: { ...contactForm.variables, message: "Hi\n\u2067x\u2069" } }, { turnstile: passToken() }) },
  { name: "variables nested 7,000 levels deep (14 KB)", status: 422, kind: "validation", send: () => withJwt(`{"action":"welcome","variables":{"firstName":${"[".repeat(7000)}${"]".repeat(7000)}}}`) },
  { name: "variables that are an array nested 7,000 levels deep", status: 422, kind: "validation", send: () => withJwt(`{"action":"welcome","variables":${"[".repeat(7000)}${"]".repeat(7000)}}`) },
  { name: "variables that are a string", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: "Pat" }) },
  ...(
    [
      ["zero-width space", "Pat\u200bBcc"],
      ["zero-width joiner", "Pat\u200d"],
      ["left-to-right mark", "\u200ePat"],
      ["right-to-left mark", "Pat\u200f"],
      ["Arabic letter mark", "Pat\u061c"],
      ["word joiner", "Pat\u2060"],
      ["byte-order mark", "\ufeffPat"],
      ["Mongolian vowel separator", "Pat\u180e"],
      ["soft hyphen", "Pa\u00adt"],
    ] as const
  ).map(([what, firstName]): AbuseCase => ({ name: `${what} in a one-line variable`, status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName } }) })),
  { name: "lone surrogate in a one-line variable", status: 422, kind: "validation", send: () => withJwt('{"action":"welcome","variables":{"firstName":"Pat\\ud800"}}') },
  { name: "lone surrogate in a multi-line variable", status: 422, kind: "validation", send: () => browserSend(`{"action":"contact-form","recipient":"support@example.com","variables":{"name":"Joe","replyTo":"joe@example.com","message":"Hi \\udc00"}}`, { turnstile: passToken() }) },
  { name: "ExpertSender personalization tag in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "welcome", variables: { firstName: "*[subscriber_email]*" } }) },
  { name: "Act-On personalization tag in a variable", status: 422, kind: "validation", send: () => withJwt({ action: "password-changed", variables: { name: "{{Account Email}}", changedAt: "2026-11-30T12:00:00Z" } }) },
  { name: "Everlytic merge tag in a form's variable", status: 422, kind: "validation", send: () => browserSend({ ...contactForm, variables: { ...contactForm.variables, message: "Hi {{contact_email}}" } }, { turnstile: passToken() }) },

  // Bodies.
  { name: "oversized body (Content-Length)", status: 413, kind: "payload_too_large", send: async () => withJwt({ action: "welcome", variables: { firstName: "x".repeat(20_000) } }) },
  {
    name: "oversized body (streamed, no Content-Length)",
    status: 413,
    kind: "payload_too_large",
    send: async () => {
      const chunk = new TextEncoder().encode(`{"action":"welcome","variables":{"firstName":"${"x".repeat(10_000)}`);
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(chunk);
          controller.enqueue(chunk);
          controller.close();
        },
      });
      return fetchWorker("/v1/actions", { method: "POST", headers: browserHeaders({ jwt: await signJwt() }), body, duplex: "half" } as RequestInit);
    },
  },
  { name: "body as text/plain (no preflight)", status: 415, kind: "unsupported_media_type", send: async () => browserSend(orderShipped, { jwt: await signJwt(), headers: { "content-type": "text/plain" } }) },
  { name: "body as a form", status: 415, kind: "unsupported_media_type", send: () => browserSend("action=order-shipped", { headers: { "content-type": "application/x-www-form-urlencoded" } }) },
  { name: "body that is not JSON", status: 422, kind: "validation", send: () => browserSend("{action: order-shipped") },
  { name: "body declared as Latin-1", status: 415, kind: "unsupported_media_type", send: async () => browserSend(orderShipped, { jwt: await signJwt(), headers: { "content-type": "application/json; charset=iso-8859-1" } }) },
  { name: "body declared as UTF-16", status: 415, kind: "unsupported_media_type", send: async () => browserSend(orderShipped, { jwt: await signJwt(), headers: { "content-type": 'application/json; charset="UTF-16"' } }) },
  {
    name: "body the browser cuts short",
    status: 422,
    kind: "validation",
    send: async () => fetchWithEnv({}, "/v1/actions", { method: "POST", headers: browserHeaders({ jwt: await signJwt() }), body: cutShort('{"action":"order-shipped","variables":{"orderNu'), duplex: "half" } as RequestInit),
  },
  { name: "body that is a JSON array", status: 422, kind: "validation", send: () => browserSend([orderShipped]) },

  // Methods and routes.
  { name: "GET on the browser route", status: 405, kind: "method_not_allowed", send: () => fetchWorker("/v1/actions", { headers: { origin: ORIGIN } }) },
  { name: "PUT on the browser route", status: 405, kind: "method_not_allowed", send: () => browserSend(orderShipped, { method: "PUT" }) },
  { name: "GET on a send route", status: 405, kind: "method_not_allowed", send: () => fetchWorker("/v1/send/listmonk", { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } }) },
  { name: "unknown route", status: 404, kind: "not_found", send: () => fetchWorker("/v1/relay", { method: "POST" }) },

  // Rate limits.
  {
    name: "too many requests from one signed-in user",
    status: 429,
    kind: "rate_limited",
    // The limiter counts without a window (the binding's one-minute window could roll over mid-test).
    send: async () => {
      const sub = uniqueSubject();
      const limiter = countingLimiter(20);
      const send = async (variables: unknown) =>
        fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ jwt: await signJwt({ sub }) }), body: JSON.stringify({ action: "welcome", variables }) });
      // Refused sends count too: the limit is on requests, so the variables here are invalid on purpose.
      for (let n = 0; n < 20; n++) expect((await send({})).status).toBe(422);
      return send({ firstName: "Pat" });
    },
  },
  {
    name: "too many anonymous requests from one IP",
    status: 429,
    kind: "rate_limited",
    send: async () => {
      const ip = uniqueIp();
      const limiter = countingLimiter(20);
      const send = (turnstile: string) => fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ ip, turnstile }), body: JSON.stringify(contactForm) });
      for (let n = 0; n < 20; n++) expect((await send("made-up-token")).status).toBe(401);
      return send(passToken());
    },
  },
  {
    name: "too many anonymous requests from one IPv6 /64, each from another address in it",
    status: 429,
    kind: "rate_limited",
    send: async () => {
      const prefix = "2001:db8:a0b:c0d";
      const limiter = countingLimiter(20);
      const send = (ip: string, turnstile: string) => fetchWithEnv({ BROWSER_RATE_LIMIT: limiter }, "/v1/actions", { method: "POST", headers: browserHeaders({ ip, turnstile }), body: JSON.stringify(contactForm) });
      for (let n = 0; n < 20; n++) expect((await send(`${prefix}:${n.toString(16)}::${n + 1}`, "made-up-token")).status).toBe(401);
      return send(`${prefix.toUpperCase()}:FFFF:FFFF:FFFF:FFFF`, passToken());
    },
  },
  {
    name: "too many requests from one caller key",
    status: 429,
    kind: "rate_limited",
    send: () =>
      fetchWithEnv({ CALLER_RATE_LIMIT: { limit: async () => ({ success: false }) } as never }, "/v1/send/listmonk", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
        body: JSON.stringify(listmonkMessage),
      }),
  },

  // Trusted callers.
  { name: "send route without a caller key", status: 401, kind: "unauthenticated", send: () => callerSend("listmonk", listmonkMessage, undefined) },
  { name: "send route with a wrong caller key", status: 401, kind: "unauthenticated", send: () => callerSend("listmonk", listmonkMessage, `${CALLER_KEY_BILLING.slice(0, -1)}0`) },
  { name: "send route with the key as Basic credentials", status: 401, kind: "unauthenticated", send: () => callerSend("listmonk", listmonkMessage, undefined, { authorization: `Basic ${btoa(`billing:${CALLER_KEY_BILLING}`)}` }) },
  { name: "send route with a user's JWT", status: 401, kind: "unauthenticated", send: async () => callerSend("listmonk", listmonkMessage, await signJwt()) },
  {
    name: "send route with the caller key sent twice",
    status: 401,
    kind: "unauthenticated",
    send: () => fetchWorker("/v1/send/listmonk", { method: "POST", headers: [["content-type", "application/json"], ["authorization", `Bearer ${CALLER_KEY_BILLING}`], ["authorization", `Bearer ${CALLER_KEY_BILLING}`]], body: JSON.stringify(listmonkMessage) }),
  },
  { name: "send route with the local sandbox key on a deployed host", status: 401, kind: "unauthenticated", send: () => callerSend("listmonk", listmonkMessage, "txgate-local-sandbox") },
  {
    name: "send route with the local sandbox key on localhost in live mode",
    status: 401,
    kind: "unauthenticated",
    send: () =>
      fetchWithEnv({ EVERLYTIC_USERNAME: "shop", EVERLYTIC_API_KEY: "ev_live_key_7c3a9e5b1d2f" }, `${LOCAL}/v1/send/listmonk`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" },
        body: JSON.stringify(listmonkMessage),
      }),
  },
  { name: "trusted data nested 10,000 levels deep", status: 422, kind: "validation", send: () => fetchWorker("/v1/send/listmonk", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` }, body: `{"template_id":2,"subscriber_emails":["ada@example.com"],"data":{"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}}` }) },
  {
    name: "trusted body the caller cuts short",
    status: 422,
    kind: "validation",
    send: () =>
      fetchWithEnv({}, "/v1/send/listmonk", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` }, body: cutShort('{"template_id":2,"subscriber_em'), duplex: "half" } as RequestInit),
  },
  { name: "trusted body declared as Latin-1", status: 415, kind: "unsupported_media_type", send: () => callerSend("listmonk", listmonkMessage, CALLER_KEY_BILLING, { "content-type": "application/json;charset=ISO-8859-1" }) },
  {
    name: "a worker with no vendor credentials that was not told SANDBOX=true (trusted route)",
    status: 503,
    kind: "not_configured",
    send: () => fetchWithEnv({ SANDBOX: undefined }, "/v1/send/listmonk", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` }, body: JSON.stringify(listmonkMessage) }),
  },
  {
    name: "a worker with no vendor credentials that was not told SANDBOX=true (browser route)",
    status: 503,
    kind: "not_configured",
    send: async () => fetchWithEnv({ SANDBOX: undefined }, "/v1/actions", { method: "POST", headers: browserHeaders({ jwt: await signJwt() }), body: JSON.stringify(orderShipped) }),
  },
  { name: "send route called from a page (caller key in a browser)", status: 403, kind: "forbidden_origin", send: () => callerSend("listmonk", listmonkMessage, CALLER_KEY_BILLING, { origin: ORIGIN }) },
  { name: "caller key used for a vendor it may not use", status: 403, kind: "forbidden_vendor", send: () => callerSend("everlytic", { headers: { to: [{ email: "a@example.com" }] }, options: { template_id: "t" } }, CALLER_KEY_NEWSLETTER) },
  { name: "unknown vendor", status: 404, kind: "not_found", send: () => callerSend("sendgrid", listmonkMessage, CALLER_KEY_BILLING) },
  { name: "CRLF in a header field from a trusted caller", status: 422, kind: "validation", send: () => callerSend("listmonk", { ...listmonkMessage, subject: "Hi\r\nBcc: victim@example.com" }, CALLER_KEY_BILLING) },
  { name: "invalid base64 attachment", status: 422, kind: "validation", send: () => callerSend("listmonk", { ...listmonkMessage, attachments: [{ filename: "a.txt", contentBase64: "not base64!" }] }, CALLER_KEY_BILLING) },
  {
    name: "oversized body from a trusted caller",
    status: 413,
    kind: "payload_too_large",
    send: () =>
      fetchWithEnv({ CALLER_MAX_BODY_BYTES: "1000" }, "/v1/send/listmonk", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
        body: JSON.stringify({ ...listmonkMessage, data: { padding: "x".repeat(2000) } }),
      }),
  },

  // The sandbox and its local-development shortcuts, where they must not exist.
  { name: "outbox page on a deployed host", status: 404, kind: "not_found", send: () => fetchWorker("/sandbox") },
  { name: "sandbox vendor API on a deployed host", status: 404, kind: "not_found", send: () => fetchWorker("/sandbox/listmonk/api/tx", { method: "POST" }) },
  { name: "outbox on localhost with a foreign Host (DNS rebinding)", status: 404, kind: "not_found", send: () => outboxWith({ host: "rebind.evil.example:8787" }) },
  { name: "outbox on localhost asked with MF-Original-URL", status: 404, kind: "not_found", send: () => outboxWith({ "mf-original-url": "http://localhost:8787/sandbox/messages" }) },
  { name: "outbox read by a page on a foreign origin (Origin)", status: 404, kind: "not_found", send: () => outboxWith({ origin: "http://rebind.evil.example:8787", "sec-fetch-site": "same-origin" }) },
  { name: "outbox read by a page on a foreign origin (Referer)", status: 404, kind: "not_found", send: () => outboxWith({ referer: "http://rebind.evil.example:8787/", "sec-fetch-site": "same-origin" }) },
  { name: "outbox read by a page that hides its origin", status: 404, kind: "not_found", send: () => outboxWith({ "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" }) },
  { name: "demo page opened by a page on a foreign origin", status: 404, kind: "not_found", send: () => fetchWorker(`${LOCAL}/demo`, { headers: { referer: "http://rebind.evil.example:8787/", "sec-fetch-site": "same-origin" } }) },
  {
    name: "dummy Turnstile token on localhost from a page on a foreign origin",
    status: 503,
    kind: "not_configured",
    send: () =>
      fetchWithEnv({ TURNSTILE_SECRET: undefined, ALLOWED_ORIGINS: "http://localhost:8787, http://rebind.evil.example:8787" }, `${LOCAL}/v1/actions`, {
        method: "POST",
        headers: browserHeaders({ origin: "http://rebind.evil.example:8787", turnstile: "XXXX.DUMMY.TOKEN.XXXX", headers: { "sec-fetch-site": "same-origin" } }),
        body: JSON.stringify(contactForm),
      }),
  },
  { name: "outbox page on localhost in live mode", status: 404, kind: "not_found", send: () => fetchWithEnv({ LISTMONK_URL: "https://lists.shop.example", LISTMONK_USERNAME: "txgate", LISTMONK_TOKEN: "lm_live_token_4b8e2c6a9d1f" }, `${LOCAL}/sandbox`) },
  {
    name: "dummy Turnstile token without a secret on a deployed host",
    status: 503,
    kind: "not_configured",
    send: () => fetchWithEnv({ TURNSTILE_SECRET: undefined }, "/v1/actions", { method: "POST", headers: browserHeaders({ turnstile: "XXXX.DUMMY.TOKEN.XXXX" }), body: JSON.stringify(contactForm) }),
  },
  {
    name: "dummy Turnstile token without a secret on localhost in live mode",
    status: 503,
    kind: "not_configured",
    send: () =>
      fetchWithEnv(
        { TURNSTILE_SECRET: undefined, EVERLYTIC_USERNAME: "shop", EVERLYTIC_API_KEY: "ev_live_key_7c3a9e5b1d2f" },
        `${LOCAL}/v1/actions`,
        { method: "POST", headers: browserHeaders({ turnstile: "XXXX.DUMMY.TOKEN.XXXX" }), body: JSON.stringify(contactForm) },
      ),
  },
];

let tried = 0;
let refused = 0;

beforeEach(async () => {
  fakeSiteverify();
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  console.info(`abuse suite: ${tried} cases tried, ${refused} refused`);
  expect(refused).toBe(cases.length);
});

describe("every abuse case is refused before any vendor is called", () => {
  it.each(cases)("$name", async ({ send, status, kind }) => {
    tried++;
    const answer = await send();
    expect({ status: answer.status, kind: answer.body?.kind }).toEqual({ status, kind });
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body).toMatchObject({ type: `urn:txgate:problem:${kind}`, status, retryable: expect.any(Boolean), delivery: "not_sent" });
    const outbox = (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages;
    expect(outbox).toEqual([]);
    refused++;
  });
});
