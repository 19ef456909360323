/**
 * ExpertSender's answers to typed outcomes. Success is 201, with an empty body or, when `ReturnGuid` was set,
 * `<ApiResponse><Data>GUID</Data></ApiResponse>`; errors are `<ApiResponse><ErrorMessage>` documents, or
 * whatever a proxy in front answers (an HTML page), which still gives an outcome with an excerpt.
 */
import type { Answer } from "../core/outcome.ts";
import { loadOnce } from "../core/load-once.ts";
import { defaultFailure } from "../core/response.ts";
import type { components } from "../../generated/expertsender.ts";
import type { ApiResponse } from "./api-response-xml.ts";

type Schemas = components["schemas"];

/**
 * What a successful send returns: the GUID of the sent message when the message asked for it (`ReturnGuid`).
 *
 * @example
 * const outcome = await expertsender.send({ transactionalId: 123, ReturnGuid: true, Receiver: { Id: 12345 } });
 * if (outcome.ok) console.log(outcome.data.guid); // "c3a4bda9-07be-4d48-af20-df51293ec78f"
 */
export interface ExpertSenderSent {
  readonly guid?: string;
}

const loadResponseReader = /* @__PURE__ */ loadOnce(async () => (await import("./api-response-xml.ts")).parseApiResponse);

/** Maps a response; `body` is `responseBody(result)`: the text (BOM dropped), or `undefined` when empty. */
export async function mapExpertSenderResponse(status: number, body: unknown, headers: Headers): Promise<Answer<ExpertSenderSent>> {
  const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
  // The XML reader loads on the first answer that has a document to read: a plain 201 never needs it.
  const document = text.trimStart().startsWith("<") ? (await loadResponseReader())(text) : undefined;
  if (status === 201) {
    if (document?.Data === undefined) return { ok: true, status, data: {} };
    const guid = String(document.Data);
    return { ok: true, status, data: { guid }, ids: [guid] };
  }
  const error = document?.ErrorMessage;
  return defaultFailure(
    status,
    {
      // `<Code>` mirrors the HTTP status; it is worth a mention only when it does not.
      vendorCode: error?.Code !== undefined && error.Code !== status ? String(error.Code) : undefined,
      vendorMessage: error ? errorText(error) : excerpt(text),
      details: document,
    },
    headers,
  );
}

/** `<Message>` as one line; `<Messages>` as `for: text; for: text`. */
function errorText(error: Schemas["ErrorMessage"]): string | undefined {
  const messages = error.Messages ? [error.Messages.Message].flat() : [error.Message];
  const lines = messages.flatMap((message) => {
    if (message === undefined) return [];
    if (typeof message !== "object") return [String(message)];
    const text = String(message["#text"] ?? "");
    return [message["@_for"] ? `${message["@_for"]}: ${text}` : text];
  });
  return lines.join("; ") || undefined;
}

/** A page's `<title>`, else its text without tags, shortened: enough to tell a proxy's error page apart. */
function excerpt(text: string): string | undefined {
  const title = /<title[^>]*>([^<]*)/i.exec(text)?.[1];
  return (title ?? text.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim().slice(0, 300) || undefined;
}
