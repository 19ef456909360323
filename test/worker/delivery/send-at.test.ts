/**
 * `parseSendAt`: the one reading of a scheduled send's time, for the `Send-At` header, a batch item's `sendAt`
 * and a browser action's `sendAt`. Every refusal is a 422 naming the field and the rule.
 */
import { describe, expect, it } from "vitest";
import { MAX_SEND_AT_AHEAD_MS, parseSendAt } from "../../../src/worker/delivery/send-at.ts";
import { Refusal } from "../../../src/worker/problem.ts";

const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const rule = { path: "headers.send-at", now };

function refusal(value: unknown, options: Partial<typeof rule> & { maxAheadMs?: number } = {}) {
  try {
    parseSendAt(value, { ...rule, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(Refusal);
    return (error as Refusal).problem;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe("parseSendAt", () => {
  it("reads an RFC 3339 date-time in UTC or with an offset, with or without a fraction", () => {
    expect(parseSendAt("2026-12-07T09:00:00Z", rule)).toBe(Date.UTC(2026, 11, 7, 9));
    expect(parseSendAt("2026-12-07T11:00:00+02:00", rule)).toBe(Date.UTC(2026, 11, 7, 9));
    expect(parseSendAt("2026-12-07T04:30:00-04:30", rule)).toBe(Date.UTC(2026, 11, 7, 9));
    expect(parseSendAt("2026-12-07t09:00:00.250z", rule)).toBe(Date.UTC(2026, 11, 7, 9, 0, 0, 250));
  });

  it("no value is no schedule", () => {
    expect(parseSendAt(undefined, rule)).toBeUndefined();
    expect(parseSendAt(null, rule)).toBeUndefined();
  });

  it.each([
    ["a date without a time", "2026-12-07"],
    ["a time without its offset", "2026-12-07T09:00:00"],
    ["a day the month does not have", "2027-02-29T09:00:00Z"],
    ["a 25th hour", "2026-12-07T24:00:00Z"],
    ["a leap second", "2026-12-31T23:59:60Z"],
    ["seconds since the epoch", 1_797_000_000],
    ["a sentence", "tomorrow at nine"],
    ["an HTTP date", "Mon, 07 Dec 2026 09:00:00 GMT"],
  ])("refuses %s: rule date_time, at the field's path", (_name, value) => {
    const problem = refusal(value);
    expect(problem).toMatchObject({ status: 422, kind: "validation", issues: [{ path: "headers.send-at", rule: "date_time" }] });
    expect(problem.detail).toContain("RFC 3339");
  });

  it("refuses a time not in the future: rule future", () => {
    expect(refusal("2026-12-06T12:00:00Z").issues).toMatchObject([{ rule: "future", message: "must be in the future" }]);
    expect(refusal("2020-01-01T00:00:00Z").issues).toMatchObject([{ rule: "future" }]);
  });

  it("allows 30 days ahead and refuses a second more: rule max_ahead", () => {
    expect(parseSendAt(new Date(now + MAX_SEND_AT_AHEAD_MS).toISOString(), rule)).toBe(now + MAX_SEND_AT_AHEAD_MS);
    const problem = refusal(new Date(now + MAX_SEND_AT_AHEAD_MS + 1000).toISOString(), { path: "messages[3].sendAt" });
    expect(problem.issues).toEqual([{ path: "messages[3].sendAt", rule: "max_ahead", message: "must be at most 30 days ahead" }]);
  });

  it("holds a shorter limit when one is given (an action's), never a longer one", () => {
    expect(refusal(new Date(now + 2 * 3600_000 + 1000).toISOString(), { maxAheadMs: 2 * 3600_000 }).issues).toMatchObject([{ rule: "max_ahead", message: "must be at most 2 hours ahead" }]);
    expect(refusal(new Date(now + MAX_SEND_AT_AHEAD_MS + 1000).toISOString(), { maxAheadMs: 10 * MAX_SEND_AT_AHEAD_MS }).issues).toMatchObject([{ rule: "max_ahead" }]);
  });
});
