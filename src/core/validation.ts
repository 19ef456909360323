/**
 * valibot glue shared by every vendor: turning issues into `ValidationIssue`s, naming vendor rules so a failure
 * says which rule broke, and the few schemas every vendor needs that valibot's own get wrong for a JSON wire:
 * records that keep every key, plain objects only.
 */
import * as v from "valibot";
import type { ValidationIssue } from "./outcome.ts";

/**
 * A key that can be written after a dot without being misread: no separator, quote, space or invisible
 * character, and no parenthesis (a path starting `(call)` is the send's options, not the message).
 */
const SIMPLE_KEY = /^[^\s.[\]()"\\\p{C}]+$/u;

/**
 * The path of a value inside the input: `a.b.0.c` for simple keys and array indexes, `a["b.c"]`, `headers[""]`
 * for any other key (JSON string quoting); the root is `""`.
 *
 * @example
 * formatPath(["data", "a.b", 0]); // 'data["a.b"].0'
 */
export function formatPath(keys: readonly (string | number)[]): string {
  let path = "";
  for (const key of keys) {
    if (typeof key === "number" || SIMPLE_KEY.test(key)) path += path ? `.${key}` : String(key);
    else path += `[${JSON.stringify(key)}]`;
  }
  return path;
}

/**
 * `path` (as `formatPath` writes it) inside the value at `parent`, e.g. a worker's `variables` plus an issue's path.
 *
 * @example
 * joinPath("variables", 'x["a.b"]'); // 'variables.x["a.b"]'
 * joinPath("variables", '[""]'); // 'variables[""]'
 */
export function joinPath(parent: string, path: string): string {
  if (!parent || !path) return parent || path;
  return path.startsWith("[") ? `${parent}${path}` : `${parent}.${path}`;
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  return formatPath((issue.path ?? []).map((item) => (item as { key: unknown }).key as string | number));
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

/** One failure a cross-field rule finds: where (relative to the value checked) and what. */
export interface RuleFailure {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * A named cross-field rule. `check` returns the failures it finds, each with the path (relative to the value
 * checked) and a message; the rule's name becomes every issue's `rule`.
 */
export function rule<T>(name: string, check: (input: T) => readonly RuleFailure[]): v.RawCheckAction<T> {
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
 * valibot's object and record schemas accept arrays, `Map`s, `Date`s and class instances (all are objects);
 * JSON Schema's `type: object` means a plain one. `plainObject(schema)` refuses anything else first, as rule `object`.
 */
export function plainObject<S extends v.GenericSchema>(schema: S) {
  return v.pipe(named("object", v.custom<v.InferInput<S>>(isPlainObject, "must be a plain object")), schema);
}

/**
 * A JSON object: its prototype is `Object.prototype` or `null`. A `Map`, `Set`, `Date`, class instance or boxed
 * primitive would reach the wire as `{}` or as whatever its `toJSON` says, not as the caller's data.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

type RecordKeySchema = Parameters<typeof v.record>[0];

/** An issue of a schema written here rather than by valibot, shaped as valibot shapes its issues. */
export function issueAt(type: string, input: unknown, message: string, keys: readonly (string | number)[]): v.BaseIssue<unknown> {
  return {
    kind: "schema",
    type,
    input,
    expected: null,
    received: typeof input,
    message,
    path: keys.length
      ? (keys.map((key) => ({ type: "object", origin: "value", input: undefined, key, value: undefined })) as never)
      : undefined,
  };
}

/** What a `reserved_key` issue says. */
export const RESERVED_KEY = "the key __proto__ cannot be sent: in JavaScript it sets an object's prototype instead of a field";

/**
 * valibot's `record`, except that every own key is checked and kept. valibot's own silently drops
 * `constructor` and `prototype` (and their values go unchecked); here they are ordinary keys, validated and
 * sent. `__proto__` is refused (rule `reserved_key`): it cannot be carried through JavaScript objects safely.
 *
 * @example
 * const Variables = record(v.string(), v.string());
 */
export function record<K extends RecordKeySchema, V extends v.GenericSchema>(key: K, value: V): v.RecordSchema<K, V, undefined> {
  const schema = v.record(key, value);
  return {
    ...schema,
    "~run"(dataset, config) {
      const input = dataset.value;
      if (!input || typeof input !== "object") return schema["~run"](dataset, config);
      const output: Record<string, unknown> = {};
      const issues: v.BaseIssue<unknown>[] = [];
      let typed = true;
      // Own enumerable string keys: exactly what JSON.stringify sends.
      for (const entryKey of Object.keys(input)) {
        const entryValue = (input as Record<string, unknown>)[entryKey];
        if (entryKey === "__proto__") {
          issues.push(issueAt("reserved_key", entryKey, RESERVED_KEY, [entryKey]));
          typed = false;
          continue;
        }
        for (const [part, origin] of [[key, "key"], [value, "value"]] as const) {
          const result = part["~run"]({ value: origin === "key" ? entryKey : entryValue }, config);
          for (const issue of result.issues ?? []) {
            const item = { type: "object", origin, input, key: entryKey, value: entryValue } as never;
            issues.push({ ...issue, path: origin === "key" ? [item] : [item, ...(issue.path ?? [])] });
          }
          if (!result.typed) typed = false;
          if (origin === "value") output[entryKey] = result.value;
        }
      }
      return (issues.length ? { typed, value: output, issues } : { typed, value: output }) as never;
    },
  };
}

/** What an `unreadable_input` issue says: reading the input threw. */
export const UNREADABLE = "could not be read: a getter or Proxy trap threw";

/** What `validateInput` found: the validated copy of the input, or the issues. */
export type InputCheck<T> = { readonly success: true; readonly output: T } | { readonly success: false; readonly issues: ValidationIssue[] };

/**
 * Validates a caller's input without ever throwing: input whose reading throws (a throwing getter, a revoked
 * Proxy) is refused as `unreadable_input`, never a rejected send. Callers send `output`, the copy that was
 * checked, never the input itself.
 *
 * @example
 * const checked = validateInput(AcmeMessageSchema, message);
 * if (!checked.success) return invalid("acme", checked.issues, redactor);
 */
export function validateInput<S extends v.GenericSchema>(schema: S, input: unknown): InputCheck<v.InferOutput<S>> {
  try {
    const parsed = v.safeParse(schema, input);
    return parsed.success ? { success: true, output: parsed.output } : { success: false, issues: toValidationIssues(parsed.issues) };
  } catch {
    return { success: false, issues: [{ path: "", rule: "unreadable_input", message: UNREADABLE }] };
  }
}
