/**
 * createTxgateWorker as a deployment other than this repo's uses it: its own actions, and a sandbox of its own
 * choosing or none. The package brings no fake of its own, so sandbox mode sends only through the fakes given.
 */
import { everlyticVendor } from "../../src/everlytic/descriptor.ts";
import { listmonkVendor } from "../../src/listmonk/descriptor.ts";
import { VENDOR_LIST } from "../../src/vendors/registry.ts";
import { env } from "cloudflare:test";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { createEverlyticFake, createListmonkFake, EVERLYTIC_FAKE_CREDENTIALS, LISTMONK_FAKE_CREDENTIALS } from "../../src/testing/index.ts";
import type { Env } from "../../src/worker/env.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line, type WorkerHandler } from "../../src/worker/index.ts";
import { browserHeaders, countingLimiter, HOST, LOCAL, record, signJwt } from "./support/harness.ts";

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
  // The suite's caller keys name every vendor; a worker that serves fewer would rightly call them misconfigured.
  return record(await handler.fetch(request, { ...(env as unknown as Env), CALLER_KEYS: undefined }), `POST ${vendor} (factory)`);
}

const LISTMONK = { template_id: 2, subscriber_emails: ["ada@example.com"], subscriber_mode: "fallback" };

describe("createTxgateWorker", () => {
  it("sends through the sandbox a deployment gives it, and only to the vendors it has a fake of", async () => {
    const listmonk = createListmonkFake();
    const handler = createTxgateWorker({
      vendors: VENDOR_LIST,
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

  it("serves only the vendors it is given: another vendor is no route, even with a fake for it", async () => {
    const listmonk = createListmonkFake();
    const everlytic = createEverlyticFake();
    const handler = createTxgateWorker({
      vendors: [listmonkVendor],
      actions,
      sandbox: {
        vendors: {
          listmonk: { fetch: listmonk.fetch, settings: { baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS } },
          everlytic: { fetch: everlytic.fetch, settings: { baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS } },
        },
      },
    });
    const sent = await localSend(handler, "listmonk", LISTMONK);
    expect(sent.body).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk" });
    const refused = await localSend(handler, "everlytic", { headers: { to: [{ email: "ada@example.com" }] } });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ kind: "not_found", delivery: "not_sent" });
    expect(everlytic.outbox).toHaveLength(0);
  });

  it("lets the local sandbox key through to every vendor it serves, each registered one included", async () => {
    const handler = createTxgateWorker({ vendors: VENDOR_LIST, actions });
    for (const { name } of VENDOR_LIST) {
      const answer = await localSend(handler, name, {});
      // Past the key's vendor check: refused only because this worker has no sandbox to send to.
      expect([name, answer.body]).toMatchObject([name, { kind: "not_configured" }]);
    }
  });

  it("without a sandbox, sends nothing in sandbox mode and serves no local page", async () => {
    const handler = createTxgateWorker({ vendors: VENDOR_LIST, actions });
    const refused = await localSend(handler, "listmonk", LISTMONK);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ kind: "not_configured", delivery: "not_sent" });
    const page = await handler.fetch(new Request(`${LOCAL}/sandbox`), { ...(env as unknown as Env) });
    expect(page.status).toBe(404);
  });
});

describe("actions built on a catalogue", () => {
  const shop = defineCatalogue({
    // Everlytic first, listmonk when Everlytic proves nothing was sent.
    welcome: {
      variables: v.strictObject({ name: line(100) }),
      via: [
        { vendor: "everlytic", template: "welcome-template", message: { from: { address: "shop@example.com", name: "Shop" } } },
        { vendor: "listmonk", template: 2, message: { native: { subscriber_mode: "fallback" } } },
      ],
    },
  });
  const shopActions = defineActions(shop, {
    welcome: { template: "welcome", auth: "jwt", recipient: { kind: "self" } },
    "welcome-limited": { template: "welcome", auth: "jwt", recipient: { kind: "self" }, rateLimit: { binding: "WELCOME_RATE_LIMIT" } },
    "welcome-site-cap": { template: "welcome", auth: "jwt", recipient: { kind: "self" }, rateLimit: { binding: "WELCOME_SITE_CAP", per: "action" } },
    "welcome-unbound": { template: "welcome", auth: "jwt", recipient: { kind: "self" }, rateLimit: { binding: "NOT_BOUND" } },
  });
  function shopWorker() {
    const everlytic = createEverlyticFake();
    const listmonk = createListmonkFake();
    const handler = createTxgateWorker({
      vendors: [everlyticVendor, listmonkVendor],
      actions: shopActions,
      sandbox: {
        vendors: {
          everlytic: { fetch: everlytic.fetch, settings: { baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS } },
          listmonk: { fetch: listmonk.fetch, settings: { baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS } },
        },
      },
    });
    return { everlytic, listmonk, handler };
  }
  const limits = { WELCOME_RATE_LIMIT: countingLimiter(1), WELCOME_SITE_CAP: countingLimiter(1) };
  async function send(handler: WorkerHandler, action: string, jwt: string) {
    const request = new Request(`${HOST}/v1/actions`, { method: "POST", headers: browserHeaders({ jwt }), body: JSON.stringify({ action, variables: { name: "Ada" } }) });
    return record(await handler.fetch(request, { ...(env as unknown as Env), ...limits, CALLER_KEYS: undefined } as Env), `POST ${action} (factory)`);
  }

  it("fails over from one vendor to the next when the first proves nothing was sent (an auth failure)", async () => {
    const { everlytic, listmonk, handler } = shopWorker();
    everlytic.failNext("auth");
    const answer = await send(handler, "welcome", await signJwt({ email: "ada@example.com" }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true, kind: "sent", sandbox: true });
    expect(everlytic.outbox.filter((message) => message.accepted)).toEqual([]);
    expect(listmonk.outbox).toMatchObject([{ accepted: true, to: ["ada@example.com"] }]);
  });

  it("limits an action per user with its own binding, on top of the worker's limit", async () => {
    const { handler } = shopWorker();
    const sub = `user-${crypto.randomUUID()}`;
    expect((await send(handler, "welcome-limited", await signJwt({ sub }))).status).toBe(200);
    const again = await send(handler, "welcome-limited", await signJwt({ sub }));
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ kind: "rate_limited", delivery: "not_sent" });
    // Another user has a budget of their own; the same user may still use another action.
    expect((await send(handler, "welcome-limited", await signJwt())).status).toBe(200);
    expect((await send(handler, "welcome", await signJwt({ sub }))).status).toBe(200);
    expect(limits.WELCOME_RATE_LIMIT.keys.slice(0, 2)).toEqual([`action:welcome-limited:user:${sub}`, `action:welcome-limited:user:${sub}`]);
  });

  it("caps an action for everyone at once with per: action", async () => {
    const { handler } = shopWorker();
    expect((await send(handler, "welcome-site-cap", await signJwt())).status).toBe(200);
    expect((await send(handler, "welcome-site-cap", await signJwt())).status).toBe(429);
    expect(limits.WELCOME_SITE_CAP.keys).toEqual(["action:welcome-site-cap", "action:welcome-site-cap"]);
  });

  it("refuses an action whose rate limiting binding the worker lacks (fails closed), sending nothing", async () => {
    const { everlytic, listmonk, handler } = shopWorker();
    const answer = await send(handler, "welcome-unbound", await signJwt());
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ kind: "not_configured", delivery: "not_sent" });
    expect([...everlytic.outbox, ...listmonk.outbox]).toEqual([]);
  });
});
