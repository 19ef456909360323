/**
 * Our message to ExpertSender's wire format: the `<ApiRequest>` model of specs/expertsender.yaml, then XML.
 * fast-xml-parser's builder escapes every text and splits `]]>` inside CDATA; the options below make it keep
 * CRs too. The API key is not in the body the middleware sees: it is written in by `apiKeyAuthorizer`, last.
 */
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { XMLBuilder, type XmlBuilderOptions } from "fast-xml-parser";
import { attachmentBase64 } from "../core/attachment.ts";
import { bodyText, type Authorize } from "../core/http-client.ts";
import { REDACTED } from "../core/redact.ts";
import type { components } from "../../generated/expertsender.ts";
import { attachmentFileName, MIME_TYPE, propertyType, type ValidExpertSenderMessage } from "./schema.ts";

export type SystemTransactionalRequest = components["schemas"]["SystemTransactionalRequest"];
type PropertyValue = components["schemas"]["PropertyValue"];

const CDATA = "__cdata";

const xml = new XMLBuilder({
  ignoreAttributes: false,
  cdataPropName: CDATA,
  // `entities` is the builder's escaping table (missing from its types; a test holds it to its word): the
  // default one plus CR, which an XML parser turns into LF unless it is written as a character reference.
  entities: [
    { regex: /&/g, val: "&amp;" },
    { regex: />/g, val: "&gt;" },
    { regex: /</g, val: "&lt;" },
    { regex: /'/g, val: "&apos;" },
    { regex: /"/g, val: "&quot;" },
    { regex: /\r/g, val: "&#13;" },
  ],
} as XmlBuilderOptions);

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

/** MD5 from @noble/hashes (Web Crypto has none), SHA-256 from Web Crypto; the address lower-cased, as UTF-8. */
async function emailHash(email: string, algorithm: "md5" | "sha256"): Promise<string> {
  const bytes = new TextEncoder().encode(email.toLowerCase());
  return bytesToHex(algorithm === "md5" ? md5(bytes) : new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/**
 * The XML document for a wire model: OpenAPI's wrapped arrays (`Snippets: [..]`) become the nested elements
 * the builder writes (`{Snippets: {Snippet: [..]}}`), and snippet values with markup go in CDATA, as in the
 * vendor's example. A value with a CR stays escaped text: a CDATA section cannot keep a CR.
 */
export function apiRequestXml(request: SystemTransactionalRequest): string {
  const { Data } = request;
  const { Receiver } = Data;
  return xml.build({
    ApiRequest: {
      ...request,
      Data: {
        ...Data,
        Receiver: { ...Receiver, Properties: Receiver.Properties && { Property: Receiver.Properties } },
        Snippets: Data.Snippets && {
          Snippet: Data.Snippets.map(({ Name, Value }) => ({
            Name,
            Value: /[<&]/.test(Value) && !Value.includes("\r") ? { [CDATA]: Value } : Value,
          })),
        },
        Attachments: Data.Attachments && { Attachment: Data.Attachments },
      },
    },
  });
}

/**
 * Writes the API key into a request built by `apiRequestXml`, in place of the placeholder. Only the first
 * `<ApiKey>` is replaced: it comes before `<Data>`, so a snippet that spells the placeholder stays as it is.
 */
export function apiKeyAuthorizer(apiKey: string): { escapedKey: string; authorize: Authorize } {
  const placeholder = xml.build({ ApiKey: REDACTED });
  const keyElement = xml.build({ ApiKey: apiKey });
  return {
    escapedKey: keyElement.slice("<ApiKey>".length, -"</ApiKey>".length),
    // A function replacement, so `$&` and friends in a key are not read as replacement patterns.
    authorize: async (request) => {
      request.body = (await bodyText(request)).replace(placeholder, () => keyElement);
    },
  };
}
