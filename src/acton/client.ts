import * as v from "valibot";
import { TxgateConfigError } from "../core/credentials.ts";
import { aborted, deliver, invalid } from "../core/deliver.ts";
import { createVendorHttpClient, withHeader } from "../core/http-client.ts";
import { resolveOptions, type CallOptions, type ResolvedOptions } from "../core/options.ts";
import type { Outcome } from "../core/outcome.ts";
import { createPacer, type Pacer } from "../core/pacing.ts";
import { withIdempotency } from "../core/idempotency.ts";
import { Redactor } from "../core/redact.ts";
import { responseBody } from "../core/response.ts";
import { validateInput } from "../core/validation.ts";
import type { TemplateMessage } from "../core/message.ts";
import { templateMessageSender } from "../core/message-sender.ts";
import type { paths } from "../../generated/acton.ts";
import { ACTON_BASE_URL, type ActOnOptions } from "./options.ts";
import { formBody, maskedTokenForm, toEteRequest, tokenForm, withSecrets, type Grant } from "./request.ts";
import { isRefusedToken, mapEteResponse, mapTokenResponse, type EteSuccess, type TokenResponse } from "./response.ts";
import { ActOnMessageSchema, PathSegment, type ActOnMessage } from "./schema.ts";
import { createTokenSession, memoryTokenStore } from "./tokens.ts";

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
}

/** Shared by every client in this isolate, so per-request clients still log in once and share one queue. */
const defaultTokenStore = memoryTokenStore();
const pacersByRate = new Map<number, Pacer>();
/** Act-On's general API limit, which covers `/token`. */
const TOKEN_CALLS_PER_SECOND = 5;
const defaultTokenPacer = createPacer({ limit: TOKEN_CALLS_PER_SECOND });

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
  const rate = options.ratePerSecond ?? 20;
  if (!v.is(PathSegment, accountId) || !Number.isInteger(rate) || rate < 1) {
    throw new TxgateConfigError("createActOnClient: accountId must be an account ID and ratePerSecond a whole number ≥ 1");
  }
  const { username, password, clientId, clientSecret } = credentials ?? {};
  if (![username, password, clientId, clientSecret].every((field) => typeof field === "string" && field)) {
    throw new TxgateConfigError("createActOnClient: credentials need username, password, clientId and clientSecret");
  }
  // Every secret also travels form-encoded in a token request; an echo of that body would show it that way.
  const redactor = new Redactor().add(...asSent(password), ...asSent(clientSecret));

  let pacer = options.pacer ?? pacersByRate.get(rate);
  if (!pacer) pacersByRate.set(rate, (pacer = createPacer({ limit: rate })));
  const tokenPacer = options.tokenPacer ?? defaultTokenPacer;
  const paceKey = `${baseUrl} ${accountId}`;
  const common = { ...options, baseUrl };
  const resolved = resolveOptions("acton", common);
  const paced: ResolvedOptions = { ...resolved, pace: (signal) => pacer.acquire(paceKey, signal) };
  const tokenKey = `${baseUrl} ${clientId} ${username}`;
  // Token requests are neither retried (a refresh token works once, logins are rationed) nor logged as sends.
  const once: ResolvedOptions = {
    ...resolved,
    retry: { ...resolved.retry, retries: 0 },
    logger: undefined,
    pace: (signal) => tokenPacer.acquire(tokenKey, signal),
  };

  // Credentials differ per request (a token per send, a form per grant), so each request is authorized on its
  // own, after every middleware: hooks never see them.
  const http = createVendorHttpClient<paths>(common, () => {});

  // No caller's signal: the request may be shared by many sends, each of which can stop waiting on its own.
  const requestToken = (grant: Grant, timeoutMs: number | undefined) =>
    deliver<TokenResponse>(once, redactor, { timeoutMs }, async (signal) => {
      const form = tokenForm(grant, credentials);
      const result = await http.authorizedBy(withSecrets(form)).POST("/token", {
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
    maxPasswordGrantsPerHour: options.maxPasswordGrantsPerHour ?? 5,
    requestToken,
    onSecret: (...secrets) => redactor.add(...secrets.flatMap(asSent)),
  });

  const client: Pick<ActOnClient, "send"> = {
    // An idempotency key is checked before anything else, so a replay neither validates nor sends again.
    send: withIdempotency("acton", options.idempotencyLedger, async (message, call) => {
      const parsed = validateInput(ActOnMessageSchema, message);
      if (!parsed.success) return invalid("acton", parsed.issues, redactor);
      const { templateId, body } = toEteRequest(parsed.output);
      const recipients = [body.envelope.toAddress, ...(body.envelope.ccAddressList ?? [])];
      let attempts = 0;
      // A refused token gets one refresh and one more try; a second refusal is the answer.
      for (let pass = 1; ; pass++) {
        const token = await tokens.accessToken(call);
        if (token === undefined) return aborted(resolved, attempts);
        if (typeof token !== "string") return { ...redactor.value(token), attempts };
        const outcome = await deliver<EteSuccess>(paced, redactor, call, async (signal) => {
          const result = await http.authorizedBy(withHeader("Authorization", `Bearer ${token}`)).POST("/ete/v1/email/{accountId}/{templateId}", {
            params: { path: { accountId, templateId } },
            body,
            parseAs: "text",
            signal,
          });
          return mapEteResponse(result.response.status, responseBody(result), result.response.headers, recipients);
        });
        attempts += outcome.attempts;
        if (pass > 1 || !isRefusedToken(outcome)) return { ...outcome, attempts };
        tokens.refuse(token);
      }
    }),
  };
  return { ...client, sendMessage: templateMessageSender("acton", async () => (await import("./message-converter.ts")).toActOnMessage, client.send, redactor) };
}

/** A secret as it may appear in an echo: raw, percent-encoded, and form-encoded (a space as `+`). */
function asSent(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice("s=".length)];
}
