/**
 * valibot (what the client enforces) and specs/acton.yaml (what the wire allows) agree: the same invalid
 * messages are refused by both, and the same valid messages accepted by both. The body goes to the spec's
 * EteEmailRequest schema and `templateId` to the path parameter's schema. (That every body the client actually
 * sent is valid under the spec is checked by the double in every Act-On test file.)
 */
import * as v from "valibot";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { ActOnMessageSchema } from "../../src/acton/index.js";
import { loadSpec, specErrors } from "../support/spec.js";
import { invalidActOnMessages, validActOnMessages } from "./fixtures.js";

const operation = (loadSpec("acton") as any).paths["/ete/v1/email/{accountId}/{templateId}"].post;
const templateIdSchema = operation.parameters.find((p: { name: string }) => p.name === "templateId").schema;
const validTemplateId = new Ajv2020({ strict: false }).compile(templateIdSchema);

/** What the spec says is wrong with a message: its path parameter and its body. */
function specProblems(input: unknown): string[] {
  const { templateId, ...body } = input as Record<string, unknown>;
  const problems = specErrors("acton", "EteEmailRequest", body);
  if (templateId === undefined) problems.push("templateId is a required path parameter");
  else if (!validTemplateId(templateId)) problems.push(`templateId ${JSON.stringify(validTemplateId.errors)}`);
  return problems;
}

describe("valibot and the spec refuse the same messages", () => {
  it.each(invalidActOnMessages)("%s", (_, input) => {
    expect(v.safeParse(ActOnMessageSchema, input).success).toBe(false);
    expect(specProblems(input)).not.toEqual([]);
  });
});

describe("valibot and the spec accept the same messages", () => {
  it.each(validActOnMessages)("%s", (_, input) => {
    const parsed = v.safeParse(ActOnMessageSchema, input);
    expect(parsed.issues ?? []).toEqual([]);
    expect(specProblems(parsed.output)).toEqual([]);
  });
});

describe("the one known difference: lengths", () => {
  it("counts UTF-16 units, so astral characters reach the limit sooner than JSON Schema's code points", () => {
    const subjectLine = "🚚".repeat(46); // 46 code points, 92 UTF-16 units
    const input = { ...validActOnMessages[1]![1], content: { subjectLine } };
    expect(specProblems(input)).toEqual([]);
    expect(v.safeParse(ActOnMessageSchema, input).success).toBe(false);
  });
});
