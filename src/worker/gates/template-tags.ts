/**
 * A browser's variables are data. Where a vendor evaluates its own template syntax inside the values it
 * substitutes (its descriptor's `evaluatedSyntax`), a variable holding that syntax would make the message
 * read subscriber fields or other data the page never supplied; such a variable is refused.
 */
import type { EvaluatedSyntax } from "../policy.ts";
import { Refusal } from "../problem.ts";
import { passTextGates, type TextGate } from "./walk.ts";

/** The rule for `syntax`, for every string it is given (`under` the field named). */
function templateTagsGate(syntax: EvaluatedSyntax, under: string | undefined): TextGate {
  return {
    under,
    check: (value, path) => (syntax.pattern.test(value) ? { path, rule: "no_template_tags", message: `must not contain ${syntax.description}` } : undefined),
    refuse: (issues) => new Refusal("validation", "variables must not hold the email service's template tags", { issues }),
  };
}

/** Each vendor's gate, made once: a syntax is its descriptor's, the same object on every request. */
const gates = new WeakMap<EvaluatedSyntax, TextGate>();

/**
 * The template-tags gate for `passTextGates`: no string under `variables` may hold the syntax a vendor evaluates;
 * `undefined` (no gate) for a vendor that evaluates none.
 *
 * @example
 * passTextGates({ recipient, variables }, [noTemplateTags(config.served.get(vendor)?.evaluatedSyntax)]);
 */
export function noTemplateTags(syntax: EvaluatedSyntax | undefined): TextGate | undefined {
  if (!syntax) return undefined;
  let gate = gates.get(syntax);
  if (!gate) gates.set(syntax, (gate = templateTagsGate(syntax, "variables")));
  return gate;
}

/**
 * Refuses (422, rule `no_template_tags`) any string in `fields` that holds the vendor's evaluated syntax.
 *
 * @example
 * refuseTemplateTags({ variables }, descriptor.evaluatedSyntax);
 */
export function refuseTemplateTags(fields: Record<string, unknown>, syntax: EvaluatedSyntax | undefined): void {
  if (syntax) passTextGates(fields, [templateTagsGate(syntax, undefined)]);
}
