/**
 * The shared validation pieces on their own: issue paths that cannot be misread, records that neither drop
 * nor lose a key, and a guard that turns a throwing read into an issue.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { formatPath, joinPath, plainObject, record, toValidationIssues, validateInput } from "../../src/core/validation.js";
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

describe("validateInput never throws", () => {
  const Message = v.strictObject({ subject: v.string() });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();

  it.each<[string, unknown, string]>([
    ["a throwing getter", { get subject(): string { throw new Error("boom"); } }, " unreadable_input"],
    ["a revoked Proxy", revoked.proxy, " unreadable_input"],
    ["a Proxy whose traps throw", new Proxy({}, { get() { throw new Error("trap"); }, has() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } }), " unreadable_input"],
  ])("%s is an unreadable_input issue", (_, input, expected) => {
    expect(issuesOf(Message, input)).toEqual([expected]);
  });

  it("turns valibot's issues into ValidationIssues", () => {
    const parsed = v.safeParse(Message, { subject: 1 });
    expect(validateInput(Message, { subject: 1 })).toEqual({ success: false, issues: toValidationIssues(parsed.issues!) });
  });
});
