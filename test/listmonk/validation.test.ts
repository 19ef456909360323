/**
 * Bad input never reaches listmonk: each case gets a `validation` outcome that names the field and the rule,
 * and the double records that no request arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createListmonkClient, type ListmonkMessage } from "../../src/listmonk/index.js";
import { invalidListmonkMessages } from "./fixtures.js";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble, type ListmonkDouble } from "./double.js";

let listmonk: ListmonkDouble;
beforeAll(async () => {
  listmonk = await startListmonkDouble();
});
afterAll(async () => {
  await listmonk.close();
});




describe("invalid input gets a validation outcome and is not sent", () => {
  it.each(invalidListmonkMessages)("%s", async (_, input, expected) => {
    const outcome = await createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN }).send(
      input as ListmonkMessage,
    );
    expect(outcome).toMatchObject({ ok: false, kind: "validation", delivery: "not_sent", retryable: false, attempts: 0 });
    const issues = outcome.ok || outcome.kind !== "validation" ? [] : outcome.issues.map((issue) => `${issue.path} ${issue.rule}`);
    expect(issues).toEqual(expect.arrayContaining(expected));
    expect(outcome.ok ? "" : outcome.message).toContain(expected[0]!.split(" ")[0]!);
    expect(listmonk.requests).toHaveLength(0);
  });
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
