/**
 * The `<ApiRequest>` XML for a wire model, written by fast-xml-parser's builder, which escapes every text (with
 * `XML_TEXT_ESCAPES`, CR included) and splits `]]>` inside CDATA. A module of its own, loaded on the first send:
 * importing fast-xml-parser evaluates the whole package (its parser and their dependencies too), which is most of
 * the ExpertSender entry's weight and start-up time.
 */
import { XMLBuilder, type XmlBuilderOptions } from "fast-xml-parser";
import { XML_TEXT_ESCAPES, type SystemTransactionalRequest } from "./request.ts";

const CDATA = "__cdata";

// `entities` is the builder's escaping table (missing from its types; a test holds it to its word).
const xml = new XMLBuilder({ ignoreAttributes: false, cdataPropName: CDATA, entities: XML_TEXT_ESCAPES } as XmlBuilderOptions);

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

