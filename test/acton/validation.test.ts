/**
 * Bad input never reaches Act-On: each case gets a `validation` outcome that names the field and the rule, and
 * its own Act-On (a fresh fake behind a fetch that logs every request) records that no request arrived, not even
 * a login. Nothing is shared between cases, so a case that does send fails alone.
 */
import { describe, expect, it } from "vitest";
import { createActOnClient, memoryTokenStore, type ActOnMessage } from "../../src/acton/index.js";
import { ACTON_FAKE_ACCOUNT, createActOnFake } from "../../src/testing/index.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS } from "./double.js";

// Act-On's clients share a password-grant allowance per base URL in a process: one origin per case.
let origins = 0;

/** A client of its own Act-On, with the log of every request that Act-On received. */
function isolatedActOn() {
  const fake = createActOnFake();
  const requests: string[] = [];
  const fetch = (request: Request) => {
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return fake.fetch(request);
  };
  const client = createActOnClient({ baseUrl: `https://acton-${++origins}.test`, ...ACTON_FAKE_ACCOUNT, tokenStore: memoryTokenStore(), fetch });
  return { client, requests };
}

describe("invalid input gets a validation outcome and is not sent", () => {
  // The native messages every vendor's suite refuses are its cases in ./fixtures.ts (test/vendors/conformance.test.ts).
  it("tells the caller why `transactional` must be stated", async () => {
    const { client, requests } = isolatedActOn();
    const { transactional: _, ...metadata } = { transactional: true, externalId: "order-1" };
    const outcome = await client.send({
      templateId: "t-plain",
      envelope: { toAddress: "jane.doe@example.com" },
      metadata: metadata as never,
      actions: { trackOpens: false, trackClicks: false },
    });
    expect(outcome.ok ? "" : outcome.message).toMatch(/metadata\.transactional: must be stated: true only for email that is transactional by law/);
    expect(requests).toEqual([]);
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
