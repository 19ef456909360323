/**
 * Failover through real clients and the vendor doubles: Act-On first, listmonk second. An Act-On answer that
 * proves nothing was sent moves on to listmonk; one that may have sent the email does not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActOnClient } from "../../src/acton/index.ts";
import { createMailer, defineCatalogue } from "../../src/catalogue/index.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "../acton/double.ts";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble, type ListmonkDouble } from "../listmonk/double.ts";
import { orderShipped, shipment } from "./catalogue-fixture.ts";

const doubles: { listmonk?: ListmonkDouble; acton: ActOnDouble[] } = { acton: [] };
beforeAll(async () => {
  doubles.listmonk = await startListmonkDouble();
});
afterAll(async () => {
  expect(doubles.listmonk!.specViolations).toEqual([]);
  await Promise.all([doubles.listmonk!.close(), ...doubles.acton.map((double) => double.close())]);
});

const catalogue = defineCatalogue({
  orderShipped: {
    ...orderShipped,
    via: [
      { vendor: "acton", template: "t-0099", message: { tracking: { opens: false, clicks: false } } },
      { vendor: "listmonk", template: 2 },
    ],
  },
});

async function mailer(actonSetup: Parameters<typeof startActOnDouble>[0]) {
  const acton = await startActOnDouble(actonSetup);
  doubles.acton.push(acton);
  doubles.listmonk!.requests.length = 0;
  doubles.listmonk!.queued.length = 0;
  const mail = createMailer(catalogue, {
    acton: createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, retry: { retries: 0 } }),
    listmonk: createListmonkClient({ baseUrl: doubles.listmonk!.url, username: LISTMONK_USER, token: LISTMONK_TOKEN, retry: { retries: 0 } }),
  });
  const send = () =>
    mail.send("orderShipped", { to: "ada@example.com", data: shipment, byVendor: { acton: { externalId: "order-3423423" } } });
  return { acton, send };
}

describe("failover from Act-On to listmonk", () => {
  it("Act-On sends: listmonk is never asked", async () => {
    const { acton, send } = await mailer({});
    expect(await send()).toMatchObject({ ok: true, vendor: "acton", failover: [] });
    expect(acton.delivered.map((email) => [email.to, email.body.metadata.externalId])).toEqual([["ada@example.com", "order-3423423"]]);
    expect(doubles.listmonk!.requests).toEqual([]);
  });

  it("Act-On refuses a suspended account (auth, nothing sent): listmonk sends, without Act-On's externalId", async () => {
    const { send } = await mailer({ suspended: true });
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: true, vendor: "listmonk", failover: [{ kind: "auth", vendor: "acton", delivery: "not_sent" }] });
    expect(JSON.parse(doubles.listmonk!.requests[0]!.text)).toEqual({ template_id: 2, subscriber_emails: ["ada@example.com"], data: shipment });
  });

  it("Act-On answers 500 (the email may have gone out): listmonk is not asked", async () => {
    const { send } = await mailer({ transactionalSubscription: false });
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: false, kind: "server_error", vendor: "acton", delivery: "unknown", failover: [] });
    expect(doubles.listmonk!.requests).toEqual([]);
  });

  it("Act-On cannot carry a second recipient (unsupported_by_vendor, nothing sent): listmonk sends to both", async () => {
    const { acton } = await mailer({});
    const mail = createMailer(catalogue, {
      acton: createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS }),
      listmonk: createListmonkClient({ baseUrl: doubles.listmonk!.url, username: LISTMONK_USER, token: LISTMONK_TOKEN }),
    });
    const outcome = await mail.send("orderShipped", { to: ["ada@example.com", "grace@example.com"], data: shipment, byVendor: { acton: { externalId: "o-1" } } });
    expect(outcome).toMatchObject({
      ok: true,
      vendor: "listmonk",
      failover: [{ kind: "validation", vendor: "acton", issues: [{ path: "to.1", rule: "unsupported_by_vendor" }] }],
    });
    expect(acton.requests).toEqual([]);
    expect(doubles.listmonk!.queued.map((message) => message.email)).toEqual(["ada@example.com", "grace@example.com"]);
  });
});
