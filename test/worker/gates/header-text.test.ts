import { describe, expect, it } from "vitest";
import { checkHeaderText, HEADER_TEXT_MAX_LENGTH } from "../../../src/worker/gates/header-text.ts";
import { MAX_NESTING } from "../../../src/worker/gates/walk.ts";
import { Refusal } from "../../../src/worker/problem.ts";

const issuesOf = (fields: Record<string, unknown>, multiline: string[] = []) => {
  try {
    checkHeaderText(fields, { multiline });
    return [];
  } catch (error) {
    return (error as Refusal).problem.issues!.map((issue) => `${issue.path} ${issue.rule}`);
  }
};

describe("invisible characters and lone surrogates", () => {
  it.each([
    ["a zero-width space (U+200B)", "Ada\u200b"],
    ["a zero-width non-joiner (U+200C)", "Ada\u200c"],
    ["a zero-width joiner (U+200D)", "Ada\u200d"],
    ["a left-to-right mark (U+200E)", "\u200eAda"],
    ["a right-to-left mark (U+200F)", "Ada\u200f"],
    ["the Arabic letter mark (U+061C)", "Ada\u061c"],
    ["a word joiner (U+2060)", "Ada\u2060"],
    ["an invisible plus (U+2064)", "Ada\u2064"],
    ["a byte-order mark (U+FEFF)", "\ufeffAda"],
    ["the Mongolian vowel separator (U+180E)", "Ada\u180e"],
    ["a soft hyphen (U+00AD)", "Ad\u00ada"],
    ["a tag character (U+E0041)", "Ada\u{e0041}"],
  ])("a one-line string refuses %s", (_name, value) => {
    expect(issuesOf({ variables: { name: value } })).toEqual(["variables.name no_invisible_characters"]);
  });
  it("a multi-line string may hold a zero-width joiner (emoji sequences), not a bidi control", () => {
    expect(issuesOf({ variables: { message: "Family: \u{1f468}\u200d\u{1f469}\u200d\u{1f467}\nBye" } }, ["variables.message"])).toEqual([]);
  });
  it.each([
    ["a high surrogate alone", "Ada\ud800"],
    ["a low surrogate alone", "\udc00Ada"],
    ["two low surrogates", "\udc00\udc00"],
  ])("every string refuses %s, which UTF-8 cannot carry", (_name, value) => {
    expect(issuesOf({ variables: { name: value, message: value } }, ["variables.message"])).toEqual(["variables.name well_formed_unicode", "variables.message well_formed_unicode"]);
  });
  it("a whole surrogate pair (an emoji) is a character like any other", () => {
    expect(issuesOf({ variables: { name: "Ada \u{1f600}" } })).toEqual([]);
  });
});

