/**
 * `GET /v1/health?check=credentials`: each configured vendor's credential check with when it ran and what it ran
 * against; sandbox vendors checked against their fakes, live ones against the vendor (here, fakes standing in for
 * the vendors' hosts). Operator keys only; an unknown check is a 422 naming the parameter (as the list route answers a bad query value); Act-On with no login to
 * spare is skipped without a token request; one vendor that does not answer cannot hold the others' answer; a
 * vendor is asked at most once per isolate while its result is kept; never a secret.
 */
import { env } from "cloudflare:test";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACTON_BASE_URL } from "../../../src/acton/options.ts";
import { ACTON_PASSWORD_GRANTS_PER_HOUR, actOnTokenKey } from "../../../src/acton/tokens.ts";
import { ACTON_CHECK_KEEPS_LOGINS } from "../../../src/acton/client.ts";
import { listmonkVendor } from "../../../src/listmonk/descriptor.ts";
import { createActOnFake, createEverlyticFake, createExpertSenderFake, createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "../../../src/testing/index.ts";
import type { Env } from "../../../src/worker/env.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line } from "../../../src/worker/index.ts";
import { accountObjectName } from "../../../src/worker/durable/account.ts";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS, OPERATOR_KEY, TEST_SECRETS } from "../support/bindings.ts";
import { bindings } from "../support/delivery.ts";
import { fetchWithEnv, fetchWorker, LOCAL, record, type Answer } from "../support/harness.ts";

const asOperator = (key = OPERATOR_KEY) => ({ headers: { authorization: `Bearer ${key}` } });
const CHECK = "/v1/health?check=credentials";
const VENDORS = ["listmonk", "acton", "everlytic", "expertsender"] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Live settings of a fresh account: its own Act-On account object, its own kept checks. */
const freshLive = (overrides: Partial<Record<keyof typeof LIVE_VENDOR_SECRETS, string>> = {}) => {
  const serial = crypto.randomUUID().replace(/\D/g, "").slice(0, 9);
  return {
    ...LIVE_VENDOR_SECRETS,
    LISTMONK_URL: `https://lists-${serial}.shop.example`,
    EXPERTSENDER_BASE_URL: `https://es-${serial}.shop.example`,
    EVERLYTIC_USERNAME: `shop-${serial}`,
    ACTON_ACCOUNT_ID: `77${serial}`,
    ...overrides,
  };
};

/**
 * The vendors' hosts, answered by fakes that accept `accepted`'s credentials. `hang` names a vendor whose host never
 * answers (it ignores the abort, as a stuck connection may). Every other fetch goes through.
 */
function fakeVendorHosts(accepted: ReturnType<typeof freshLive>, hang?: (typeof VENDORS)[number]) {
  const listmonk = createListmonkFake({ username: accepted.LISTMONK_USERNAME, token: LIVE_VENDOR_SECRETS.LISTMONK_TOKEN });
  const everlytic = createEverlyticFake({ username: accepted.EVERLYTIC_USERNAME, apiKey: LIVE_VENDOR_SECRETS.EVERLYTIC_API_KEY });
  const expertsender = createExpertSenderFake({ apiKey: LIVE_VENDOR_SECRETS.EXPERTSENDER_API_KEY });
  const acton = createActOnFake({
    accountId: accepted.ACTON_ACCOUNT_ID,
    credentials: { username: accepted.ACTON_USERNAME, password: LIVE_VENDOR_SECRETS.ACTON_PASSWORD, clientId: accepted.ACTON_CLIENT_ID, clientSecret: LIVE_VENDOR_SECRETS.ACTON_CLIENT_SECRET },
  });
  const hosts: Record<string, [(typeof VENDORS)[number], (request: Request) => Promise<Response>]> = {
    [new URL(accepted.LISTMONK_URL).host]: ["listmonk", listmonk.fetch],
    "api.everlytic.net": ["everlytic", everlytic.fetch],
    [new URL(accepted.EXPERTSENDER_BASE_URL).host]: ["expertsender", expertsender.fetch],
    [new URL(ACTON_BASE_URL).host]: ["acton", acton.fetch],
  };
  const asked: Record<string, string[]> = { listmonk: [], everlytic: [], expertsender: [], acton: [] };
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const host = hosts[new URL(request.url).host];
    if (!host) return realFetch(request);
    const [vendor, answer] = host;
    asked[vendor]!.push(`${request.method} ${new URL(request.url).pathname}`);
    if (vendor === hang) return new Promise<Response>(() => undefined);
    return answer(request);
  });
  return { asked, acton, listmonk };
}

const noSecretIn = (answer: Answer) => {
  for (const value of [...TEST_SECRETS, ...Object.values(LIVE_VENDOR_SECRETS).filter((value) => /_(token|key|password|secret)_/.test(value))]) expect(answer.text).not.toContain(value);
};

