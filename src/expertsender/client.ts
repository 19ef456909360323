import { unreadableAttachment } from "../core/attachment.ts";
import { TxgateConfigError } from "../core/credentials.ts";
import { deliver, invalid } from "../core/deliver.ts";
import { createVendorHttpClient } from "../core/http-client.ts";
import { resolveOptions, type CallOptions } from "../core/options.ts";
import type { Outcome } from "../core/outcome.ts";
import { withIdempotency } from "../core/idempotency.ts";
import { Redactor } from "../core/redact.ts";
import { responseBody } from "../core/response.ts";
import { validateInput } from "../core/validation.ts";
import type { TemplateMessage } from "../core/message.ts";
import { templateMessageSender } from "../core/message-sender.ts";
import type { paths } from "../../generated/expertsender.ts";
import type { ExpertSenderOptions } from "./options.ts";
import { apiKeyAuthorizer, toApiRequest, type SystemTransactionalRequest } from "./request.ts";
import { mapExpertSenderResponse, type ExpertSenderSent } from "./response.ts";
import { ExpertSenderMessageSchema, XML_TEXT, type ExpertSenderMessage } from "./schema.ts";

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
  if (typeof options.baseUrl !== "string" || !options.baseUrl) {
    throw new TxgateConfigError("ExpertSender needs baseUrl: your account's API host, e.g. https://api.esv2.com");
  }
  // The spec's ApiKey rule: a stray space or newline from configuration would only ever earn a 403.
  const { apiKey } = options;
  if (typeof apiKey !== "string" || !/^\S+$/.test(apiKey) || !XML_TEXT.test(apiKey)) {
    throw new TxgateConfigError("ExpertSender apiKey must be a non-empty string without whitespace or control characters");
  }
  const resolved = resolveOptions("expertsender", options);
  const { escapedKey, authorize } = apiKeyAuthorizer(apiKey);
  // The key travels in the body, so a vendor or proxy echoing the body could quote it in either form.
  const redactor = new Redactor().add(apiKey, escapedKey);
  const http = createVendorHttpClient<paths>(options, authorize);

  const client: Pick<ExpertSenderClient, "send"> = {
    // An idempotency key is checked before anything else, so a replay neither validates nor sends again.
    send: withIdempotency("expertsender", options.idempotencyLedger, async (message, call) => {
      const parsed = validateInput(ExpertSenderMessageSchema, message);
      if (!parsed.success) return invalid("expertsender", parsed.issues, redactor);
      let body: SystemTransactionalRequest;
      try {
        body = await toApiRequest(parsed.output);
      } catch (error) {
        // Reading a File can fail (it changed on disk, the stream broke): nothing was sent.
        return invalid("expertsender", [unreadableAttachment("Attachments", error)], redactor);
      }
      return deliver<ExpertSenderSent>(resolved, redactor, call, async (signal) => {
        // Inside the attempt, so a failure to load it is an outcome like any other failure before sending.
        const { apiRequestXml } = await import("./api-request-xml.ts");
        const result = await http.POST("/v2/Api/SystemTransactionals/{id}", {
          params: { path: { id: parsed.output.transactionalId } },
          body,
          bodySerializer: apiRequestXml,
          headers: { "Content-Type": "text/xml; charset=utf-8" },
          parseAs: "text",
          signal,
        });
        return mapExpertSenderResponse(result.response.status, responseBody(result), result.response.headers);
      });
    }),
  };
  return { ...client, sendMessage: templateMessageSender("expertsender", async () => (await import("./message-converter.ts")).toExpertSenderMessage, client.send, redactor) };
}
