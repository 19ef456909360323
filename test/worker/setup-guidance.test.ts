/**
 * The refusals a newcomer meets first say what to do: each names the setting to set, and where nothing at all is
 * configured, how to try the worker locally instead (`SANDBOX=true`, which `npm start` sets). A deployment that
 * asks for sandbox mode without giving createTxgateWorker a sandbox is told so, not that a vendor is missing.
 */
import { env } from "cloudflare:test";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { listmonkVendor } from "../../src/listmonk/index.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line } from "../../src/worker/index.ts";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { browserHeaders, fetchWithEnv, LOCAL, record, signJwt } from "./support/harness.ts";

type Overrides = { readonly [K in keyof Env]?: Env[K] | undefined };
const NOTHING_CONFIGURED: Overrides = { SANDBOX: undefined };
const listmonkMessage = { template_id: 2, subscriber_emails: ["ada@example.com"] };
const contactForm = { action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hi" } };

const callerSend = (settings: Overrides, vendor = "listmonk", host = "") =>
  fetchWithEnv(settings, `${host}/v1/send/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
    body: JSON.stringify(listmonkMessage),
  });

describe("a worker with no vendor credentials and no SANDBOX=true", () => {
  it("refuses a trusted send, naming the vendor's settings and SANDBOX=true for a local trial", async () => {
    const answer = await callerSend(NOTHING_CONFIGURED);
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("no vendor is configured");
    expect(answer.body.detail).toContain("LISTMONK_URL, LISTMONK_USERNAME, LISTMONK_TOKEN");
    expect(answer.body.detail).toContain("SANDBOX=true");
  });

  it("refuses a trusted send without caller keys, saying how to set them and how to try it locally", async () => {
    const answer = await callerSend({ ...NOTHING_CONFIGURED, CALLER_KEYS: undefined });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("no caller keys are configured: set CALLER_KEYS");
    expect(answer.body.detail).toContain("SANDBOX=true");
    expect(answer.body.detail).toContain("txgate-local-sandbox");
  });

  it("refuses a Turnstile form without a secret, saying how to set it and how to try it locally", async () => {
    const answer = await fetchWithEnv({ ...NOTHING_CONFIGURED, TURNSTILE_SECRET: undefined }, "/v1/actions", {
      method: "POST",
      headers: browserHeaders({ turnstile: "some-token" }),
      body: JSON.stringify(contactForm),
    });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("set TURNSTILE_SECRET");
    expect(answer.body.detail).toContain("SANDBOX=true");
    expect(answer.body.detail).toContain("1x00000000000000000000AA");
  });

  it("refuses a signed-in user's action, naming SANDBOX=true", async () => {
    const answer = await fetchWithEnv(NOTHING_CONFIGURED, "/v1/actions", {
      method: "POST",
      headers: browserHeaders({ jwt: await signJwt() }),
      body: JSON.stringify({ action: "order-shipped", variables: { orderNumber: "A-1" } }),
    });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("SANDBOX=true");
  });

  it("refuses a signed-in action without sign-in settings, naming them", async () => {
    const answer = await fetchWithEnv({ JWT_ISSUER: undefined, JWT_AUDIENCE: undefined, JWT_JWKS: undefined }, "/v1/actions", {
      method: "POST",
      headers: browserHeaders({ jwt: await signJwt() }),
      body: JSON.stringify({ action: "order-shipped", variables: { orderNumber: "A-1" } }),
    });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toMatch(/set JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL \(or an inline JWT_JWKS\)/);
  });
});

describe("sandbox mode", () => {
  it("without a sandbox given to createTxgateWorker, says to give one, not that the vendor is missing", async () => {
    const catalogue = defineCatalogue({ hello: { variables: v.strictObject({ name: line(10) }), via: [{ vendor: "listmonk", template: 2 }] } });
    const handler = createTxgateWorker({ vendors: [listmonkVendor], actions: defineActions(catalogue, { hello: { template: "hello", auth: "jwt", recipient: { kind: "self" } } }) });
    const request = new Request(`${LOCAL}/v1/send/listmonk`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer txgate-local-sandbox" },
      body: JSON.stringify(listmonkMessage),
    });
    const answer = await record(await handler.fetch(request, { ...(env as unknown as Env) }), "POST listmonk (no sandbox)");
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("createTxgateWorker({ sandbox: { vendors } })");
    expect(answer.body.detail).toContain("none for listmonk");
    expect(answer.body.detail).toContain("txgate/testing");
  });

  it("on localhost without a Turnstile secret, says the local sandbox takes Cloudflare's dummy token", async () => {
    const answer = await fetchWithEnv({ TURNSTILE_SECRET: undefined, ALLOWED_ORIGINS: "http://localhost:8787" }, `${LOCAL}/v1/actions`, {
      method: "POST",
      headers: browserHeaders({ origin: "http://localhost:8787", turnstile: "XXXX.OTHER.TOKEN.XXXX" }),
      body: JSON.stringify(contactForm),
    });
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("XXXX.DUMMY.TOKEN.XXXX");
    expect(answer.body.detail).toContain("1x00000000000000000000AA");
  });
});

describe("a live worker", () => {
  it("refuses a vendor without credentials, naming the settings it needs", async () => {
    const answer = await callerSend({ LISTMONK_URL: LIVE_VENDOR_SECRETS.LISTMONK_URL, LISTMONK_USERNAME: "txgate", LISTMONK_TOKEN: LIVE_VENDOR_SECRETS.LISTMONK_TOKEN }, "everlytic");
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toContain("set everlytic's credentials (EVERLYTIC_USERNAME, EVERLYTIC_API_KEY)");
  });
});
