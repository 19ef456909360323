/**
 * Bad input never reaches Act-On: each case gets a `validation` outcome that names the field and the rule, and
 * the double records that no request arrived (not even a login).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnMessage } from "../../src/acton/index.js";
import { invalidActOnMessages } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
beforeAll(async () => {
  acton = await startActOnDouble();
});
afterAll(async () => {
  await acton.close();
});

describe("invalid input gets a validation outcome and is not sent", () => {
  it.each(invalidActOnMessages)("%s", async (_, input, expected) => {
    const client = createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore: memoryTokenStore() });
    const outcome = await client.send(input as ActOnMessage);
    expect(outcome).toMatchObject({ ok: false, vendor: "acton", kind: "validation", delivery: "not_sent", retryable: false, attempts: 0 });
    const issues = outcome.ok || outcome.kind !== "validation" ? [] : outcome.issues.map((issue) => `${issue.path} ${issue.rule}`);
    expect(issues).toEqual(expect.arrayContaining(expected));
    expect(outcome.ok ? "" : outcome.message).toContain(expected[0]!.split(" ")[0]!);
    expect(acton.requests).toHaveLength(0);
  });

  it("tells the caller why `transactional` must be stated", async () => {
    const client = createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS });
    const { transactional: _, ...metadata } = { transactional: true, externalId: "order-1" };
    const outcome = await client.send({
      templateId: "t-plain",
      envelope: { toAddress: "jane.doe@example.com" },
      metadata: metadata as never,
      actions: { trackOpens: false, trackClicks: false },
    });
    expect(outcome.ok ? "" : outcome.message).toMatch(/metadata\.transactional: must be stated: true only for email that is transactional by law/);
  });
});

describe("a misconfigured client throws when it is created", () => {
  const options = { baseUrl: "http://acton.test", accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS };
  it.each([
    ["an empty accountId", { ...options, accountId: "" }],
    ["accountId ..", { ...options, accountId: ".." }],
    ["a fractional rate", { ...options, ratePerSecond: 2.5 }],
    ["a zero rate", { ...options, ratePerSecond: 0 }],
    ["no client secret", { ...options, credentials: { ...ACTON_CREDENTIALS, clientSecret: "" } }],
  ])("%s", (_, bad) => {
    expect(() => createActOnClient(bad)).toThrow(TypeError);
  });
});
