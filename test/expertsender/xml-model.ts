/**
 * Reads an XML document back into the JSON model of specs/expertsender.yaml, driven by the spec itself: its
 * `xml` objects say which arrays are wrapped and what their items are called, its types say which texts are
 * integers and booleans. This is how the double (and the spec agreement proof) checks what the client built
 * against the spec's schemas, independently of the client's own code.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { loadSpec } from "../support/spec.js";

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  xml?: { name?: string; wrapped?: boolean };
  "x-txgate-xml-text"?: boolean;
};

const spec = loadSpec("expertsender") as { components: { schemas: Record<string, Schema> } };

/** A schema with its `$ref` followed and its `allOf` members' properties merged in. */
function resolve(schema: Schema): Schema {
  const { $ref, allOf, ...rest } = schema;
  let out: Schema = rest;
  if ($ref) {
    out = merge(resolve(spec.components.schemas[$ref.replace("#/components/schemas/", "")]!), rest);
  }
  for (const member of allOf ?? []) out = merge(resolve(member), out);
  return out;
}

function merge(base: Schema, over: Schema): Schema {
  const merged = { ...base, ...over };
  if (base.properties || over.properties) merged.properties = { ...base.properties, ...over.properties };
  return merged;
}

/** Converts what fast-xml-parser returned for one element into the spec's model of that element. */
export function xmlToModel(value: unknown, schema: Schema): unknown {
  const resolved = resolve(schema);
  if (resolved.type === "array") {
    if (!resolved.xml?.wrapped) return value;
    const itemName = resolve(resolved.items!).xml?.name;
    const inner = value === "" ? undefined : (value as Record<string, unknown>)[itemName!];
    const items = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
    return items.map((item) => xmlToModel(item, resolved.items!));
  }
  if (resolved.type === "object" || resolved.properties) {
    const element = value === "" ? {} : value;
    if (typeof element !== "object" || element === null) return element;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(element)) {
      const property = resolved.properties?.[key];
      out[key] = property ? xmlToModel(item, property) : item;
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

/**
 * Texts exactly as sent: no trimming or number parsing (the model converter types them from the spec), and
 * numeric character references decoded, as XML requires.
 */
const requestParser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true });

export interface ParsedRequest {
  /** fast-xml-parser's own object, before the spec's model was applied. */
  readonly raw: Record<string, unknown>;
  /** The `SystemTransactionalRequest` model of the document. */
  readonly model: Record<string, unknown>;
}

/** Parses an `<ApiRequest>` document; throws when it is not well-formed XML or has another root. */
export function parseApiRequest(text: string): ParsedRequest {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = requestParser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== "ApiRequest") throw new Error(`root element(s) ${roots.join(", ")}, not ApiRequest`);
  const raw = document.ApiRequest as Record<string, unknown>;
  return { raw, model: xmlToModel(raw, { $ref: "#/components/schemas/SystemTransactionalRequest" }) as Record<string, unknown> };
}

/** The example XML written in a spec example's description (the fenced ```xml block). */
export function exampleXml(name: string): string {
  const examples = (loadSpec("expertsender") as { components: { examples: Record<string, { description: string }> } }).components.examples;
  const match = /```xml\n([\s\S]*?)```/.exec(examples[name]!.description);
  if (!match) throw new Error(`example ${name} has no xml block`);
  return match[1]!;
}
