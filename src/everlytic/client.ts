import { checkByRead, type CheckCallOptions, type CredentialCheck } from "../core/credential-check.ts";
import { basicAuthorization, HEADER_TEXT, requireCredentials } from "../core/credentials.ts";
import { withHeader } from "../core/http-client.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome, ValidationFailure } from "../core/outcome.ts";
import { Redactor } from "../core/redact.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { SendManyItem, SendManyOptions, SendManyOutcome } from "../core/send-many.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/everlytic.ts";
import { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.ts";
import { toMailRequest } from "./request.ts";
import { mapEverlyticResponse, type SendMailSuccess } from "./response.ts";
import { EverlyticMessageSchema, type EverlyticMessage } from "./schema.ts";
import { EVERLYTIC_MESSAGE_ID_HEADER } from "./events.ts";

/**
 * An Everlytic client; see `createEverlyticClient`.
 *
 * @example
 * const everlytic: EverlyticClient = createEverlyticClient({ username: "api_user", apiKey });
 * await everlytic.sendMessage({ template: "order-shipped", to: "jane@example.com", from: "shop@example.com" });
 */
export interface EverlyticClient {
  /**
   * Sends one transactional email through `POST /transactional/email/v1/mail`. Never rejects: returns `Sent`
   * (with one transaction id per recipient) or a `Failure`. Bad input gets a `validation` outcome and nothing is sent.
   */
  send(message: EverlyticMessage, call?: CallOptions): Promise<Outcome<SendMailSuccess>>;
  /**
   * Sends the common `TemplateMessage`, converted to this vendor's message and then sent as `send` sends it (every
   * rule of `send` applies; issues name the common message's fields). A field this vendor cannot carry is a
   * `validation` issue with rule `unsupported_by_vendor`.
   */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<SendMailSuccess>>;
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
   * Everlytic answers one call to many recipients with a result per recipient, but each message here is its own
   * call: messages are never merged, since their recipients would see each other and share one outcome and one
   * idempotency key.
   *
   * @example
   * const results = await client.sendMany(orders.map((order) => ({ message: messageFor(order), idempotencyKey: `order-${order.id}` })));
   * const failed = results.filter((result) => !result.outcome.ok);
   */
  sendMany(items: readonly SendManyItem<EverlyticMessage>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<SendMailSuccess>>[]>;
  /**
   * Asks Everlytic whether it accepts the credentials, sending nothing: `GET /transactional/email/v1/webhooks`
   * (it lists the account's webhooks, with the send's Basic credentials, and changes nothing). `ok` on 200,
   * `refused` on 401. One request, never retried; never rejects.
   *
   * @example
   * const check = await everlytic.checkCredentials({ timeoutMs: 5_000 });
   * if (check.kind === "refused") console.error("Everlytic refused the username or API key");
   */
  checkCredentials(call?: CheckCallOptions): Promise<CredentialCheck>;
}

// Loaded on the first sendMessage of any client in this isolate, then kept (clients are often made per request).
const loadConverter = /* @__PURE__ */ loadOnce(async () => (await import("./message-converter.ts")).toEverlyticMessage);

/**
 * Creates an Everlytic Transactional Email client (HTTP Basic: your username and API key).
 *
 * @example
 * const everlytic = createEverlyticClient({ username: "acme", apiKey: env.EVERLYTIC_API_KEY });
 * const outcome = await everlytic.send({
 *   body: { html: "<h1>Your order has shipped</h1>" },
 *   headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com", name: "Joe" }] },
 * });
 * if (outcome.ok) console.log(outcome.data.transactions.map((t) => t.id));
 * else console.error(outcome.kind, outcome.message);
 */
export function createEverlyticClient(options: EverlyticOptions): EverlyticClient {
  requireCredentials("createEverlyticClient", { username: [options.username, HEADER_TEXT], apiKey: [options.apiKey, HEADER_TEXT] });
  const basic = basicAuthorization(options.username, options.apiKey);
  const common = { ...options, baseUrl: options.baseUrl ?? EVERLYTIC_BASE_URL };
  // valibot's messages quote the input, and a key pasted into the wrong field must not come back.
  const redactor = new Redactor().add(...basic.secrets);
  const authorize = withHeader("Authorization", basic.header);
  const transport = createTransport<paths, EverlyticMessage, EverlyticMessage, SendMailSuccess>({
    vendor: "everlytic",
    options: common,
    redactor,
    authorization: authorize,
    schema: EverlyticMessageSchema,
    buildRequest: toMailRequest,
    attachmentsPath: "attachments.data",
    mapResponse: mapEverlyticResponse,
    loadConverter,
    carryMessageId: withMessageIdHeader,
  });
  return {
    ...transport,
    checkCredentials: (call) => checkByRead<paths>({ vendor: "everlytic", options: common, redactor, authorize, path: "/transactional/email/v1/webhooks" }, call),
  };
}

/** Our message id in the custom header Everlytic's legacy webhooks echo (`messageIdCarrier`); it replaces one the caller set. */
function withMessageIdHeader(message: EverlyticMessage, messageId: string): EverlyticMessage {
  const custom = Object.fromEntries(Object.entries(message.headers.custom_headers ?? {}).filter(([name]) => name.toLowerCase() !== EVERLYTIC_MESSAGE_ID_HEADER.toLowerCase()));
  return { ...message, headers: { ...message.headers, custom_headers: { ...custom, [EVERLYTIC_MESSAGE_ID_HEADER]: messageId } } };
}
