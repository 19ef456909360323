import { checkByRead, type CheckCallOptions, type CredentialCheck } from "../core/credential-check.ts";
import { requireCredentials } from "../core/credentials.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome, ValidationFailure } from "../core/outcome.ts";
import { REDACTED, Redactor } from "../core/redact.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { SendManyItem, SendManyOptions, SendManyOutcome } from "../core/send-many.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/expertsender.ts";
import { API_KEY_SYNTAX, type ExpertSenderOptions } from "./options.ts";
import { apiKeyAuthorizer, apiKeyInQuery, toSystemTransactionalRequest } from "./request.ts";
import { mapExpertSenderResponse, type ExpertSenderSent } from "./response.ts";
import { ExpertSenderMessageSchema, type ExpertSenderMessage, type ValidExpertSenderMessage } from "./schema.ts";

/**
 * An ExpertSender client; see `createExpertSenderClient`.
 *
 * @example
 * const expertsender: ExpertSenderClient = createExpertSenderClient({ baseUrl: "https://api.esv2.com", apiKey });
 * await expertsender.send({ transactionalId: 123, Receiver: { Email: "jane@example.com" } });
 */
export interface ExpertSenderClient {
  /**
   * Sends a system transactional message to one subscriber through `POST /v2/Api/SystemTransactionals/{id}`.
   * Never rejects: returns `Sent` (201) or a `Failure`. Bad input gets a `validation` outcome and nothing is sent.
   */
  send(message: ExpertSenderMessage, call?: CallOptions): Promise<Outcome<ExpertSenderSent>>;
  /**
   * Sends the common `TemplateMessage`, converted to this vendor's message and then sent as `send` sends it (every
   * rule of `send` applies; issues name the common message's fields). A field this vendor cannot carry is a
   * `validation` issue with rule `unsupported_by_vendor`.
   */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<ExpertSenderSent>>;
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
  sendMany(items: readonly SendManyItem<ExpertSenderMessage>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<ExpertSenderSent>>[]>;
  /**
   * Asks ExpertSender whether it accepts the API key, sending nothing: `GET /v2/Api/Time?apiKey=…` (the server's
   * time, which changes nothing). `ok` on 200, `refused` on 403. The key is put in the URL last, after every
   * middleware, and never shown. One request, never retried; never rejects.
   *
   * @example
   * const check = await expertsender.checkCredentials({ timeoutMs: 5_000 });
   * if (check.kind === "refused") console.error("ExpertSender refused the API key");
   */
  checkCredentials(call?: CheckCallOptions): Promise<CredentialCheck>;
}

// Loaded on the first sendMessage of any client in this isolate, then kept (clients are often made per request).
const loadConverter = /* @__PURE__ */ loadOnce(async () => (await import("./message-converter.ts")).toExpertSenderMessage);
const loadBodySerializer = /* @__PURE__ */ loadOnce(async () => (await import("./api-request-xml.ts")).apiRequestXml);

/**
 * Creates an ExpertSender API v2 client. Throws a `TxgateConfigError` (a `TypeError`, without quoting the key) when `baseUrl` is
 * missing or `apiKey` is empty, holds whitespace or holds characters XML cannot carry.
 *
 * @example
 * const expertsender = createExpertSenderClient({ baseUrl: "https://api.esv2.com", apiKey: env.EXPERTSENDER_API_KEY });
 * const outcome = await expertsender.send({
 *   transactionalId: 123,
 *   Receiver: { Email: "patrick@example.com" },
 *   Snippets: [{ Name: "helloMessage", Value: "<b>Hello Patrick!</b>" }],
 * });
 * if (!outcome.ok) console.error(outcome.kind, outcome.message);
 */
export function createExpertSenderClient(options: ExpertSenderOptions): ExpertSenderClient {
  // baseUrl has no default (it differs per account, e.g. https://api.esv2.com).
  requireCredentials("createExpertSenderClient", { baseUrl: [options.baseUrl, /./], apiKey: [options.apiKey, API_KEY_SYNTAX] });
  const { escapedKey, authorize } = apiKeyAuthorizer(options.apiKey);
  // The key travels in the body, so a vendor or proxy echoing the body could quote it in either form; a check's
  // GET carries it in the URL, which an error may quote.
  const redactor = new Redactor().add(options.apiKey, escapedKey, encodeURIComponent(options.apiKey), new URLSearchParams({ k: options.apiKey }).toString().slice(2));
  const transport = createTransport<paths, ExpertSenderMessage, ValidExpertSenderMessage, ExpertSenderSent>({
    vendor: "expertsender",
    options,
    redactor,
    authorization: authorize,
    schema: ExpertSenderMessageSchema,
    buildRequest: toSystemTransactionalRequest,
    attachmentsPath: "Attachments",
    loadBodySerializer,
    mapResponse: mapExpertSenderResponse,
    loadConverter,
  });
  return {
    ...transport,
    checkCredentials: (call) =>
      checkByRead<paths>(
        {
          vendor: "expertsender",
          options,
          redactor,
          authorize: apiKeyInQuery(options.apiKey),
          path: "/v2/Api/Time",
          // The spec's required parameter, as middleware sees it; the key itself goes on in `authorize`.
          query: { apiKey: REDACTED },
          mapResponse: (status, body, headers) => (status === 200 ? { ok: true, status, data: undefined } : mapExpertSenderResponse(status, body, headers)),
        },
        call,
      ),
  };
}
