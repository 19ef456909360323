/**
 * valibot (what the client enforces) and specs/everlytic.yaml (what the wire allows) agree:
 * (a) every body the client produced is valid under the spec: the double checks each one in every Everlytic test
 *     file, and this file sends every valid message through it;
 * (b) every invalid message is refused by both, valibot naming the field and the rule, the spec's JSON Schema
 *     reporting at that field or one of its parents; rules JSON Schema cannot state are refused by valibot
 *     and declared in the spec as `x-txgate-rule`;
 * (c) every valid message is accepted by both;
 * (d) each pattern the schema uses is the spec's, character for character.
 */
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEverlyticClient, EverlyticMessageSchema } from "../../src/everlytic/index.js";
import { toSendMailRequest } from "../../src/everlytic/request.js";
import { ATTACHMENT_NAME_PATTERN } from "../../src/core/attachment.js";
import { BASE64, CUSTOM_HEADER_NAME, WEB_URL } from "../../src/everlytic/schema.js";
import { pathPointer } from "../core/path-notation.js";
import { loadSpec, specErrors } from "../support/spec.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "./double.js";
import { invalidEverlyticMessages, validEverlyticMessages } from "./fixtures.js";

const spec = loadSpec("everlytic") as { components: { schemas: Record<string, any> } };
const schemas = spec.components.schemas;

/** Every `x-txgate-rule` the spec declares. */
const txgateRules = new Set(Object.values(schemas).map((schema) => schema["x-txgate-rule"]).filter(Boolean));
/** What goes on the wire: JSON drops `undefined` members. */
const wire = (value: unknown) => JSON.parse(JSON.stringify(value));

let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble();
});
afterAll(async () => {
  expect(everlytic.specViolations).toEqual([]);
  await everlytic.close();
});

describe("(a) every body the client sends is valid under the spec", () => {
  it.each(validEverlyticMessages)("%s", async (_, message) => {
    const outcome = await createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY }).send(message);
    expect(outcome).toMatchObject({ ok: true, kind: "sent" });
    expect(everlytic.specViolations).toEqual([]);
  });
});

describe("(b) valibot and the spec refuse the same messages", () => {
  it.each(invalidEverlyticMessages)("%s", (_, input, expected) => {
    const parsed = v.safeParse(EverlyticMessageSchema, input);
    expect(parsed.success).toBe(false);
    // The rule is the last word; a path may hold spaces (`headers.custom_headers["X-Order Id"]`).
    const [, path, rule] = /^(.*) (\S+)$/.exec(expected[0]!) as unknown as [string, string, string];
    const errors = specErrors("everlytic", "SendMailRequest", wire(input));
    if (txgateRules.has(rule)) {
      // JSON Schema cannot state this rule; the spec names it instead.
      expect(errors).toEqual([]);
    } else {
      expect(errors).not.toEqual([]);
      const at = errors.map((error) => error.slice(0, error.indexOf(" ")).replace(/^\/$/, ""));
      expect(at.some((where) => `${pathPointer(path)}/`.startsWith(`${where}/`))).toBe(true);
    }
  });

  it("covers every x-txgate-rule the spec declares", () => {
    const tested = new Set(invalidEverlyticMessages.flatMap(([, , expected]) => expected.map((issue) => issue.slice(issue.lastIndexOf(" ") + 1))));
    expect([...txgateRules].filter((rule) => !tested.has(rule))).toEqual([]);
    expect(txgateRules).toEqual(new Set(["unique_fields_recipients", "content_id_in_html"]));
  });
});

describe("(c) valibot and the spec accept the same messages", () => {
  it.each(validEverlyticMessages)("%s", async (_, input) => {
    const parsed = v.safeParse(EverlyticMessageSchema, input);
    expect(parsed.issues ?? []).toEqual([]);
    expect(specErrors("everlytic", "SendMailRequest", wire(await toSendMailRequest(parsed.output as never)))).toEqual([]);
  });
});

describe("(d) the schema's patterns are the spec's", () => {
  it.each([
    ["CustomHeaders names", schemas.CustomHeaders.propertyNames.pattern, CUSTOM_HEADER_NAME],
    ["InlineAttachment data", schemas.InlineAttachment.properties.data.pattern, BASE64],
    ["unsubscribe_redirect_url", schemas.MailOptions.properties.unsubscribe_redirect_url.pattern, WEB_URL],
  ] as [string, string, RegExp][])("%s", (_, pattern, regex) => {
    expect(regex.source).toBe(new RegExp(pattern).source);
    expect(regex.flags).toBe("");
  });

  it("AttachmentFilename is core's attachment_name pattern", () => {
    expect(schemas.AttachmentFilename.pattern).toBe(ATTACHMENT_NAME_PATTERN);
  });
});
