/**
 * The pieces the worker's configuration schemas (env.ts, vendor-settings.ts) are built from. Every setting is
 * optional text; each schema's message says what to write, and `describeIssue` puts the setting's name before it,
 * so the one `misconfigured` log line lists every wrong setting and how to fix it. No message quotes a value: the
 * settings include secrets.
 */
import * as v from "valibot";

/** A setting's text, trimmed; unset, blank or not text at all is `undefined`. */
const settingText = v.pipe(
  v.unknown(),
  v.transform((value): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined)),
);

/**
 * An optional setting: unset is `undefined`; set, its trimmed text must pass `rules` in turn (valibot schemas and
 * actions on a string).
 *
 * @example
 * const SANDBOX = optionalSetting(v.picklist(["true", "false"], "true or false"));
 */
export function optionalSetting<T = string>(...rules: readonly v.PipeItem<any, any, v.BaseIssue<unknown>>[]): v.GenericSchema<unknown, T | undefined> {
  // The pipe's items differ per setting, which valibot's overloads cannot follow; each caller's `T` states the result.
  const pipe = v.pipe as unknown as (...items: readonly unknown[]) => v.GenericSchema;
  const checked = rules.length ? pipe(v.string(), ...rules) : v.string();
  return pipe(settingText, v.optional(checked)) as v.GenericSchema<unknown, T | undefined>;
}

/**
 * Text that holds a whole number of at least 1, as that number.
 *
 * @example
 * const bytes = optionalSetting<number>(...wholeNumber("a whole number of bytes, at least 1"));
 */
export function wholeNumber(message: string) {
  return [v.regex(/^0*[1-9][0-9]*$/, message), v.transform(Number)] as const;
}

/**
 * Text that holds JSON, as the value it holds; `message` when it is not JSON.
 *
 * @example
 * const keys = optionalSetting<unknown[]>(parseJson("not JSON"), v.array(v.unknown(), "a JSON list"));
 */
export function parseJson(message: string) {
  return v.rawTransform<string, unknown>(({ dataset, addIssue, NEVER }) => {
    try {
      return JSON.parse(dataset.value) as unknown;
    } catch {
      addIssue({ message });
      return NEVER;
    }
  });
}

/**
 * Where a check across settings puts its issue: under `setting`, as an entry's own check would.
 *
 * @example
 * addIssue({ message: "JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_JWKS go together", path: settingPath("JWT_*") });
 */
export function settingPath(setting: string): [v.ObjectPathItem] {
  return [{ type: "object", origin: "value", input: {}, key: setting, value: undefined }];
}

/**
 * One issue as the operator reads it: the setting (and where inside it, for JSON settings) and what to fix,
 * `CALLER_KEYS[1].id (another key has this id: each id is unique)`; an issue about no one setting is its message.
 *
 * @example
 * const line = issues.map(describeIssue).join("; ");
 */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const [setting, ...inside] = (issue.path ?? []).map((item) => item.key);
  if (setting === undefined) return issue.message;
  return `${String(setting)}${inside.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")} (${issue.message})`;
}
