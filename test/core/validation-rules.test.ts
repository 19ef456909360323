/**
 * The shared validation pieces on their own: issue paths that cannot be misread, records that neither drop
 * nor lose a key, JSON values that reach the wire exactly as checked, and a guard that turns a throwing read
 * into an issue.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { formatPath, joinPath, jsonValue, MAX_JSON_DEPTH, plainObject, record, toValidationIssues, validateInput } from "../../src/core/validation.js";
import { pathKeys } from "./path-notation.js";

const issuesOf = (schema: v.GenericSchema, input: unknown) => {
  const checked = validateInput(schema, input);
  return checked.success ? [] : checked.issues.map((issue) => `${issue.path} ${issue.rule}`);
};

describe("issue paths are unambiguous", () => {
  it.each<[(string | number)[], string]>([
    [[], ""],
    [["subscriber_emails", 1], "subscriber_emails.1"],
    [["headers", 0, "X-Order-Id"], "headers.0.X-Order-Id"],
    [[""], '[""]'],
    [["headers", ""], 'headers[""]'],
    [["data", "a.b"], 'data["a.b"]'],
    [["data", "a.b", 0, "c"], 'data["a.b"].0.c'],
    [["data", 'say "hi"'], 'data["say \\"hi\\""]'],
    [["data", "x[0]"], 'data["x[0]"]'],
    [["data", "two words"], 'data["two words"]'],
    [["data", "line\nbreak"], 'data["line\\nbreak"]'],
    [["(call)", "signal"], '["(call)"].signal'],
    [["unique_fields", 0, "joe@example.com"], 'unique_fields.0["joe@example.com"]'],
  ])("%j → %s, and back", (keys, path) => {
    expect(formatPath(keys)).toBe(path);
    expect(pathKeys(path)).toEqual(keys);
  });

  it("an unknown key spelled \"\" is not the root", () => {
    expect(issuesOf(v.strictObject({ a: v.string() }), { a: "x", "": 1 })).toEqual(['[""] unknown_field']);
  });

  it("joins a prefix to a path in either form", () => {
    expect(joinPath("variables", "name")).toBe("variables.name");
    expect(joinPath("variables", '[""]')).toBe('variables[""]');
    expect(joinPath("variables", "")).toBe("variables");
    expect(joinPath("", 'x["a.b"]')).toBe('x["a.b"]');
  });
});

describe("records keep every key (rule reserved_key for __proto__)", () => {
  const Strings = plainObject(record(v.string(), v.string()));

  it("carries constructor and prototype as ordinary keys, checked and kept", () => {
    expect(v.parse(Strings, { constructor: "c", prototype: "p", name: "n" })).toEqual({ constructor: "c", prototype: "p", name: "n" });
    expect(Object.keys(v.parse(Strings, { constructor: "c" }))).toEqual(["constructor"]);
    expect(issuesOf(Strings, { constructor: 5 })).toEqual(["constructor string"]);
    expect(issuesOf(Strings, { prototype: null })).toEqual(["prototype string"]);
  });

  it("refuses __proto__ by name instead of dropping it", () => {
    expect(issuesOf(Strings, JSON.parse('{"__proto__": "x", "name": "n"}'))).toEqual(["__proto__ reserved_key"]);
  });

  it("counts every key for entry limits", () => {
    const One = v.pipe(record(v.string(), v.string()), v.maxEntries(1));
    expect(issuesOf(One, { a: "1", constructor: "2" })).toEqual(["max_entries"].map((rule) => ` ${rule}`));
  });

  it("refuses what is not a plain object", () => {
    for (const input of [new Map([["a", "b"]]), new Date(0), Object.assign(Object.create({ inherited: 1 }), { a: "b" }), new (class Vars {})()]) {
      expect(issuesOf(Strings, input)).toEqual([" object"]);
    }
    expect(v.parse(Strings, Object.assign(Object.create(null), { a: "b" }))).toEqual({ a: "b" });
  });
});

describe("JSON values: plain JSON only, read once, sent as checked", () => {
  const Data = plainObject(jsonValue<Record<string, unknown>>());
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays

  it.each<[string, unknown, string]>([
    ["a Map", { m: new Map([["a", 1]]) }, "m json_value"],
    ["a Set", { s: new Set([1]) }, "s json_value"],
    ["a Date", { d: new Date(0) }, "d json_value"],
    ["a typed array", { t: new Uint8Array(2) }, "t json_value"],
    ["a boxed string", { b: new String("x") }, "b json_value"],
    ["a boxed number", { b: new Number(1) }, "b json_value"],
    ["an object with toJSON", { o: { toJSON: () => 5 } }, "o.toJSON json_value"],
    ["a class instance", { c: new (class Order {})() }, "c json_value"],
    ["NaN", { n: NaN }, "n json_value"],
    ["Infinity", { n: [Infinity] }, "n.0 json_value"],
    ["undefined inside", { u: undefined }, "u json_value"],
    ["an array hole", { list: sparse }, "list.1 json_value"],
    ["a BigInt", { total: 10n }, "total json_value"],
    ["a function", { f: () => 1 }, "f json_value"],
    ["a symbol key", { [Symbol("s")]: 1 }, " json_value"],
    ["__proto__ deep inside", { a: [JSON.parse('{"__proto__": {}}')] }, "a.0.__proto__ reserved_key"],
    ["an unusual key's bad value", { "a.b": NaN }, 'data["a.b"] json_value'.slice("data".length)],
  ])("%s is refused at its path", (_, input, expected) => {
    expect(issuesOf(Data, input)).toEqual([expected]);
  });

  it("a cycle is refused, a shared object is not", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(issuesOf(Data, cyclic)).toEqual(["self.back json_value"]);
    const shared = { x: 1 };
    expect(v.parse(Data, { a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it("nesting far deeper than the stack allows is refused by depth, without a throw", () => {
    let deep: unknown = "leaf";
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const issues = issuesOf(Data, { deep });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/ json_depth$/);
    let allowed: unknown = "leaf";
    for (let level = 1; level < MAX_JSON_DEPTH; level++) allowed = [allowed];
    expect(issuesOf(Data, { allowed })).toEqual([]);
  });

  it("returns a copy read once: a getter answering differently later changes nothing", () => {
    let reads = 0;
    const input = {
      get total() {
        return ++reads === 1 ? 10 : "changed";
      },
      nested: { list: [1, "two", null, true, { deeper: "x" }] },
    };
    const output = v.parse(Data, input);
    expect(JSON.stringify(output)).toBe('{"total":10,"nested":{"list":[1,"two",null,true,{"deeper":"x"}]}}');
    expect(reads).toBe(1);
    expect(output.nested).not.toBe(input.nested);
  });

  it("constructor and prototype are ordinary keys at any depth", () => {
    expect(JSON.stringify(v.parse(Data, { constructor: { prototype: 1 } }))).toBe('{"constructor":{"prototype":1}}');
  });
});

describe("validateInput never throws", () => {
  const Message = v.strictObject({ subject: v.string(), data: v.optional(plainObject(jsonValue())) });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();

  it.each<[string, unknown, string]>([
    ["a throwing getter", { get subject(): string { throw new Error("boom"); } }, " unreadable_input"],
    ["a revoked Proxy", revoked.proxy, " unreadable_input"],
    ["a Proxy whose traps throw", new Proxy({}, { get() { throw new Error("trap"); }, has() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } }), " unreadable_input"],
    ["a throwing getter inside data", { subject: "s", data: { get x() { throw new Error("boom"); } } }, "data.x unreadable_input"],
  ])("%s is an unreadable_input issue", (_, input, expected) => {
    expect(issuesOf(Message, input)).toEqual([expected]);
  });

  it("turns valibot's issues into ValidationIssues", () => {
    const parsed = v.safeParse(Message, { subject: 1 });
    expect(validateInput(Message, { subject: 1 })).toEqual({ success: false, issues: toValidationIssues(parsed.issues!) });
  });
});
