import { describe, expect, it } from "vitest";
import { refuseMarkup } from "../../../worker/gates/markup.ts";

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
