/**
 * The walk the text gates (header-text.ts, markup.ts, template-tags.ts) make over a browser's fields: every
 * string, depth first in document order, with an explicit stack rather than recursion, so no nesting can overflow
 * the call stack. One walk serves every gate (`passTextGates`). Browser variables are a template's data, a few
 * levels deep at most: a value nested deeper than `MAX_NESTING` levels is refused (422) without being walked.
 */
import type { ValidationIssue } from "../../core/public.ts";
import { Refusal } from "../problem.ts";

/** How many levels of objects and arrays a browser's fields may nest (`variables` itself is level 1). */
export const MAX_NESTING = 16;

/**
 * Refuses (422) a JSON value whose objects and arrays nest deeper than `maxDepth` levels (the value itself being
 * level 1), before anything recursive (a schema, `structuredClone`) walks it and overflows the stack.
 *
 * @example
 * requireMaxDepth(JSON.parse(text), 64);
 */
export function requireMaxDepth(value: unknown, maxDepth: number): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (!current || typeof current !== "object") continue;
    if (depth > maxDepth) throw tooDeep(maxDepth, "");
    for (const item of Object.values(current)) stack.push({ value: item, depth: depth + 1 });
  }
}

/** The refusal (422) of a value nested deeper than `maxDepth` levels, at `path`. */
function tooDeep(maxDepth: number, path: string): Refusal {
  return new Refusal("validation", `values may nest at most ${maxDepth} levels deep`, {
    issues: [{ path: path.slice(0, 200), rule: "max_depth", message: `must not nest more than ${maxDepth} levels deep` }],
  });
}

/**
 * Calls `visit` for each string under `fields` with its dotted path (`variables.items.0`) and a flag that
 * `flag(path, parentFlag)` derives along the way (`initial` at the top). A `validation` refusal when an
 * object or array sits deeper than `MAX_NESTING` levels.
 *
 * @example
 * walkStrings({ variables }, false, (path, inText) => inText || multiline.has(path), (value, path, inText) => check(value));
 */
export function walkStrings<F>(
  fields: Record<string, unknown>,
  initial: F,
  flag: (path: string, parent: F) => F,
  visit: (value: string, path: string, flag: F) => void,
): void {
  const stack: { value: unknown; path: string; depth: number; flag: F }[] = [{ value: fields, path: "", depth: 0, flag: initial }];
  while (stack.length) {
    const { value, path, depth, flag: current } = stack.pop()!;
    if (typeof value === "string") {
      visit(value, path, current);
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth > MAX_NESTING) throw tooDeep(MAX_NESTING, path);
    const entries = Object.entries(value);
    // Pushed last to first, so they come off the stack in document order.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index]!;
      const itemPath = path ? `${path}.${key}` : key;
      stack.push({ value: item, path: itemPath, depth: depth + 1, flag: flag(itemPath, current) });
    }
  }
}

/**
 * One text gate: a rule each string must keep, and the refusal naming the strings that break it.
 *
 * @example
 * const gate: TextGate = { under: "variables", check: (value, path) => (value.includes("\0") ? { path, rule: "no_nul", message: "must not hold NUL" } : undefined), refuse: (issues) => new Refusal("validation", "bad text", { issues }) };
 */
export interface TextGate {
  /** The one top-level field whose strings it reads (`variables`); every string when `undefined`. */
  readonly under: string | undefined;
  /** The issue with one string, if it breaks the rule; `multiline` when the string sits at or under a multi-line path. */
  check(value: string, path: string, multiline: boolean): ValidationIssue | undefined;
  /** The refusal for the issues found, in document order. */
  refuse(issues: ValidationIssue[]): Refusal;
}

/**
 * Walks `fields` once for every gate, then throws the first gate's refusal (in the order given) that found an
 * issue, as if each gate had walked alone in that order. `options.multiline` names the paths (`variables.message`)
 * whose strings may break lines; `undefined` gates are skipped.
 *
 * @example
 * passTextGates({ recipient, variables }, [HEADER_TEXT, PLAIN_TEXT], { multiline: ["variables.message"] });
 */
export function passTextGates(fields: Record<string, unknown>, gates: readonly (TextGate | undefined)[], options: { readonly multiline?: readonly string[] } = {}): void {
  const active = gates.filter((gate): gate is TextGate => gate !== undefined);
  const found: ValidationIssue[][] = active.map(() => []);
  // What a string's path starts with when it sits under a gate's field; "" for a gate that reads every string.
  const prefixes = active.map((gate) => (gate.under === undefined ? "" : `${gate.under}.`));
  const multiline = new Set(options.multiline ?? []);
  walkStrings(
    fields,
    false,
    (path, inText) => inText || multiline.has(path),
    (value, path, inText) => {
      for (let index = 0; index < active.length; index++) {
        if (!path.startsWith(prefixes[index]!)) continue;
        const issue = active[index]!.check(value, path, inText);
        if (issue) found[index]!.push(issue);
      }
    },
  );
  for (let index = 0; index < active.length; index++) if (found[index]!.length) throw active[index]!.refuse(found[index]!);
}
