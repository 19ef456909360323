/**
 * A browser supplies data, never markup: a variable that looks like HTML (a tag, a comment, a doctype) is
 * refused, whatever the action's own schema says, so no template can be made to carry a page's raw HTML.
 */
import { Refusal } from "../problem.ts";
import { passTextGates, type TextGate } from "./walk.ts";

/** The start of a tag, end tag, comment, doctype or processing instruction. `a < b` and `<3` stay allowed. */
const MARKUP = /<[A-Za-z!/?]/;

/** The rule, for every string it is given. */
const MARKUP_GATE: TextGate = {
  under: undefined,
  check: (value, path) => (MARKUP.test(value) ? { path, rule: "no_markup", message: "must be plain text, not HTML" } : undefined),
  refuse: (issues) => new Refusal("validation", "variables must be plain text", { issues }),
};

/**
 * The plain-text gate for `passTextGates`: no string under `variables` may hold markup.
 *
 * @example
 * passTextGates({ recipient, variables }, [PLAIN_TEXT]);
 */
export const PLAIN_TEXT: TextGate = { ...MARKUP_GATE, under: "variables" };

/**
 * Refuses (422) any string in `fields` that holds markup (and, like the header check, values nested too deep).
 *
 * @example
 * refuseMarkup({ variables });
 */
export function refuseMarkup(fields: Record<string, unknown>): void {
  passTextGates(fields, [MARKUP_GATE]);
}
