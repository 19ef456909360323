/**
 * A browser's variables are data. Where a vendor evaluates its own template syntax inside the values it
 * substitutes (`EVALUATED_SYNTAX` in policy.ts), a variable holding that syntax would make the message
 * read subscriber fields or other data the page never supplied; such a variable is refused.
 */
import type { ValidationIssue } from "../../core/public.ts";
import type { EvaluatedSyntax } from "../policy.ts";
import { Refusal } from "../problem.ts";
import { walkStrings } from "./walk.ts";

/**
 * Refuses (422, rule `no_template_tags`) any string in `fields` that holds the vendor's evaluated syntax.
 *
 * @example
 * refuseTemplateTags({ variables }, EVALUATED_SYNTAX.expertsender);
 */
export function refuseTemplateTags(fields: Record<string, unknown>, syntax: EvaluatedSyntax | undefined): void {
  if (!syntax) return;
  const issues: ValidationIssue[] = [];
  walkStrings(
    fields,
    undefined,
    () => undefined,
    (value, path) => {
      if (syntax.pattern.test(value)) issues.push({ path, rule: "no_template_tags", message: `must not contain ${syntax.description}` });
    },
  );
  if (issues.length) throw new Refusal("validation", "variables must not hold the email service's template tags", { issues });
}
