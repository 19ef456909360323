/**
 * specs/expertsender.yaml and the client agree: (a) what the client builds, parsed back independently, is the
 * wire model it meant and is valid under the spec (the double also checks every request of send.test.ts);
 * (b) every invalid input is refused by valibot, naming the field and rule, and the body it would have made is
 * refused by the spec's JSON Schema at the same field; (c) every valid input is accepted by both; (d) the
 * spec's own examples, request and response, are what our XML builder writes and our parser reads.
 */
import type { ErrorObject } from "ajv";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { toValidationIssues } from "../../src/core/validation.js";
import { ExpertSenderMessageSchema, type ExpertSenderMessage } from "../../src/expertsender/index.js";
import { apiRequestXml } from "../../src/expertsender/api-request-xml.js";
import { toApiRequest } from "../../src/expertsender/request.js";
import { parseApiResponse } from "../../src/expertsender/api-response-xml.js";
import type { ValidExpertSenderMessage } from "../../src/expertsender/schema.js";
import { loadSpec, specErrors, specSchema } from "../support/spec.js";
import { invalid, valid } from "./fixtures.ts";
import { exampleXml, parseApiRequest } from "./xml-model.js";

/** `Receiver.Email` → `/Data/Receiver/Email`. */
const wirePath = (path: string) => `/Data/${path.replaceAll(".", "/")}`;

/** Whether an ajv error is about the field at `path` (or, for `required`/`additionalProperties`, names it). */
function isAbout(error: ErrorObject, path: string): boolean {
  const named = (error.params as { missingProperty?: string; additionalProperty?: string });
  const child = named.missingProperty ?? named.additionalProperty;
  return (
    error.instancePath === path ||
    error.instancePath.startsWith(`${path}/`) ||
    (child !== undefined && `${error.instancePath}/${child}` === path)
  );
}

describe("(b) invalid inputs: refused by valibot and by the spec, at the same field", () => {
  it.each(invalid)("$name → $path ($rule)", async ({ input, path, rule, spec }) => {
    const parsed = v.safeParse(ExpertSenderMessageSchema, input);
    expect(parsed.success).toBe(false);
    expect(toValidationIssues(parsed.issues ?? [])).toContainEqual(expect.objectContaining({ path, rule }));

    if (spec === "TransactionalId") {
      expect(specErrors("expertsender", "TransactionalId", (input as { transactionalId: number }).transactionalId)).not.toEqual([]);
    } else if (spec === "wire") {
      const validate = specSchema("expertsender", "SystemTransactionalRequest");
      const body = await toApiRequest(input as ValidExpertSenderMessage);
      expect(validate(body)).toBe(false);
      expect(validate.errors!.some((error) => isAbout(error, wirePath(path)))).toBe(true);
    } else if (spec !== "input") {
      const [schema, property] = spec.at;
      const schemas = (loadSpec("expertsender") as { components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> } }).components.schemas;
      expect(schemas[schema]!.properties[property]!["x-txgate-rule"]).toBe(spec.txgateRule);
      expect(rule).toBe(spec.txgateRule.replaceAll("-", "_"));
    }
  });
});

describe("(a, c) valid inputs: accepted by both, and the XML reads back as the wire model", () => {
  it.each(valid)("$name", async ({ input }) => {
    const parsed = v.safeParse(ExpertSenderMessageSchema, input);
    expect(parsed.issues).toBeUndefined();
    const body = await toApiRequest(parsed.output as ValidExpertSenderMessage, "test_api_key1");
    expect(specErrors("expertsender", "SystemTransactionalRequest", body)).toEqual([]);
    expect(specErrors("expertsender", "TransactionalId", input.transactionalId)).toEqual([]);
    const { model } = parseApiRequest(apiRequestXml(body));
    expect(model).toEqual(JSON.parse(JSON.stringify(body)));
    expect(specErrors("expertsender", "SystemTransactionalRequest", model)).toEqual([]);
  });
});

type Examples = Record<string, { value: unknown }>;
type Content = { schema: { $ref: string }; examples: Record<string, { $ref: string }> };
const spec = loadSpec("expertsender") as {
  components: { examples: Examples };
  paths: Record<string, { post: { requestBody: { content: Record<string, Content> }; responses: Record<string, { content: Record<string, Content> }> } }>;
};
const operation = spec.paths["/v2/Api/SystemTransactionals/{id}"]!.post;
const examplesOf = (content: Content) =>
  Object.values(content.examples).map(({ $ref }) => {
    const name = $ref.split("/").at(-1)!;
    return { name, schema: content.schema.$ref.split("/").at(-1)!, value: spec.components.examples[name]!.value };
  });
/** The example's XML without the indentation between elements (text inside elements is kept). */
const compact = (xml: string) => xml.replace(/>\s+</g, "><").trim();

describe("(d) the spec's own examples", () => {
  it.each(examplesOf(operation.requestBody.content["text/xml"]!))("request $name: valid, written by our builder, read back from its XML", ({ name, schema, value }) => {
    expect(specErrors("expertsender", schema, value)).toEqual([]);
    expect(parseApiRequest(compact(exampleXml(name))).model).toEqual(value);
    expect(parseApiRequest(apiRequestXml(value as never)).model).toEqual(value);
  });

  const responses = Object.entries(operation.responses).flatMap(([status, response]) =>
    examplesOf(response.content["text/xml"]!).map((example) => ({ status, ...example })),
  );
  it.each(responses)("$status $name: valid, and what our response parser reads from its XML", ({ name, schema, value }) => {
    expect(specErrors("expertsender", schema, value)).toEqual([]);
    expect(parseApiResponse(exampleXml(name))).toEqual(value);
    expect(parseApiResponse(`\uFEFF${exampleXml(name)}`)).toEqual(value);
  });
});
