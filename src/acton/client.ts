import * as v from "valibot";
import { checkDeadline, credentialCheckOf, type CheckCallOptions, type CredentialCheck } from "../core/credential-check.ts";
import { renewedOnRefusal } from "../core/credential-source.ts";
import { ANY_TEXT, requireCredentials, TxgateConfigError } from "../core/credentials.ts";
import { deliver } from "../core/deliver.ts";
import { createVendorHttpClient } from "../core/http-client.ts";
import { resolveOptions, type CallOptions, type ResolvedOptions } from "../core/options.ts";
import type { Outcome, ValidationFailure } from "../core/outcome.ts";
import { createPacer, type Pacer } from "../core/pacing.ts";
import { Redactor } from "../core/redact.ts";
import { responseBody } from "../core/response.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { SendManyItem, SendManyOptions, SendManyOutcome } from "../core/send-many.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/acton.ts";
import { ACTON_BASE_URL, ACTON_SENDS_PER_SECOND, ACTON_TOKEN_CALLS_PER_SECOND, type ActOnOptions } from "./options.ts";
import { formBody, maskedTokenForm, toEteRequest, tokenForm, withSecrets, type Grant } from "./request.ts";
import { isRefusedToken, mapEteResponse, mapTokenResponse, type EteSuccess, type TokenResponse } from "./response.ts";
import { ActOnMessageSchema, PathSegment, type ActOnMessage } from "./schema.ts";
import { ACTON_PASSWORD_GRANTS_PER_HOUR, actOnTokenKey, createTokenSession, memoryTokenStore } from "./tokens.ts";

/**
 * An Act-On Event-Triggered Email client; see `createActOnClient`.
 *
 * @example
 * const outcome = await acton.send(message, { signal: request.signal, timeoutMs: 10_000 });
 */
