/**
 * Free-form JSON template data: the one vendor field that takes any JSON the caller writes, so the one place a
 * value is copied whole before it is sent.
 */
import * as v from "valibot";
import { isPlainObject, issueAt, named, RESERVED_KEY, UNREADABLE } from "../core/validation.ts";

/** A value JSON can carry as it is: what `jsonValue` accepts and returns. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How deep a JSON value may nest. Far beyond any template's data, and far within every runtime's stack. */
export const MAX_JSON_DEPTH = 64;
/** How many values (objects, arrays and scalars) one JSON value may hold; an object reused many times counts each time. */
export const MAX_JSON_VALUES = 1_000_000;

/** One property read, blamed on its own path when a getter or Proxy trap throws. */
function read(object: object, key: string | number, keys: (string | number)[]): unknown {
  try {
    return (object as Record<string | number, unknown>)[key];
  } catch {
    throw new JsonProblem("unreadable_input", keys, UNREADABLE);
  }
}

// Plain fields, not parameter properties: Node's type stripping refuses those, and src/ runs as it is.
class JsonProblem {
  readonly rule: string;
  readonly keys: (string | number)[];
  readonly message: string;

  constructor(rule: string, keys: (string | number)[], message: string) {
    this.rule = rule;
    this.keys = keys;
    this.message = message;
  }
}

const JSON_VALUE = "must be a JSON value: a string, a finite number, true, false, null, a plain object or a dense array";

/**
 * Reads a JSON value once and copies it, so what is sent is exactly what was checked (a getter cannot answer
 * differently the second time) and `JSON.stringify` has nothing to change: no `toJSON`, no `Map` sent as `{}`,
 * no `NaN` sent as `null`, no `undefined` or array hole dropped or nulled.
 */
function copyJson(root: unknown): unknown {
  const ancestors = new Set<object>();
  let count = 0;
  const copy = (value: unknown, keys: (string | number)[]): unknown => {
    if (++count > MAX_JSON_VALUES) throw new JsonProblem("json_size", keys, `must hold at most ${MAX_JSON_VALUES} values`);
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") {
      if (Number.isFinite(value)) return value;
      throw new JsonProblem("json_value", keys, "must be a finite number (JSON has no NaN or Infinity)");
    }
    if (typeof value !== "object") throw new JsonProblem("json_value", keys, `${JSON_VALUE}, not ${typeof value}`);
    if (ancestors.has(value)) throw new JsonProblem("json_value", keys, "must not contain itself");
    if (keys.length >= MAX_JSON_DEPTH) throw new JsonProblem("json_depth", keys, `must not nest deeper than ${MAX_JSON_DEPTH} levels`);
    ancestors.add(value);
    try {
      if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
        const items: unknown[] = [];
        for (let index = 0; index < value.length; index++) {
          if (!(index in value)) throw new JsonProblem("json_value", [...keys, index], "must not be a hole in an array (JSON would send null)");
          items.push(copy(read(value, index, [...keys, index]), [...keys, index]));
        }
        return items;
      }
      if (!isPlainObject(value)) {
        const kind = Object.prototype.toString.call(value).slice(8, -1);
        throw new JsonProblem("json_value", keys, `${JSON_VALUE}, not ${kind === "Object" ? "a class instance" : `a ${kind}`}`);
      }
      if (Object.getOwnPropertySymbols(value).length) throw new JsonProblem("json_value", keys, "must not have symbol keys (JSON drops them)");
      const fields: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === "__proto__") throw new JsonProblem("reserved_key", [...keys, key], RESERVED_KEY);
        fields[key] = copy(read(value, key, [...keys, key]), [...keys, key]);
      }
      return fields;
    } catch (error) {
      if (error instanceof JsonProblem) throw error;
      // A getter or Proxy trap threw while the value was read: say where.
      throw new JsonProblem("unreadable_input", keys, UNREADABLE);
    } finally {
      ancestors.delete(value);
    }
  };
  return copy(root, []);
}

/**
 * A JSON value, read once and returned as a plain copy (rule `json_value`, with `json_depth`, `json_size`,
 * `reserved_key` and `unreadable_input` for their own cases). Accepts plain objects, dense arrays, strings,
 * finite numbers, booleans and null, and nothing else.
 *
 * @example
 * const Data = plainObject(jsonValue<Record<string, unknown>>());
 */
export function jsonValue<T = JsonValue>(): v.CustomSchema<T, undefined> {
  const schema = v.custom<T>(() => true);
  return named("json_value", {
    ...schema,
    "~run"(dataset) {
      try {
        return { typed: true, value: copyJson(dataset.value) as T };
      } catch (error) {
        if (!(error instanceof JsonProblem)) throw error;
        return { typed: false, value: dataset.value, issues: [issueAt(error.rule, dataset.value, error.message, error.keys)] } as never;
      }
    },
  });
}
