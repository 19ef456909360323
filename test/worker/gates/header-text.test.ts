import { describe, expect, it } from "vitest";
import { checkHeaderText, HEADER_TEXT_MAX_LENGTH } from "../../../worker/gates/header-text.ts";
import { Refusal } from "../../../worker/problem.ts";

const issuesOf = (fields: Record<string, unknown>, multiline: string[] = []) => {
  try {
    checkHeaderText(fields, { multiline });
    return [];
  } catch (error) {
    return (error as Refusal).problem.issues!.map((issue) => `${issue.path} ${issue.rule}`);
  }
};

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
  ])("refuse %s", (_name, value) => {
    expect(issuesOf({ variables: { name: value } })).toEqual(["variables.name no_line_breaks"]);
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
  it("do not exempt their neighbours", () => {
    expect(issuesOf({ variables: { message: "a\nb", name: "c\nd" } }, ["variables.message"])).toEqual(["variables.name no_line_breaks"]);
  });
});
