import { requireCredentials } from "../core/credentials.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome } from "../core/outcome.ts";
import { Redactor } from "../core/redact.ts";
import type { TemplateMessage } from "../core/message.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/expertsender.ts";
import { API_KEY_SYNTAX, type ExpertSenderOptions } from "./options.ts";
import { apiKeyAuthorizer, toSystemTransactionalRequest } from "./request.ts";
import { mapExpertSenderResponse, type ExpertSenderSent } from "./response.ts";
import { ExpertSenderMessageSchema, type ExpertSenderMessage, type ValidExpertSenderMessage } from "./schema.ts";

/** An ExpertSender client; see `createExpertSenderClient`. */
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
  return createTransport<paths, ExpertSenderMessage, ValidExpertSenderMessage, ExpertSenderSent>({
    vendor: "expertsender",
    options,
    // The key travels in the body, so a vendor or proxy echoing the body could quote it in either form.
    redactor: new Redactor().add(options.apiKey, escapedKey),
    authorization: authorize,
    schema: ExpertSenderMessageSchema,
    buildRequest: toSystemTransactionalRequest,
    attachmentsPath: "Attachments",
    loadBodySerializer,
    mapResponse: mapExpertSenderResponse,
    loadConverter,
  });
}
