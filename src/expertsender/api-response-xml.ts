/**
 * The reader for ExpertSender's `<ApiResponse>` documents. fast-xml-parser's parser (with the entity and
 * string-safety packages it pulls in) is most of the ExpertSender entry's weight, and most answers need none of
 * it (a 201 with an empty body), so `response.ts` loads this module only for an answer that has an XML body.
 */
import { XMLParser } from "fast-xml-parser";
import type { components } from "../../generated/expertsender.ts";

type Schemas = components["schemas"];
export type ApiResponse = Partial<Schemas["GuidResponse"] & Schemas["ErrorResponse"]>;

// The options specs/expertsender.yaml describes its response shapes with; `htmlEntities` also decodes `&#13;`.
const parser = new XMLParser({ ignoreAttributes: false, htmlEntities: true });

/** The content of `<ApiResponse>`, or `undefined` for anything else (empty, HTML, not well-formed). */
export function parseApiResponse(text: string): ApiResponse | undefined {
  if (!text.trim()) return undefined;
  let parsed: { ApiResponse?: ApiResponse | "" };
  try {
    parsed = parser.parse(text);
  } catch {
    // Not XML: the caller quotes the text instead.
    return undefined;
  }
  return typeof parsed.ApiResponse === "object" ? parsed.ApiResponse : undefined;
}
