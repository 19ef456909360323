import { describe, expect, it } from "vitest";
import { actions } from "../../../worker/actions.ts";
import { refuseTemplateTags } from "../../../src/worker/gates/template-tags.ts";
import { Refusal } from "../../../src/worker/problem.ts";
import { actionVendors, type EvaluatedSyntax } from "../../../src/worker/policy.ts";
import { EVALUATED_SYNTAX } from "../../../src/vendors/registry.ts";

const issuesOf = (variables: Record<string, unknown>, syntax: EvaluatedSyntax | undefined) => {
  try {
    refuseTemplateTags({ variables }, syntax);
    return [];
  } catch (error) {
    return (error as Refusal).problem.issues!.map((issue) => `${issue.path} ${issue.rule}`);
  }
};
/** The syntax of the vendor an action's template is sent through (each has one vendor here). */
const syntaxOf = (name: keyof typeof actions) => EVALUATED_SYNTAX[actionVendors(actions[name])[0]!];

describe("a vendor's evaluated template syntax in browser variables", () => {
  it("ExpertSender: personalization tags (*[...]*), which it evaluates inside snippets, are refused wherever they sit", () => {
    const syntax = syntaxOf("welcome");
    expect(issuesOf({ firstName: "*[subscriber_firstname]*" }, syntax)).toEqual(["variables.firstName no_template_tags"]);
    expect(issuesOf({ firstName: "Pat *[tr_other]* x", list: ["a", "b*[c"] }, syntax)).toEqual(["variables.firstName no_template_tags", "variables.list.1 no_template_tags"]);
    expect(issuesOf({ firstName: "Pat [sic] *star*" }, syntax)).toEqual([]);
  });
  it.each([["password-changed", "Act-On"], ["contact-form", "Everlytic"]] as const)("%s (%s): {{ }} personalization is refused", (name, _vendor) => {
    const syntax = syntaxOf(name);
    expect(issuesOf({ name: "{{First Name}}" }, syntax)).toEqual(["variables.name no_template_tags"]);
    expect(issuesOf({ name: "x }} y" }, syntax)).toEqual(["variables.name no_template_tags"]);
    expect(issuesOf({ name: "{ single braces }" }, syntax)).toEqual([]);
  });
  it("listmonk: nothing is refused (Go templates print data, they never evaluate it)", () => {
    expect(syntaxOf("order-shipped")).toBeUndefined();
    expect(issuesOf({ carrier: "{{ .Subscriber.Email }}" }, syntaxOf("order-shipped"))).toEqual([]);
  });
});
