import { describe, expect, it } from "vitest";
import { refuseMarkup } from "../../../src/worker/gates/markup.ts";
import { Refusal } from "../../../src/worker/problem.ts";

describe("browser variables are plain text", () => {
  it.each([
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p>",
    "<!-- comment -->",
    "<!DOCTYPE html>",
    "<?xml ?>",
    "x<a href=//evil.example>y",
    // An address in angle brackets reads as a tag too: browsers send bare addresses.
    "Joe <joe@example.com>",
  ])("refuses %j", (value) => expect(() => refuseMarkup({ variables: { value } })).toThrow("plain text"));

  it.each(["a < b", "I <3 it", "5 > 4", "x <= y", "Tom & Jerry", "<"])("accepts %j", (value) => {
    expect(() => refuseMarkup({ variables: { value } })).not.toThrow();
  });
});

describe("nesting", () => {
  it("refuses variables nested 7,000 levels deep as a validation problem, not a stack overflow", () => {
    const variables = JSON.parse(`${'{"a":'.repeat(7000)}"<b>x</b>"${"}".repeat(7000)}`);
    let thrown: unknown;
    try {
      refuseMarkup({ variables });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Refusal);
    expect((thrown as Refusal).problem).toMatchObject({ kind: "validation", issues: [{ rule: "max_depth" }] });
  });
  it("still finds markup a few levels down", () => {
    expect(() => refuseMarkup({ variables: { list: [{ text: "<i>x</i>" }] } })).toThrow("plain text");
  });
});