describe("who may ask", () => {
  it("an operator key; a caller key or no key are refused and no vendor is asked", async () => {
    const settings = freshLive();
    const { asked } = fakeVendorHosts(settings);
    expect((await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator(CALLER_KEY_BILLING))).status).toBe(401);
    expect((await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK)).status).toBe(401);
    expect(Object.values(asked).flat()).toEqual([]);
  });

  it("an unknown check is a 422 validation problem naming the parameter, and nothing is checked", async () => {
    const answer = await fetchWorker("/v1/health?check=everything", asOperator());
    expect(answer.status).toBe(422);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
    expect(answer.body).toMatchObject({ kind: "validation", issues: [{ path: "query.check", rule: "enum" }] });
    expect(answer.body.detail).toContain("credentials");
  });
});

describe("in sandbox mode", () => {
  it("checks every vendor against its fake, says sandbox and when it ran; without the parameter nothing is checked", async () => {
    const plain = await fetchWorker("/v1/health", asOperator());
    for (const vendor of VENDORS) expect(plain.body.vendors[vendor].credentials).toBeUndefined();
    const answer = await fetchWorker(CHECK, asOperator());
    expect(answer.status).toBe(200);
    for (const vendor of VENDORS) {
      expect(answer.body.vendors[vendor].credentials).toMatchObject({ kind: "ok", vendor, target: "sandbox", checkedAt: expect.any(String) });
      expect(Date.parse(answer.body.vendors[vendor].credentials.checkedAt)).not.toBeNaN();
    }
  });
});

