/**
 * Our message to ExpertSender's wire format: the `<ApiRequest>` model of specs/expertsender.yaml; the XML is
 * written by `api-request-xml.ts`, loaded on the first send. The API key is not in the body the middleware sees:
 * it is written in by `apiKeyAuthorizer`, last.
 */
import { attachmentBase64 } from "../core/attachment.ts";
import { bodyText, type Authorize } from "../core/http-client.ts";
import { loadOnce } from "../core/load-once.ts";
import { REDACTED } from "../core/redact.ts";
import type { PostRequest } from "../core/transport.ts";
import type { components, paths } from "../../generated/expertsender.ts";
import { attachmentFileName, MIME_TYPE, propertyType, type ValidExpertSenderMessage } from "./schema.ts";

export type SystemTransactionalRequest = components["schemas"]["SystemTransactionalRequest"];
type PropertyValue = components["schemas"]["PropertyValue"];

/**
 * How text is escaped in the XML: the five XML entities, and CR, which an XML parser turns into LF unless it is
 * written as a character reference.
 */
const XML_TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", ">": "&gt;", "<": "&lt;", "'": "&apos;", '"': "&quot;", "\r": "&#13;" };

/** Text (or an attribute's value) as the XML carries it; `api-request-xml.ts` writes every text with it. */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>'"\r]/g, (character) => XML_TEXT_ESCAPES[character]!);
}

/** The `POST /v2/Api/SystemTransactionals/{id}` request for a validated message; its XML is written in the attempt. */
export async function toSystemTransactionalRequest(message: ValidExpertSenderMessage): Promise<PostRequest<paths>> {
  return {
    path: "/v2/Api/SystemTransactionals/{id}",
    params: { path: { id: message.transactionalId } },
    body: await toApiRequest(message),
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  };
}

/** The wire model of a validated message. `apiKey` is what goes in `<ApiKey>`: the placeholder, until `apiKeyAuthorizer`. */
export async function toApiRequest(message: ValidExpertSenderMessage, apiKey = REDACTED): Promise<SystemTransactionalRequest> {
  const { hashEmail, Properties, ...receiver } = message.Receiver;
  if (hashEmail && receiver.Email !== undefined) {
    const hash = await emailHash(receiver.Email, hashEmail);
    receiver[hashEmail === "md5" ? "EmailMd5" : "EmailSha256"] = hash;
    delete receiver.Email;
  }
  return {
    "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "@_xmlns:xs": "http://www.w3.org/2001/XMLSchema",
    ApiKey: apiKey,
    Data: {
      ReturnGuid: message.ReturnGuid,
      Receiver: {
        ...receiver,
        Properties: Properties?.map((property) => ({
          Id: property.Id,
          Value: { "@_xsi:type": `xs:${propertyType(property)}`, "#text": String(property.Value) } as PropertyValue,
        })),
      },
      Snippets: message.Snippets,
      Attachments:
        message.Attachments &&
        (await Promise.all(
          message.Attachments.map(async (attachment) => ({
            FileName: attachmentFileName(attachment)!,
            MimeType: attachment.MimeType ?? blobType(attachment.Content),
            Content: await attachmentBase64({ content: attachment.Content }),
          })),
        )),
    },
  };
}

/** A Blob's own type without parameters, when it is a plain `type/subtype`. */
function blobType(content: unknown): string | undefined {
  const type = content instanceof Blob ? content.type.split(";")[0]!.trim() : "";
  return MIME_TYPE.test(type) ? type : undefined;
}

const loadMd5 = /* @__PURE__ */ loadOnce(async () => (await import("./md5.ts")).md5);

/** MD5 from @noble/hashes (Web Crypto has none), SHA-256 from Web Crypto; the address lower-cased, as UTF-8. */
async function emailHash(email: string, algorithm: "md5" | "sha256"): Promise<string> {
  const bytes = new TextEncoder().encode(email.toLowerCase());
  // @noble/hashes loads only for a message that asks for MD5.
  const digest = algorithm === "md5" ? (await loadMd5())(bytes) : new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes the API key into a request built by `apiRequestXml`, in place of the placeholder. Only the first
 * `<ApiKey>` is replaced: it comes before `<Data>`, so a snippet that spells the placeholder stays as it is.
 */
export function apiKeyAuthorizer(apiKey: string): { escapedKey: string; authorize: Authorize } {
  const placeholder = `<ApiKey>${REDACTED}</ApiKey>`;
  const keyElement = `<ApiKey>${escapeXmlText(apiKey)}</ApiKey>`;
  return {
    escapedKey: keyElement.slice("<ApiKey>".length, -"</ApiKey>".length),
    // A function replacement, so `$&` and friends in a key are not read as replacement patterns.
    authorize: async (request) => {
      request.body = (await bodyText(request)).replace(placeholder, () => keyElement);
    },
  };
}

/**
 * Puts the API key in a GET's `apiKey` URL parameter, where ExpertSender's GETs take it, in place of the
 * placeholder middleware saw.
 */
export function apiKeyInQuery(apiKey: string): Authorize {
  return (request) => {
    const url = new URL(request.url);
    url.searchParams.set("apiKey", apiKey);
    request.url = url.toString();
  };
}
