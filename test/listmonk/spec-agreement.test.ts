/**
 * valibot (what the client enforces) and specs/listmonk.yaml (what the wire allows) agree: the same invalid
 * messages are refused by both, and the same valid messages accepted by both. (That every body the client
 * actually sent is valid under the spec is checked by the double in every listmonk test file.)
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ListmonkMessageSchema } from "../../src/listmonk/index.js";
import { toTxMessage } from "../../src/listmonk/request.js";
import { specErrors } from "../support/spec.js";
import { invalidListmonkMessages, validListmonkMessages } from "./fixtures.js";

// Attachments travel as multipart parts, not JSON fields: those rules are valibot's alone.
const wireCases = invalidListmonkMessages.filter(([, input]) => !("attachments" in (input as object)));

describe("valibot and the spec refuse the same messages", () => {
  it.each(wireCases)("%s", (_, input) => {
    expect(v.safeParse(ListmonkMessageSchema, input).success).toBe(false);
    expect(specErrors("listmonk", "TxMessage", input)).not.toEqual([]);
  });
});

describe("valibot and the spec accept the same messages", () => {
  it.each(validListmonkMessages)("%s", (_, input) => {
    const parsed = v.safeParse(ListmonkMessageSchema, input);
    expect(parsed.issues ?? []).toEqual([]);
    expect(specErrors("listmonk", "TxMessage", toTxMessage(parsed.output as never))).toEqual([]);
  });
});