describe("strings that can reach a header", () => {
  it("pass when they are one line within 998 characters", () => {
    expect(issuesOf({ recipient: "ada@example.com", variables: { name: "Ada\tLovelace", n: 3, long: "x".repeat(HEADER_TEXT_MAX_LENGTH) } })).toEqual([]);
  });
  it.each([
    ["CRLF", "Ada\r\nBcc: x@evil.example"],
    ["LF", "Ada\nBcc: x@evil.example"],
    ["CR", "Ada\rBcc: x@evil.example"],
    ["NUL", "Ada\u0000"],
    ["DEL", "Ada\u007f"],
    ["a C1 control (U+0080)", "Ada\u0080"],
    ["NEL (U+0085)", "Ada\u0085Bcc: x@evil.example"],
    ["a C1 control (U+009F)", "Ada\u009f"],
    ["the line separator U+2028", "Ada\u2028Bcc: x@evil.example"],
    ["the paragraph separator U+2029", "Ada\u2029Bcc: x@evil.example"],
    ["a right-to-left override (U+202E)", "Invoice \u202efdp.exe"],
    ["a left-to-right embedding (U+202A)", "Ada\u202a"],
    ["a right-to-left isolate (U+2067)", "Ada\u2067x\u2069"],
    ["a first-strong isolate (U+2068)", "Ada\u2068"],
    ["a left-to-right isolate (U+2066)", "Ada\u2066"],
  ])("refuse %s", (_name, value) => {
    expect(issuesOf({ variables: { name: value } })).toEqual(["variables.name no_line_breaks"]);
  });
  it("keep accepting text beside those ranges (Latin-1 letters, other scripts, emoji, a no-break space)", () => {
    expect(issuesOf({ variables: { a: "Zoë Ångström", b: "\u00a0¡Hola!", c: "עברית العربية", d: "日本語 🙂", e: "a\u2027b\u202fc" } })).toEqual([]);
    // U+206A–U+206F (deprecated format characters) are category Cf: invisible, so refused in one-line text.
    expect(issuesOf({ variables: { e: "c\u206ad" } })).toEqual(["variables.e no_invisible_characters"]);
  });
  it("refuse a value over the line limit", () => {
    expect(issuesOf({ recipient: "x".repeat(HEADER_TEXT_MAX_LENGTH + 1) })).toEqual(["recipient max_length"]);
  });
  it("are checked at any depth, each reported", () => {
    expect(issuesOf({ variables: { a: ["ok", "b\r\n"], c: { d: "e\n" } } })).toEqual(["variables.a.1 no_line_breaks", "variables.c.d no_line_breaks"]);
  });
});

describe("multi-line variables", () => {
  it("may hold line breaks but no other control characters", () => {
    expect(issuesOf({ variables: { message: "Hello,\r\nthanks" } }, ["variables.message"])).toEqual([]);
    expect(issuesOf({ variables: { message: "Hello\u0007" } }, ["variables.message"])).toEqual(["variables.message no_control_characters"]);
  });
  it("refuse DEL, C1 controls and bidirectional formatting characters too, but may break lines with U+2028/U+2029", () => {
    for (const value of ["a\u007fb", "a\u0085b", "a\u009bb", "a\u202eb", "a\u2066b", "a\u2069b"]) {
      expect(issuesOf({ variables: { message: value } }, ["variables.message"])).toEqual(["variables.message no_control_characters"]);
    }
    expect(issuesOf({ variables: { message: "one\ttwo\r\nthree\nfour\u2028five\u2029six" } }, ["variables.message"])).toEqual([]);
  });
  it("are exempt by their own path, not by a key that only starts with it", () => {
    expect(issuesOf({ variables: { "message.x": "a\nb" } }, ["variables.message"])).toEqual(["variables.message.x no_line_breaks"]);
  });
  it("do not exempt their neighbours", () => {
    expect(issuesOf({ variables: { message: "a\nb", name: "c\nd" } }, ["variables.message"])).toEqual(["variables.name no_line_breaks"]);
  });
});

describe("nesting", () => {
  const nested = (levels: number, leaf: unknown = "x"): unknown => {
    let value = leaf;
    for (let n = 0; n < levels; n++) value = n % 2 ? [value] : { a: value };
    return value;
  };
  it(`walks values nested up to ${MAX_NESTING} levels (variables itself is the first)`, () => {
    expect(issuesOf({ variables: nested(MAX_NESTING, "b\n") })).toEqual([expect.stringMatching(/ no_line_breaks$/)]);
  });
  it("refuses deeper values with a validation problem, without walking them", () => {
    const thrown = (() => {
      try {
        checkHeaderText({ variables: nested(MAX_NESTING + 1) });
      } catch (error) {
        return error as Refusal;
      }
    })();
    expect(thrown).toBeInstanceOf(Refusal);
    expect(thrown!.problem).toMatchObject({ kind: "validation", status: 422, issues: [{ rule: "max_depth" }] });
  });
  it("refuses 100,000 levels as a validation problem, not a stack overflow", () => {
    expect(issuesOf({ variables: nested(100_000) })).toEqual([expect.stringMatching(/ max_depth$/)]);
  });
});
