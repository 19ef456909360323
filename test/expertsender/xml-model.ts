/**
 * Reads what the client sent back into the JSON model of specs/expertsender.yaml, with the reader the
 * ExpertSender fake uses (driven by the spec's own `xml` objects and types, not by the client's code), so the double and
 * the spec agreement proof check the client's XML against the spec's schemas.
 */
import { parseApiRequest as readApiRequest, type ParsedApiRequest, type SpecDocument } from "../../src/testing/expertsender-xml.ts";
import { loadSpec } from "../support/spec.js";

const spec = loadSpec("expertsender");

/** Parses an `<ApiRequest>` document; throws when it is not well-formed XML or has another root. */
export function parseApiRequest(text: string): ParsedApiRequest {
  return readApiRequest(text, spec as SpecDocument);
}

/** The example XML written in a spec example's description (the fenced ```xml block). */
export function exampleXml(name: string): string {
  const examples = (spec as { components: { examples: Record<string, { description: string }> } }).components.examples;
  const match = /```xml\n([\s\S]*?)```/.exec(examples[name]!.description);
  if (!match) throw new Error(`example ${name} has no xml block`);
  return match[1]!;
}