export interface ActOnClient {
  /**
   * Sends one Event-Triggered Email (`POST /ete/v1/email/{accountId}/{templateId}`), paced to the account's
   * rate. Never rejects: returns `Sent` or a `Failure`; bad input gets a `validation` outcome, nothing sent.
   */
  send(message: ActOnMessage, call?: CallOptions): Promise<Outcome<EteSuccess>>;
  /**
   * Sends the common `TemplateMessage`, converted to this vendor's message and then sent as `send` sends it (every
   * rule of `send` applies; issues name the common message's fields). A field this vendor cannot carry is a
   * `validation` issue with rule `unsupported_by_vendor`.
   */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<EteSuccess>>;
  /**
   * Checks a message against every rule `send` checks before it is sent, without sending it, asking for a token
   * or taking a pacing slot: the `validation` outcome `send` would return, or `undefined` when `send` would go on
   * to the vendor. For accepting a message now and sending it later (a queue).
   *
   * @example
   * const refused = client.validate(JSON.parse(body));
   * if (refused) return Response.json(refused.issues, { status: 422 });
   */
  validate(message: unknown): ValidationFailure | undefined;
  /**
   * Sends many messages, each exactly as `send` sends it (its own validation, idempotency key, pacing and
   * retries), at most `options.concurrency` at a time (default 8). Resolves to one result per message, in input
   * order; never rejects. `options.signal` stops the messages not yet started: they end `aborted`, `not_sent`,
   * with `started: false`.
   *
   * @example
   * const results = await client.sendMany(orders.map((order) => ({ message: messageFor(order), idempotencyKey: `order-${order.id}` })));
   * const failed = results.filter((result) => !result.outcome.ok);
   */
  sendMany(items: readonly SendManyItem<ActOnMessage>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<EteSuccess>>[]>;
  /**
   * Asks whether Act-On accepts the credentials, sending no email. Act-On documents no read for them, so the
   * check is its token endpoint's word: a held access token that has not expired is `ok` with nothing asked
   * (Act-On issued it for these credentials); without one, a refresh grant, or a password grant only while the
   * hour's logins leave `ACTON_CHECK_KEEPS_LOGINS` (2) of Act-On's 5 for sends: otherwise `skipped`, nothing
   * asked. A token it obtains is stored and used by the next send. `refused` on 401/403; never rejects.
   *
   * @example
   * const check = await acton.checkCredentials({ timeoutMs: 5_000 });
   * if (check.kind === "skipped") console.log(check.message); // the hour's logins are kept for sends
   */
  checkCredentials(call?: CheckCallOptions): Promise<CredentialCheck>;
}

/**
 * How many of the hour's password grants (logins) a credential check always leaves for sends: it logs in only
 * while more than this many remain.
 *
 * @example
 * const spare = ACTON_PASSWORD_GRANTS_PER_HOUR - loginsThisHour - ACTON_CHECK_KEEPS_LOGINS; // > 0: a check may log in
 */
export const ACTON_CHECK_KEEPS_LOGINS = 2;

/** Shared by every client in this isolate, so per-request clients still log in once and share one queue. */
const defaultTokenStore = memoryTokenStore();
const pacersByRate = new Map<number, Pacer>();
const defaultTokenPacer = createPacer({ limit: ACTON_TOKEN_CALLS_PER_SECOND });

// Loaded on the first sendMessage of any client in this isolate, then kept (clients are often made per request).
const loadConverter = /* @__PURE__ */ loadOnce(async () => (await import("./message-converter.ts")).toActOnMessage);

/**
 * Creates an Act-On Event-Triggered Email client. It logs in once, keeps and refreshes the OAuth tokens, and
 * paces sends to 20 per second per account. Throws only when `accountId`, `credentials` or `ratePerSecond` are
 * unusable.
 *
 * @example
 * const acton = createActOnClient({
 *   accountId: "1234567",
 *   credentials: { username: "ops@example.com", password: env.ACTON_PASSWORD, clientId: env.ACTON_CLIENT_ID, clientSecret: env.ACTON_CLIENT_SECRET },
 * });
 * const outcome = await acton.send({
 *   templateId: "t-0099",
 *   envelope: { toAddress: "jane.doe@example.com" },
 *   content: { personalizationDataMap: { orderNumber: "3423423-234234" } },
 *   metadata: { transactional: true, externalId: "3423423-234234" },
 *   actions: { trackOpens: false, trackClicks: false },
 * });
 * if (!outcome.ok) console.error(outcome.kind, outcome.message);
 */
export function createActOnClient(options: ActOnOptions): ActOnClient {
  const { accountId, credentials } = options;
  const baseUrl = options.baseUrl ?? ACTON_BASE_URL;
  const rate = options.ratePerSecond ?? ACTON_SENDS_PER_SECOND;
  if (!v.is(PathSegment, accountId) || !Number.isInteger(rate) || rate < 1) {
    throw new TxgateConfigError("createActOnClient: accountId must be an account ID and ratePerSecond a whole number ≥ 1");
  }
  const { username, password, clientId, clientSecret } = credentials ?? {};
  // Form-encoded, so any text travels; each only has to be there.
  requireCredentials("createActOnClient", {
    "credentials.username": [username, ANY_TEXT],
    "credentials.password": [password, ANY_TEXT],
    "credentials.clientId": [clientId, ANY_TEXT],
    "credentials.clientSecret": [clientSecret, ANY_TEXT],
  });
  // Every secret also travels form-encoded in a token request; an echo of that body would show it that way.
  const redactor = new Redactor().add(...asSent(password!), ...asSent(clientSecret!));

  let pacer = options.pacer ?? pacersByRate.get(rate);
  if (!pacer) pacersByRate.set(rate, (pacer = createPacer({ limit: rate })));
  const tokenPacer = options.tokenPacer ?? defaultTokenPacer;
  const paceKey = `${baseUrl} ${accountId}`;
  const common = { ...options, baseUrl };
  const resolved = resolveOptions("acton", common);
  const tokenKey = actOnTokenKey(baseUrl, { clientId: clientId!, username: username! });
  // Token requests are neither retried (a refresh token works once, logins are rationed) nor logged as sends.
  const once: ResolvedOptions = {
    ...resolved,
    retry: { ...resolved.retry, retries: 0 },
    logger: undefined,
    pace: (signal) => tokenPacer.acquire(tokenKey, signal),
  };

  // A form per grant: its secrets go on in the one authorisation hook, after every middleware.
  const tokenHttp = createVendorHttpClient<paths>(common);
  // No caller's signal: the request may be shared by many sends, each of which can stop waiting on its own.
  const requestToken = (grant: Grant, timeoutMs: number | undefined) =>
    deliver<TokenResponse>(once, redactor, { timeoutMs }, async (signal) => {
      const form = tokenForm(grant, credentials);
      const result = await tokenHttp.authorizedBy(withSecrets(form)).POST("/token", {
        body: maskedTokenForm(form),
        bodySerializer: formBody,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        parseAs: "text",
        signal,
      });
      return mapTokenResponse(result.response.status, responseBody(result), result.response.headers);
    });

  const tokens = createTokenSession({
    store: options.tokenStore ?? defaultTokenStore,
    key: tokenKey,
    maxPasswordGrantsPerHour: options.maxPasswordGrantsPerHour ?? ACTON_PASSWORD_GRANTS_PER_HOUR,
    requestToken,
    onSecret: (...secrets) => redactor.add(...secrets.flatMap(asSent)),
  });

  const transport = createTransport<paths, ActOnMessage, ActOnMessage, EteSuccess>({
    vendor: "acton",
    options: common,
    redactor,
    // A token per send; a refused one gets one refresh and one more try.
    authorization: renewedOnRefusal({
      async next(call) {
        // Had (or renewed) before the send waits for its slot, so the slot is not spent waiting for a login, and
        // read again once the slot is granted (`pace` below): another isolate may have replaced it meanwhile.
        const token = await tokens.accessToken(call);
        if (typeof token !== "string") return token;
        let sent = { token, at: 0 };
        return {
          authorize: (request) => {
            sent = { token: tokens.latest(token), at: Date.now() };
            request.headers.set("Authorization", `Bearer ${sent.token}`);
          },
          refuse: () => tokens.refuse(sent.token, sent.at),
        };
      },
      refusedBy: isRefusedToken,
    }),
    pace: async (signal) => {
      let synced = false;
      const sync = () => ((synced = true), tokens.sync());
      const slot = await pacer.acquire(paceKey, signal, sync);
      // A pacer written before `beforeStart` existed ignores it: the token is read again all the same.
      if (slot && !synced) await sync();
      return slot;
    },
    schema: ActOnMessageSchema,
    buildRequest: (message) => toEteRequest(accountId, message),
    mapResponse: mapEteResponse,
    loadConverter,
  });

  const checkCredentials = async (call?: CheckCallOptions): Promise<CredentialCheck> => {
    const deadline = checkDeadline(common, call);
    return deadline.settle(await checkAccess(deadline.signal, deadline.timeoutMs));
  };
  const checkAccess = async (signal: AbortSignal, timeoutMs: number): Promise<CredentialCheck> => {
    const maxGrants = options.maxPasswordGrantsPerHour ?? ACTON_PASSWORD_GRANTS_PER_HOUR;
    const access = await tokens.checkAccess({ signal, timeoutMs }, ACTON_CHECK_KEEPS_LOGINS);
    if (access === undefined) return { kind: "unreachable", vendor: "acton", requests: 0, message: "POST /token was aborted by the caller" };
    const { requests, failure, obtainedAt, expiresAt } = access;
    if (!failure) {
      const until = expiresAt === undefined ? "" : `, valid until ${new Date(expiresAt).toISOString()}`;
      const message =
        requests > 0
          ? `POST /token answered 200: credentials accepted (the new token is stored for sends${until})`
          : `Act-On issued the access token held for these credentials${obtainedAt === undefined ? "" : ` at ${new Date(obtainedAt).toISOString()}`}${until}: nothing was asked`;
      return { kind: "ok", vendor: "acton", requests, message };
    }
    // Held back by the check's own share of the hour's logins, not by Act-On: nothing was asked.
    if (failure.kind === "rate_limited" && failure.status === undefined && requests === 0) {
      return {
        kind: "skipped",
        vendor: "acton",
        requests: 0,
        ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
        message: `no valid Act-On token is held and a login now would leave fewer than ${ACTON_CHECK_KEEPS_LOGINS} of the hour's ${maxGrants} for sends, so nothing was asked`,
      };
    }
    return credentialCheckOf(failure, "POST /token", requests);
  };

  return { ...transport, checkCredentials };
}

/** A secret as it may appear in an echo: raw, percent-encoded, and form-encoded (a space as `+`). */
function asSent(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice("s=".length)];
}
