/**
 * Bad input never reaches Everlytic: each case gets a `validation` outcome that names the field path and the
 * rule, and the double records that no request arrived. The native messages every vendor's suite refuses are its
 * cases in ./fixtures.ts (test/vendors/conformance.test.ts); here, what only Everlytic's rules do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEverlyticClient, type EverlyticMessage } from "../../src/everlytic/index.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "./double.js";

let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble();
});
afterAll(async () => {
  await everlytic.close();
});

const send = (input: unknown) =>
  createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY }).send(input as EverlyticMessage);

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
