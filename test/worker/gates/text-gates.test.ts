/**
 * The browser route's three text gates share one walk over the strings (`passTextGates`): each refuses as it
 * would have walking alone, and in the route's order (header text, plain text, template tags of each vendor).
 */
import { describe, expect, it } from "vitest";
import { checkHeaderText, HEADER_TEXT } from "../../../src/worker/gates/header-text.ts";
import { PLAIN_TEXT, refuseMarkup } from "../../../src/worker/gates/markup.ts";
import { noTemplateTags, refuseTemplateTags } from "../../../src/worker/gates/template-tags.ts";
import { MAX_NESTING, passTextGates } from "../../../src/worker/gates/walk.ts";
import { Refusal } from "../../../src/worker/problem.ts";
import type { EvaluatedSyntax } from "../../../src/worker/policy.ts";

const BRACES: EvaluatedSyntax = { pattern: /\{\{|\}\}/, description: "{{ }} personalization" };
const STARS: EvaluatedSyntax = { pattern: /\*\[|\]\*/, description: "*[ ]* personalization tags" };

function problemOf(run: () => void) {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { detail: error.problem.detail, issues: error.problem.issues };
  }
}

const gatesFor = (syntaxes: readonly (EvaluatedSyntax | undefined)[]) => [HEADER_TEXT, PLAIN_TEXT, ...syntaxes.map((syntax) => noTemplateTags(syntax))];
const together = (fields: { recipient: string; variables: Record<string, unknown> }, syntaxes: readonly (EvaluatedSyntax | undefined)[], multiline: string[] = []) =>
  problemOf(() => passTextGates(fields, gatesFor(syntaxes), { multiline }));
/** The gates one after another, each walking alone, as the route ran them before they shared a walk. */
const oneByOne = (fields: { recipient: string; variables: Record<string, unknown> }, syntaxes: readonly (EvaluatedSyntax | undefined)[], multiline: string[] = []) =>
  problemOf(() => {
    checkHeaderText(fields, { multiline });
    refuseMarkup({ variables: fields.variables });
    for (const syntax of syntaxes) refuseTemplateTags({ variables: fields.variables }, syntax);
  });

describe("the text gates in one walk", () => {
  it.each([
    ["nothing wrong", { name: "Ada", message: "Hello\nthere" }],
    ["a line break in a one-line value, markup and tags too: the header gate's refusal", { name: "Ada\r\nBcc: x", note: "<b>hi</b>", tag: "{{x}}" }],
    ["markup and tags: the plain-text gate's refusal, naming every string", { name: "<b>Ada</b>", list: ["ok", "<i>x</i>"], tag: "*[x]*" }],
    ["tags of the second vendor only: its refusal", { name: "Pat *[tr_other]*", deep: { list: ["*[c"] } }],
    ["tags of both: the first vendor's refusal", { name: "{{a}} *[b]*" }],
    ["a line break in a multi-line value is fine, a control there is not", { message: "one\ntwo", name: "Ada", other: "x\u0007" }],
  ])("%s: the same problem as each gate walking alone, in order", (_case, variables) => {
    const fields = { recipient: "ada@example.com", variables };
    expect(together(fields, [BRACES, STARS], ["variables.message"])).toEqual(oneByOne(fields, [BRACES, STARS], ["variables.message"]));
  });

  it("reads the recipient for the header gate only", () => {
    const fields = { recipient: "<ada@example.com>", variables: { name: "Ada" } };
    expect(together(fields, [BRACES])).toBeUndefined();
    expect(together({ recipient: "ada@example.com\r\nBcc: x", variables: { name: "<b>" } }, [BRACES])).toMatchObject({
      detail: "a value would break a mail header",
      issues: [{ path: "recipient", rule: "no_line_breaks" }],
    });
  });

  it("skips a vendor that evaluates no syntax", () => {
    expect(together({ recipient: "ada@example.com", variables: { name: "{{a}}" } }, [undefined])).toBeUndefined();
    expect(together({ recipient: "ada@example.com", variables: { name: "{{a}}" } }, [undefined, BRACES])).toMatchObject({ issues: [{ path: "variables.name", rule: "no_template_tags" }] });
  });

  it("refuses values nested too deep before any gate's own rule", () => {
    let deep: unknown = "<b>";
    for (let level = 0; level <= MAX_NESTING; level++) deep = { deeper: deep };
    expect(together({ recipient: "ada@example.com", variables: { deep: deep as Record<string, unknown> } }, [BRACES])).toMatchObject({ issues: [{ rule: "max_depth" }] });
  });
});
