/**
 * createTxgateWorker as a deployment other than this repo's uses it: its own actions, and a sandbox of its own
 * choosing or none. The package brings no fake of its own, so sandbox mode sends only through the fakes given.
 */
import { env } from "cloudflare:test";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.ts";
import type { Env } from "../../src/worker/env.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line, type WorkerHandler } from "../../src/worker/index.ts";
import { LOCAL, record } from "./support/harness.ts";

const catalogue = defineCatalogue({
  contact: { variables: v.strictObject({ name: line(100) }), via: [{ vendor: "listmonk", template: 2, message: { from: { address: "shop@example.com", name: "Shop" } } }] },
});
const actions = defineActions(catalogue, {
  "contact-form": { template: "contact", auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] } },
});

/** A trusted send on the local host with the local key, through `handler`, in a fresh copy of the suite's environment. */
async function localSend(handler: WorkerHandler, vendor: string, body: unknown) {
  const request = new Request(`${LOCAL}/v1/send/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" },
    body: JSON.stringify(body),
  });
  return record(await handler.fetch(request, { ...(env as unknown as Env) }), `POST ${vendor} (factory)`);
}

const LISTMONK = { template_id: 2, subscriber_emails: ["ada@example.com"], subscriber_mode: "fallback" };

describe("createTxgateWorker", () => {
  it("sends through the sandbox a deployment gives it, and only to the vendors it has a fake of", async () => {
    const listmonk = createListmonkFake();
    const handler = createTxgateWorker({
      actions,
      sandbox: { vendors: { listmonk: { fetch: listmonk.fetch, settings: { baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS } } } },
    });
    const sent = await localSend(handler, "listmonk", LISTMONK);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, kind: "sent", sandbox: true, vendor: "listmonk" });
    expect(listmonk.outbox).toHaveLength(1);
    const refused = await localSend(handler, "everlytic", { headers: { to: [{ email: "ada@example.com" }] } });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ kind: "not_configured", delivery: "not_sent" });
  });

  it("without a sandbox, sends nothing in sandbox mode and serves no local page", async () => {
    const handler = createTxgateWorker({ actions });
    const refused = await localSend(handler, "listmonk", LISTMONK);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ kind: "not_configured", delivery: "not_sent" });
    const page = await handler.fetch(new Request(`${LOCAL}/sandbox`), { ...(env as unknown as Env) });
    expect(page.status).toBe(404);
  });
});
