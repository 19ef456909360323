/**
 * valibot (what the client enforces) and specs/acton.yaml (what the wire allows) agree: the same invalid messages
 * are refused by both, and the same valid messages accepted by both (test/vendors/conformance.test.ts, from
 * ./fixtures.ts), except in the one way they are known to differ, here. (That every body the client actually sent
 * is valid under the spec is checked by the double in every Act-On test file.)
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ActOnMessageSchema } from "../../src/acton/index.js";
import { specProblems, validActOnMessages } from "./fixtures.js";

describe("the one known difference: lengths", () => {
  it("counts UTF-16 units, so astral characters reach the limit sooner than JSON Schema's code points", async () => {
    const subjectLine = "🚚".repeat(46); // 46 code points, 92 UTF-16 units
    const input = { ...validActOnMessages[1]![1], content: { subjectLine } };
    expect(await specProblems(input)).toEqual([]);
    expect(v.safeParse(ActOnMessageSchema, input).success).toBe(false);
  });
});
