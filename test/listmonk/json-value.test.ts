/**
 * listmonk's free-form template data (`data`): plain JSON only, read once, sent exactly as checked.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { plainObject, validateInput } from "../../src/core/validation.js";
import { jsonValue, MAX_JSON_DEPTH } from "../../src/listmonk/json-value.js";

const issuesOf = (schema: v.GenericSchema, input: unknown) => {
  const checked = validateInput(schema, input);
  return checked.success ? [] : checked.issues.map((issue) => `${issue.path} ${issue.rule}`);
};

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

  it("a throwing getter inside the data is an unreadable_input issue at its path", () => {
    const Message = v.strictObject({ subject: v.string(), data: v.optional(Data) });
    expect(issuesOf(Message, { subject: "s", data: { get x() { throw new Error("boom"); } } })).toEqual(["data.x unreadable_input"]);
  });

  it("constructor and prototype are ordinary keys at any depth", () => {
    expect(JSON.stringify(v.parse(Data, { constructor: { prototype: 1 } }))).toBe('{"constructor":{"prototype":1}}');
  });
});