describe("in live mode", () => {
  it("checks each configured vendor against its host: ok for the right credentials, no email sent, no secret shown", async () => {
    const settings = freshLive();
    const { asked, acton, listmonk } = fakeVendorHosts(settings);
    const answer = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.status).toBe(200);
    for (const vendor of VENDORS) expect(answer.body.vendors[vendor].credentials).toMatchObject({ kind: "ok", vendor, target: "live" });
    expect(asked).toEqual({
      listmonk: ["GET /api/profile"],
      everlytic: ["GET /transactional/email/v1/webhooks"],
      expertsender: ["GET /v2/Api/Time"],
      acton: ["POST /token"],
    });
    expect(listmonk.outbox).toEqual([]);
    expect(acton.delivered).toEqual([]);
    noSecretIn(answer);
    for (const token of acton.issuedTokens) expect(answer.text).not.toContain(token);
  });

  it("the login an Act-On check made is the next send's: the send asks for no token", async () => {
    const settings = freshLive();
    const { acton } = fakeVendorHosts(settings);
    const checked = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(checked.body.vendors.acton.credentials).toMatchObject({ kind: "ok", requests: 1 });
    const sent = await fetchWithEnv({ ...settings, SANDBOX: "false" }, "/v1/send/acton", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
      body: JSON.stringify({
        templateId: "t-0099",
        envelope: { toAddress: "ada@example.com" },
        metadata: { transactional: true, externalId: "order-1" },
        actions: { trackOpens: false, trackClicks: false },
      }),
    });
    expect(sent.status, sent.text).toBe(200);
    expect(acton.delivered).toHaveLength(1);
    expect(acton.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
  });

  it("says refused for wrong credentials, with the vendor's status, and never shows them", async () => {
    const accepted = freshLive();
    fakeVendorHosts(accepted);
    const wrong = {
      LISTMONK_TOKEN: "lm_wrong_token_0b7d",
      EVERLYTIC_API_KEY: "ev_wrong_key_3c1f",
      EXPERTSENDER_API_KEY: "es_wrong_key_9a4e",
      ACTON_PASSWORD: "acton_wrong_password_5d2b",
    };
    const answer = await fetchWithEnv({ ...accepted, ...wrong, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.body.vendors.listmonk.credentials).toMatchObject({ kind: "refused", status: 403, target: "live" });
    expect(answer.body.vendors.everlytic.credentials).toMatchObject({ kind: "refused", status: 401 });
    expect(answer.body.vendors.expertsender.credentials).toMatchObject({ kind: "refused", status: 403 });
    expect(answer.body.vendors.acton.credentials).toMatchObject({ kind: "refused", status: 403 });
    for (const value of Object.values(wrong)) expect(answer.text).not.toContain(value);
    noSecretIn(answer);
  });

  it("says error, asking nothing, for a vendor whose settings its client refuses; the others are checked", async () => {
    const settings = freshLive({ ACTON_ACCOUNT_ID: ".." });
    const { asked } = fakeVendorHosts(settings);
    const answer = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.status).toBe(200);
    expect(answer.body.vendors.acton.credentials).toMatchObject({ kind: "error", requests: 0, message: expect.stringContaining("settings") });
    expect(asked.acton).toEqual([]);
    expect(answer.body.vendors.listmonk.credentials.kind).toBe("ok");
    noSecretIn(answer);
  });

  it("does not check a vendor that is not configured", async () => {
    const all = freshLive();
    const { EVERLYTIC_USERNAME: _user, EVERLYTIC_API_KEY: _key, ...settings } = all;
    const { asked } = fakeVendorHosts(all);
    const answer = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.body.vendors.everlytic).toMatchObject({ configured: false, mode: "off" });
    expect(answer.body.vendors.everlytic.credentials).toBeUndefined();
    expect(asked.everlytic).toEqual([]);
  });

  it("skips Act-On without a token request when the hour's logins leave none to spare, and says why", async () => {
    const settings = freshLive();
    const { asked } = fakeVendorHosts(settings);
    const account = bindings.VENDOR_ACCOUNTS.get(bindings.VENDOR_ACCOUNTS.idFromName(accountObjectName("acton", `${settings.ACTON_ACCOUNT_ID} ${ACTON_BASE_URL}`)));
    const now = Date.now();
    const used = ACTON_PASSWORD_GRANTS_PER_HOUR - ACTON_CHECK_KEEPS_LOGINS;
    await account.keepTokenRecord(actOnTokenKey(ACTON_BASE_URL, { clientId: settings.ACTON_CLIENT_ID, username: settings.ACTON_USERNAME }), {
      passwordGrantsAt: Array.from({ length: used }, (_, n) => now - (n + 1) * 60_000),
    });
    const answer = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.body.vendors.acton.credentials).toMatchObject({ kind: "skipped", requests: 0, target: "live", retryAfter: expect.any(Number) });
    expect(answer.body.vendors.acton.credentials.message).toContain("for sends");
    expect(answer.body.vendors.acton.usage).toEqual({ loginsThisHour: used, loginsPerHour: ACTON_PASSWORD_GRANTS_PER_HOUR });
    expect(asked.acton).toEqual([]);
    expect(answer.body.vendors.listmonk.credentials.kind).toBe("ok");
  });

  it("keeps a vendor's result a while in the isolate: polling again asks no vendor again", async () => {
    const settings = freshLive();
    const { asked } = fakeVendorHosts(settings);
    const first = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    const second = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    for (const vendor of VENDORS) expect(second.body.vendors[vendor].credentials).toEqual(first.body.vendors[vendor].credentials);
    expect(Object.values(asked).map((requests) => requests.length)).toEqual([1, 1, 1, 1]);
  });

  it("answers when one vendor never does: that one is unreachable after its timeout, the others are checked", async () => {
    const settings = freshLive();
    fakeVendorHosts(settings, "listmonk");
    const answer = await fetchWithEnv({ ...settings, SANDBOX: "false" }, CHECK, asOperator());
    expect(answer.status).toBe(200);
    expect(answer.body.vendors.listmonk.credentials).toMatchObject({ kind: "unreachable", message: expect.stringContaining("5000 ms") });
    for (const vendor of ["acton", "everlytic", "expertsender"]) expect(answer.body.vendors[vendor].credentials.kind).toBe("ok");
  }, 15_000);
});

describe("a vendor whose client has no credential check", () => {
  it("is unsupported, says why, and nothing is sent to find out", async () => {
    const listmonk = createListmonkFake();
    const catalogue = defineCatalogue({ note: { variables: v.strictObject({ name: line(100) }), via: [{ vendor: "listmonk", template: 2 }] } });
    const handler = createTxgateWorker({
      // A plug-in vendor written before checks existed: its client sends and validates, nothing more.
      vendors: [
        {
          ...listmonkVendor,
          createClient: async (options) => {
            const { send, sendMessage, validate } = await listmonkVendor.createClient(options);
            return { send, sendMessage, validate };
          },
        },
      ],
      actions: defineActions(catalogue, {}),
      sandbox: { vendors: { listmonk: { fetch: listmonk.fetch, settings: { baseUrl: `https://listmonk-${crypto.randomUUID()}.example`, ...LISTMONK_FAKE_CREDENTIALS } } } },
    });
    const request = new Request(`${LOCAL}${CHECK}`, asOperator("txgate-local-sandbox"));
    const answer = await record(await handler.fetch(request, { ...(env as unknown as Env), CALLER_KEYS: undefined }), "GET health (plug-in)");
    expect(answer.status).toBe(200);
    expect(answer.body.vendors.listmonk.credentials).toMatchObject({ kind: "unsupported", requests: 0, target: "sandbox", message: expect.stringContaining("never sends") });
    expect(listmonk.outbox).toEqual([]);
  });
});
