/** The test doubles serve the fakes over real HTTP: a fake's failures reach a client through a socket too. */
import { expect, it } from "vitest";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble } from "../listmonk/double.ts";

it("fail+timeout over HTTP: the client times out, and closing the double ends the request cleanly", async () => {
  const double = await startListmonkDouble({ subscribers: undefined });
  const client = createListmonkClient({ baseUrl: double.url, username: LISTMONK_USER, token: LISTMONK_TOKEN, retry: { retries: 0 }, timeoutMs: 200 });
  expect(await client.send({ template_id: 2, subscriber_emails: ["fail+timeout@example.com"] })).toMatchObject({ ok: false, kind: "timeout" });
  expect(await client.send({ template_id: 2, subscriber_emails: ["fail+503@example.com"] })).toMatchObject({ ok: false, status: 503, delivery: "not_sent" });
  expect(double.requests).toHaveLength(2);
  await double.close();
});
