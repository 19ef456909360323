/**
 * A browser supplies data, never markup: a variable that looks like HTML (a tag, a comment, a doctype) is
 * refused, whatever the action's own schema says, so no template can be made to carry a page's raw HTML.
 */
import type { ValidationIssue } from "../../core/public.ts";
import { Refusal } from "../problem.ts";
import { walkStrings } from "./walk.ts";

/** The start of a tag, end tag, comment, doctype or processing instruction. `a < b` and `<3` stay allowed. */
const MARKUP = /<[A-Za-z!/?]/;

/**
 * Refuses (422) any string in `fields` that holds markup (and, like the header check, values nested too deep).
 *
 * @example
 * refuseMarkup({ variables });
 */
export function refuseMarkup(fields: Record<string, unknown>): void {
  const issues: ValidationIssue[] = [];
  walkStrings(
    fields,
    undefined,
    () => undefined,
    (value, path) => {
      if (MARKUP.test(value)) issues.push({ path, rule: "no_markup", message: "must be plain text, not HTML" });
    },
  );
  if (issues.length) throw new Refusal("validation", "variables must be plain text", { issues });
}
