import { checkByRead, type CheckCallOptions, type CredentialCheck } from "../core/credential-check.ts";
import { basicAuthorization, HEADER_TEXT, HEADER_TOKEN, requireCredentials } from "../core/credentials.ts";
import { withHeader } from "../core/http-client.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome, ValidationFailure } from "../core/outcome.ts";
import { Redactor } from "../core/redact.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { SendManyItem, SendManyOptions, SendManyOutcome } from "../core/send-many.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/listmonk.ts";
import type { ListmonkOptions } from "./options.ts";
import { toTxRequest } from "./request.ts";
import { mapListmonkResponse, type TxQueued } from "./response.ts";
import { ListmonkMessageSchema, type ListmonkMessage } from "./schema.ts";

/**
 * A listmonk client; see `createListmonkClient`.
 *
 * @example
 * const listmonk: ListmonkClient = createListmonkClient({ baseUrl: "https://lists.example.com", username: "api_user", token });
 * await listmonk.send({ template_id: 3, subscriber_emails: ["jane@example.com"] });
 */
export interface ListmonkClient {
  /**
   * Sends a transactional template through `POST /api/tx`. Never rejects: returns `Sent` (queued) or a
   * `Failure`. Bad input gets a `validation` outcome and nothing is sent.
   */
  send(message: ListmonkMessage, call?: CallOptions): Promise<Outcome<TxQueued>>;
  /**
   * Sends the common `TemplateMessage`, converted to this vendor's message and then sent as `send` sends it (every
   * rule of `send` applies; issues name the common message's fields). A field this vendor cannot carry is a
   * `validation` issue with rule `unsupported_by_vendor`.
   */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<TxQueued>>;
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
  sendMany(items: readonly SendManyItem<ListmonkMessage>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<TxQueued>>[]>;
  /**
   * Asks listmonk whether it accepts the credentials, sending nothing: `GET /api/profile` (listmonk v4.0.0 and
   * later), which needs no permission beyond being signed in. `ok` on 200, `refused` on 403; it does not say
   * whether the user's role may `tx:send`. One request, never retried; never rejects.
   *
   * @example
   * const check = await listmonk.checkCredentials({ timeoutMs: 5_000 });
   * if (check.kind !== "ok") console.warn(check.kind, check.message);
   */
  checkCredentials(call?: CheckCallOptions): Promise<CredentialCheck>;
}

// Loaded on the first sendMessage of any client in this isolate, then kept (clients are often made per request).
const loadConverter = /* @__PURE__ */ loadOnce(async () => (await import("./message-converter.ts")).toListmonkMessage);

/**
 * Creates a listmonk client.
 *
 * @example
 * const listmonk = createListmonkClient({ baseUrl: "https://lists.example.com", username: "api_user", token });
 * const outcome = await listmonk.send({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } });
 * if (!outcome.ok) console.error(outcome.kind, outcome.message);
 */
export function createListmonkClient(options: ListmonkOptions): ListmonkClient {
  const { username, token } = options;
  // Basic credentials travel base64-encoded; the token scheme puts both values in the header as they are.
  const raw = options.authScheme === "token" ? HEADER_TOKEN : HEADER_TEXT;
  requireCredentials("createListmonkClient", { username: [username, raw], token: [token, raw] });
  const basic = basicAuthorization(username, token);
  const authorization = options.authScheme === "token" ? `token ${username}:${token}` : basic.header;
  const redactor = new Redactor().add(...basic.secrets, authorization);
  const authorize = withHeader("Authorization", authorization);
  const transport = createTransport<paths, ListmonkMessage, ListmonkMessage, TxQueued>({
    vendor: "listmonk",
    options,
    redactor,
    authorization: authorize,
    schema: ListmonkMessageSchema,
    buildRequest: toTxRequest,
    mapResponse: mapListmonkResponse,
    loadConverter,
  });
  return {
    ...transport,
    checkCredentials: (call) => checkByRead<paths>({ vendor: "listmonk", options, redactor, authorize, path: "/api/profile" }, call),
  };
}
