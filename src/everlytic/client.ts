import { basicAuthorization, HEADER_TEXT, requireCredentials } from "../core/credentials.ts";
import { withHeader } from "../core/http-client.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome } from "../core/outcome.ts";
import { Redactor } from "../core/redact.ts";
import type { TemplateMessage } from "../core/message.ts";
import { createTransport } from "../core/transport.ts";
import { loadOnce } from "../core/load-once.ts";
import type { paths } from "../../generated/everlytic.ts";
import { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.ts";
import { toMailRequest } from "./request.ts";
import { mapEverlyticResponse, type SendMailSuccess } from "./response.ts";
import { EverlyticMessageSchema, type EverlyticMessage } from "./schema.ts";

/** An Everlytic client; see `createEverlyticClient`. */
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
  return createTransport<paths, EverlyticMessage, EverlyticMessage, SendMailSuccess>({
    vendor: "everlytic",
    options: { ...options, baseUrl: options.baseUrl ?? EVERLYTIC_BASE_URL },
    // valibot's messages quote the input, and a key pasted into the wrong field must not come back.
    redactor: new Redactor().add(...basic.secrets),
    authorization: withHeader("Authorization", basic.header),
    schema: EverlyticMessageSchema,
    buildRequest: toMailRequest,
    attachmentsPath: "attachments.data",
    mapResponse: mapEverlyticResponse,
    loadConverter,
  });
}
