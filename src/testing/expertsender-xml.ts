/**
 * Reads an ExpertSender `<ApiRequest>` document back into the JSON model of specs/expertsender.yaml, driven by
 * the spec: its `xml` objects say which arrays are wrapped and what their items are called, its types say which
 * texts are integers and booleans. The ExpertSender fake checks the model against the spec's schemas; the
 * library's spec-agreement tests read what the client sent the same way, independently of the client.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  xml?: { name?: string; wrapped?: boolean };
  "x-txgate-xml-text"?: boolean;
};

/** An OpenAPI document, as far as this reader needs it. */
export type SpecDocument = { readonly components: { readonly schemas: Readonly<Record<string, Schema>> } };

/** The request as fast-xml-parser returned it, and as the spec's model. */
export interface ParsedApiRequest {
  readonly raw: Record<string, unknown>;
  readonly model: Record<string, unknown>;
}

// Texts exactly as sent: no trimming or number parsing (the spec types them), character references decoded.
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true });

/**
 * Parses an `<ApiRequest>` document; throws when it is not well-formed XML or has another root.
 *
 * @example
 * const { model } = parseApiRequest(await request.text(), spec);
 */
export function parseApiRequest(text: string, spec: SpecDocument): ParsedApiRequest {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document).filter((key) => key !== "?xml");
  if (roots.length !== 1 || roots[0] !== "ApiRequest") throw new Error(`root element(s) ${roots.join(", ")}, not ApiRequest`);
  const raw = document.ApiRequest as Record<string, unknown>;
  const model = new ModelReader(spec).read(raw, { $ref: "#/components/schemas/SystemTransactionalRequest" });
  return { raw, model: model as Record<string, unknown> };
}

class ModelReader {
  readonly #spec: SpecDocument;

  constructor(spec: SpecDocument) {
    this.#spec = spec;
  }

  /** Converts what fast-xml-parser returned for one element into the spec's model of that element. */
  read(value: unknown, schema: Schema): unknown {
    const resolved = this.resolve(schema);
    if (resolved.type === "array") {
      if (!resolved.xml?.wrapped) return value;
      const itemName = this.resolve(resolved.items!).xml?.name;
      const inner = value === "" ? undefined : (value as Record<string, unknown>)[itemName!];
      const items = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
      return items.map((item) => this.read(item, resolved.items!));
    }
    if (resolved.type === "object" || resolved.properties) {
      const element = value === "" ? {} : value;
      if (typeof element !== "object" || element === null) return element;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(element)) {
        const property = resolved.properties?.[key];
        out[key] = property ? this.read(item, property) : item;
      }
      // An element with attributes and no text parses without its text node.
      for (const [key, property] of Object.entries(resolved.properties ?? {})) {
        if (this.resolve(property)["x-txgate-xml-text"] && !(key in out)) out[key] = "";
      }
      return out;
    }
    if (typeof value !== "string") return value;
    if (resolved.type === "integer") return /^[+-]?\d+$/.test(value) ? Number(value) : value;
    if (resolved.type === "boolean") return value === "true" ? true : value === "false" ? false : value;
    return value;
  }

  /** A schema with its `$ref` followed and its `allOf` members' properties merged in. */
  private resolve(schema: Schema): Schema {
    const { $ref, allOf, ...rest } = schema;
    let out: Schema = rest;
    if ($ref) out = merge(this.resolve(this.#spec.components.schemas[$ref.replace("#/components/schemas/", "")]!), rest);
    for (const member of allOf ?? []) out = merge(this.resolve(member), out);
    return out;
  }
}

function merge(base: Schema, over: Schema): Schema {
  const merged = { ...base, ...over };
  if (base.properties || over.properties) merged.properties = { ...base.properties, ...over.properties };
  return merged;
}
