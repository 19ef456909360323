import * as v from "valibot";
import { textToBase64 } from "../core/base64.js";
import { deliver, invalid } from "../core/deliver.js";
import { createVendorHttpClient, withHeader } from "../core/http-client.js";
import { resolveOptions, type CallOptions } from "../core/options.js";
import type { Outcome } from "../core/outcome.js";
import { Redactor } from "../core/redact.js";
import { responseBody } from "../core/response.js";
import { toValidationIssues } from "../core/validation.js";
import type { paths } from "../../generated/listmonk.js";
import type { ListmonkOptions } from "./options.js";
import { toTxMessage, txBodySerializer } from "./request.js";
import { mapListmonkResponse, type TxQueued } from "./response.js";
import { ListmonkMessageSchema, type ListmonkMessage } from "./schema.js";

/** A listmonk client; see `createListmonkClient`. */
export interface ListmonkClient {
  /**
   * Sends a transactional template through `POST /api/tx`. Never rejects: returns `Sent` (queued) or a
   * `Failure`. Bad input gets a `validation` outcome and nothing is sent.
   */
  send(message: ListmonkMessage, call?: CallOptions): Promise<Outcome<TxQueued>>;
}

/**
 * Creates a listmonk client.
 *
 * @example
 * const listmonk = createListmonkClient({ baseUrl: "https://lists.example.com", username: "api_user", token });
 * const outcome = await listmonk.send({ template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } });
 * if (!outcome.ok) console.error(outcome.kind, outcome.message);
 */
export function createListmonkClient(options: ListmonkOptions): ListmonkClient {
  const resolved = resolveOptions("listmonk", options);
  const pair = `${options.username}:${options.token}`;
  const authorization =
    options.authScheme === "token" ? `token ${pair}` : `Basic ${textToBase64(pair)}`;
  const redactor = new Redactor().add(options.token, pair, authorization, textToBase64(pair));
  const http = createVendorHttpClient<paths>(options, (request) => withHeader(request, "Authorization", authorization));

  return {
    async send(message, call) {
      const parsed = v.safeParse(ListmonkMessageSchema, message);
      if (!parsed.success) return invalid("listmonk", toValidationIssues(parsed.issues), redactor);
      const body = toTxMessage(parsed.output);
      const recipientCount =
        body.subscriber_emails?.length ?? body.subscriber_ids?.length ?? 1;
      return deliver<TxQueued>(resolved, redactor, call, async (signal) => {
        const result = await http.POST("/api/tx", {
          body,
          bodySerializer: txBodySerializer(parsed.output.attachments),
          parseAs: "text",
          signal,
        });
        return mapListmonkResponse(result.response.status, responseBody(result), result.response.headers, recipientCount);
      });
    },
  };
}
