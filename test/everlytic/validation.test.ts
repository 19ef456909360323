/**
 * Bad input never reaches Everlytic: each case gets a `validation` outcome that names the field path and the
 * rule, and the double records that no request arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEverlyticClient, type EverlyticMessage } from "../../src/everlytic/index.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "./double.js";
import { invalidContentAttachments, invalidEverlyticMessages } from "./fixtures.js";

let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble();
});
afterAll(async () => {
  await everlytic.close();
});

const send = (input: unknown) =>
  createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY }).send(input as EverlyticMessage);

describe("invalid input gets a validation outcome and is not sent", () => {
  it.each([...invalidEverlyticMessages, ...invalidContentAttachments])("%s", async (_, input, expected) => {
    const outcome = await send(input);
    expect(outcome).toMatchObject({ ok: false, vendor: "everlytic", kind: "validation", delivery: "not_sent", retryable: false, attempts: 0 });
    const issues = outcome.ok || outcome.kind !== "validation" ? [] : outcome.issues.map((issue) => `${issue.path} ${issue.rule}`);
    expect(issues).toEqual(expected);
    expect(outcome.ok ? "" : outcome.message).toContain(expected[0]!.split(" ")[0]!);
    expect(everlytic.requests).toHaveLength(0);
  });
});

describe("every failing field is reported at once", () => {
  it("names the html, subject and sender a template-less message lacks", async () => {
    const outcome = await send({ headers: { to: [{ email: "joe@example.com" }] } });
    expect(outcome.ok || outcome.kind !== "validation" ? [] : outcome.issues).toEqual([
      { path: "body.html", rule: "required_without_template_id", message: "is required unless options.template_id is given" },
      { path: "headers.subject", rule: "required_without_template_id", message: "is required unless options.template_id is given" },
      { path: "headers.from.email", rule: "required_without_template_id", message: "is required unless options.template_id is given" },
    ]);
  });
});
