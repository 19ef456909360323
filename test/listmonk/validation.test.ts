/**
 * Bad input never reaches listmonk, beyond the native messages every vendor's suite refuses (its cases in
 * ./fixtures.ts, run by test/vendors/conformance.test.ts): data JSON cannot carry, credentials no header can.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListmonkClient, type ListmonkMessage } from "../../src/listmonk/index.js";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble, type ListmonkDouble } from "./double.js";

let listmonk: ListmonkDouble;
beforeAll(async () => {
  listmonk = await startListmonkDouble();
});
afterAll(async () => {
  await listmonk.close();
});

describe("data that JSON cannot carry", () => {
  const cyclic: Record<string, unknown> = { order: "1234" };
  cyclic.self = cyclic;
  it.each([
    ["a BigInt", { total: 10n }, "data.total"],
    ["a cycle", cyclic, "data.self"],
  ])("%s is a validation outcome naming data, not a network failure", async (_, data, path) => {
    const outcome = await createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN }).send({
      subscriber_emails: ["ada@example.com"],
      template_id: 2,
      data,
    });
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent", issues: [{ path, rule: "json_value" }] });
    expect(listmonk.requests).toHaveLength(0);
  });
});

describe("credentials no header can carry", () => {
  it.each([
    ["a token with the newline of the file it was read from", { token: `${LISTMONK_TOKEN}\n` }],
    ["a token with a space", { token: `${LISTMONK_TOKEN} x`, authScheme: "token" as const }],
    ["an empty token", { token: "" }],
    ["a username with a line break", { username: "api\nuser" }],
    ["a non-ASCII username in the token scheme", { username: "api_usér", authScheme: "token" as const }],
  ])("%s throws when the client is made, without quoting the token", (_, credentials) => {
    const make = () => createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN, ...credentials });
    expect(make).toThrow(TypeError);
    expect(make).not.toThrow(LISTMONK_TOKEN);
  });
});
