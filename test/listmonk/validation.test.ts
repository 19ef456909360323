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
