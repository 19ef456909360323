/**
 * Reads an ExpertSender `<ApiRequest>` document back into the JSON model of specs/expertsender.yaml, driven by
 * the spec: its `xml` objects say which arrays are wrapped and what their items are called, its types say which
 * texts are integers and booleans. The sandbox then checks the model against the spec's schemas.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { specDocument } from "./spec-check.ts";

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  xml?: { name?: string; wrapped?: boolean };
  "x-txgate-xml-text"?: boolean;
};

const schemas = () => (specDocument("expertsender") as { components: { schemas: Record<string, Schema> } }).components.schemas;

function resolve(schema: Schema): Schema {
  const { $ref, allOf, ...rest } = schema;
  let out: Schema = rest;
  if ($ref) out = merge(resolve(schemas()[$ref.replace("#/components/schemas/", "")]!), rest);
  for (const member of allOf ?? []) out = merge(resolve(member), out);
  return out;
}

function merge(base: Schema, over: Schema): Schema {
  const merged = { ...base, ...over };
  if (base.properties || over.properties) merged.properties = { ...base.properties, ...over.properties };
  return merged;
}

function toModel(value: unknown, schema: Schema): unknown {
  const resolved = resolve(schema);
  if (resolved.type === "array") {
    if (!resolved.xml?.wrapped) return value;
    const itemName = resolve(resolved.items!).xml?.name;
    const inner = value === "" ? undefined : (value as Record<string, unknown>)[itemName!];
    const items = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
    return items.map((item) => toModel(item, resolved.items!));
  }
  if (resolved.type === "object" || resolved.properties) {
    const element = value === "" ? {} : value;
    if (typeof element !== "object" || element === null) return element;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(element)) {
      const property = resolved.properties?.[key];
      out[key] = property ? toModel(item, property) : item;
    }
    // An element with attributes and no text parses without its text node.
    for (const [key, property] of Object.entries(resolved.properties ?? {})) {
      if (resolve(property)["x-txgate-xml-text"] && !(key in out)) out[key] = "";
    }
    return out;
  }
  if (typeof value !== "string") return value;
  if (resolved.type === "integer") return /^[+-]?\d+$/.test(value) ? Number(value) : value;
  if (resolved.type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
}

// Texts exactly as sent: no trimming or number parsing (the spec types them), character references decoded.
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true });

/**
 * The `SystemTransactionalRequest` model of a document; throws when it is not well-formed or not an `<ApiRequest>`.
 *
 * @example
 * const model = parseApiRequest(await request.text());
 */
export function parseApiRequest(text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg}`);
  const document = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document).filter((key) => key !== "?xml");
  if (roots.length !== 1 || roots[0] !== "ApiRequest") throw new Error("the root element is not ApiRequest");
  return toModel(document.ApiRequest, { $ref: "#/components/schemas/SystemTransactionalRequest" }) as Record<string, unknown>;
}
