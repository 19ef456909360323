/**
 * valibot glue shared by every vendor: turning issues into `ValidationIssue`s, and naming vendor rules so a
 * failure says which rule broke (`listmonk_mode`, `everlytic_unique_fields`, ...), not just "check".
 */
import * as v from "valibot";
import type { ValidationIssue } from "./outcome.ts";

/** `a.b.0.c` from a valibot issue path; the root is `""`. */
function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String((item as { key: unknown }).key)).join(".");
}

/** Flattens valibot issues (unions report their branches' issues nested) into `ValidationIssue`s. */
export function toValidationIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    // A union whose branches all failed: its branches' own issues say more than "invalid type".
    if (issue.issues?.length && issue.type === "union") {
      // Branch issues' paths start at the union, so each gets the union's own path in front.
      const branches = issue.issues.map((branch) => ({ ...branch, path: [...(issue.path ?? []), ...(branch.path ?? [])] }));
      out.push(...toValidationIssues(branches as typeof issue.issues));
      continue;
    }
    out.push({ path: issuePath(issue), rule: ruleName(issue), message: issue.message });
  }
  return out;
}

/**
 * The rule an issue broke. valibot reports a missing key and an unknown key as issues of the object schema;
 * callers want to read "required" and "unknown_field".
 */
function ruleName(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === "schema" && issue.type.endsWith("object")) {
    if (issue.expected === "never") return "unknown_field";
    if (issue.received === "undefined") return "required";
  }
  return issue.type;
}

/**
 * A named cross-field rule. `check` returns the failures it finds, each with the path (relative to the value
 * checked) and a message; the rule's name becomes every issue's `rule`.
 */
export function rule<T>(
  name: string,
  check: (input: T) => readonly { path: readonly (string | number)[]; message: string }[],
): v.RawCheckAction<T> {
  const action = v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const failure of check(dataset.value)) {
      addIssue({
        message: failure.message,
        // valibot path items carry the key; the other fields are informational.
        path: failure.path.length
          ? (failure.path.map((key) => ({ type: "object", origin: "value", input: dataset.value, key, value: undefined })) as never)
          : undefined,
      });
    }
  });
  return named(name, action);
}

/**
 * Renames a valibot action so its issues carry `name` as their rule. An action's `~run` reports its own
 * `type` as the issue type, so a renamed copy reports the new name.
 */
export function named<A extends { readonly type: string }>(name: string, action: A): A {
  return { ...action, type: name };
}

/** No CR or LF: a string that reaches a mail header must not be able to start a new header. */
export const noLineBreaks = named("no_line_breaks", v.regex<string, string>(/^[^\r\n]*$/, "must not contain CR or LF"));

/**
 * valibot's object and record schemas accept arrays (an array is an object); JSON Schema's `type: object` does
 * not. `plainObject(schema)` refuses anything but a non-array object first, as rule `object`.
 */
export function plainObject<S extends v.GenericSchema>(schema: S) {
  const isPlainObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  return v.pipe(named("object", v.custom<v.InferInput<S>>(isPlainObject, "must be an object")), schema);
}
