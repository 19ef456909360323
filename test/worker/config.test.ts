/**
 * The worker's settings are checked once; a bad one refuses every request with a generic `misconfigured`
 * problem, and the request's log line (for the operator only) names the setting, never a secret's value.
 */
import { describe, expect, it } from "vitest";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { browserHeaders, fetchWithEnv } from "./support/harness.ts";
import { journal } from "./support/secret-scan.ts";

const GENERIC = "the worker's configuration is invalid: this request's log line names each setting to fix";

const send = (overrides: Record<string, string | undefined>) =>
  fetchWithEnv(overrides, "/v1/send/listmonk", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
    body: JSON.stringify({ template_id: 2, subscriber_emails: ["ada@example.com"] }),
  });

/** The answer to a request made under `overrides`, with the log line the worker wrote for it. */
async function withLogLine(request: () => Promise<Awaited<ReturnType<typeof send>>>) {
  const start = journal.length;
  const answer = await request();
  const lines = journal.slice(start).filter((entry) => entry.source === "console.log");
  expect(lines).toHaveLength(1);
  return { answer, logText: lines[0]!.text, line: JSON.parse(lines[0]!.text) as Record<string, unknown> };
}

const callerKeys = (key: string) => JSON.stringify([{ id: "a", key, vendors: ["listmonk"] }]);

describe("a misconfigured worker fails closed", () => {
  it.each([
    ["CALLER_KEYS that is not JSON", { CALLER_KEYS: `{${CALLER_KEY_BILLING}` }, "CALLER_KEYS (not JSON)"],
    ["a caller key too short to be safe", { CALLER_KEYS: callerKeys("short-but-secret") }, "CALLER_KEYS[0]"],
    ["a caller key with a space (never presentable as a Bearer token)", { CALLER_KEYS: callerKeys("secret with spaces 0123456789abcdef") }, "CALLER_KEYS[0]"],
    ["a caller key with non-ASCII characters", { CALLER_KEYS: callerKeys("sécret-0123456789abcdef0123456789abcdef") }, "CALLER_KEYS[0]"],
    ["a caller key over 512 characters", { CALLER_KEYS: callerKeys("k".repeat(513)) }, "CALLER_KEYS[0]"],
    ["a caller key for an unknown vendor", { CALLER_KEYS: JSON.stringify([{ id: "a", key: CALLER_KEY_BILLING, vendors: ["sendgrid"] }]) }, "CALLER_KEYS[0]"],
    ["two caller keys with one id", { CALLER_KEYS: JSON.stringify([{ id: "a", key: CALLER_KEY_BILLING, vendors: [] }, { id: "a", key: `${CALLER_KEY_BILLING}x`, vendors: [] }]) }, "CALLER_KEYS[1]"],
    ["an origin with a path", { ALLOWED_ORIGINS: "https://shop.example/app" }, "ALLOWED_ORIGINS (https://shop.example/app is not an origin)"],
    ["a vendor half configured", { LISTMONK_TOKEN: "lm_live_token_4b8e2c6a9d1f" }, "listmonk is partly configured: LISTMONK_URL, LISTMONK_USERNAME missing"],
    ["JWT settings without keys", { JWT_JWKS: undefined }, "JWT_*"],
    ["JWT_TRUST_UNVERIFIED_EMAIL that is not true or false", { JWT_TRUST_UNVERIFIED_EMAIL: "yes" }, "JWT_TRUST_UNVERIFIED_EMAIL (true or false)"],
    ["a body cap that is not a number", { BROWSER_MAX_BODY_BYTES: "16k" }, "BROWSER_MAX_BODY_BYTES"],
    ["a body cap of zero", { CALLER_MAX_BODY_BYTES: "0" }, "CALLER_MAX_BODY_BYTES (a whole number of bytes, at least 1)"],
    ["a pace that is not a whole number", { LISTMONK_SENDS_PER_SECOND: "1.5" }, "LISTMONK_SENDS_PER_SECOND (a whole number of sends a second, at least 1)"],
    ["JWT_JWKS that is JSON but not a JWKS document", { JWT_JWKS: '{"keys": {}}' }, "JWT_JWKS (not a JWKS document"],
  ])("%s: a generic problem, the setting named in the log line only", async (_name, overrides, setting) => {
    const { answer, line } = await withLogLine(() => send(overrides));
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "misconfigured", detail: GENERIC, delivery: "not_sent" });
    expect(answer.text).not.toContain(setting);
    expect(line).toMatchObject({ kind: "misconfigured", status: 500 });
    expect(line.error).toContain(setting);
  });

  it("settings a vendor's client refuses: misconfigured on its first send, nothing sent, the reason in the log line only", async () => {
    const acton = { ...LIVE_VENDOR_SECRETS, ACTON_ACCOUNT_ID: ".." };
    const { answer, logText, line } = await withLogLine(() =>
      fetchWithEnv(acton, "/v1/send/acton", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
        body: JSON.stringify({ templateId: "t-1", envelope: { toAddress: "ada@example.com" } }),
      }),
    );
    expect(answer.status, answer.text).toBe(500);
    expect(answer.body).toMatchObject({ kind: "misconfigured", detail: GENERIC, delivery: "not_sent", retryable: false });
    expect(line).toMatchObject({ kind: "misconfigured", status: 500 });
    expect(line.error).toContain("acton: createActOnClient: accountId");
    expect(logText).not.toContain(LIVE_VENDOR_SECRETS.ACTON_PASSWORD);
  });

  it("an anonymous browser learns nothing of the settings (no names, no quoted origin)", async () => {
    const { answer, line } = await withLogLine(() =>
      fetchWithEnv({ ALLOWED_ORIGINS: "https://shop.example https://internal-admin.shop.example/path" }, "/v1/actions", {
        method: "POST",
        headers: browserHeaders(),
        body: JSON.stringify({ action: "welcome", variables: { firstName: "Pat" } }),
      }),
    );
    expect(answer.body).toMatchObject({ kind: "misconfigured", detail: GENERIC });
    expect(answer.text).not.toMatch(/ALLOWED_ORIGINS|internal-admin|fix these settings/);
    expect(line.error).toContain("ALLOWED_ORIGINS (https://internal-admin.shop.example/path is not an origin)");
  });

  it("never quotes the value of a bad secret, in the answer or the log line", async () => {
    const { answer, logText } = await withLogLine(() => send({ CALLER_KEYS: callerKeys("short-but-secret") }));
    expect(answer.text).not.toContain("short-but-secret");
    expect(logText).toContain("CALLER_KEYS[0]");
    expect(logText).not.toContain("short-but-secret");
  });

  it("refuses a vendor URL with a user name and password in it, naming the setting and not quoting the password", async () => {
    const { answer, logText, line } = await withLogLine(() => send({ LISTMONK_URL: "https://txgate:url-borne-p4ssword@lists.shop.example" }));
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "misconfigured", detail: GENERIC, delivery: "not_sent" });
    expect(line.error).toContain("LISTMONK_URL (holds a user name or password: take them out of the URL and set them in listmonk's credential settings)");
    expect(answer.text + logText).not.toContain("url-borne-p4ssword");
  });

  it("lists every wrong setting in one log line, each with the setting's name and what to write instead", async () => {
    const wrong = {
      ALLOWED_ORIGINS: "https://shop.example/app",
      CALLER_KEYS: JSON.stringify([{ id: "a", key: CALLER_KEY_BILLING, vendors: ["listmonk"] }, { id: "a", key: "short-but-secret", vendors: ["sendgrid"] }]),
      BROWSER_MAX_BODY_BYTES: "16k",
      SANDBOX: "yes",
      LISTMONK_AUTH_SCHEME: "bearer",
      ACTON_SENDS_PER_SECOND: "30",
      EVERLYTIC_WEBHOOK_PASSWORD: undefined,
      JWT_AUDIENCE: undefined,
    };
    const { answer, logText, line } = await withLogLine(() => send(wrong));
    expect(answer.body).toMatchObject({ kind: "misconfigured", detail: GENERIC });
    const fixes = String(line.error).replace(/^fix these settings: /, "").split("; ");
    expect(fixes).toEqual([
      "ALLOWED_ORIGINS (https://shop.example/app is not an origin)",
      "CALLER_KEYS[1].key (32 to 512 printable ASCII characters without spaces or commas)",
      "CALLER_KEYS[1].vendors[0] (each one of listmonk, acton, everlytic, expertsender)",
      "CALLER_KEYS[1].id (another key has this id: each id is unique)",
      "SANDBOX (true or false)",
      "BROWSER_MAX_BODY_BYTES (a whole number of bytes, at least 1)",
      "LISTMONK_AUTH_SCHEME (basic or token)",
      "ACTON_SENDS_PER_SECOND (Act-On allows 20 at most)",
      "JWT_* (JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL or JWT_JWKS go together)",
      // An optional setting alone makes a vendor configured in part.
      "listmonk is partly configured: LISTMONK_URL, LISTMONK_USERNAME, LISTMONK_TOKEN missing (set them, or unset every LISTMONK_ setting)",
      "EVERLYTIC_WEBHOOK_USER and EVERLYTIC_WEBHOOK_PASSWORD go together: set both, or neither",
    ]);
    expect(logText).not.toContain("short-but-secret");
  });

  it("names a caller key's missing field and what it must hold, and an operator key that names vendors", async () => {
    const { line } = await withLogLine(() =>
      send({ CALLER_KEYS: JSON.stringify([{ id: "a", vendors: [] }, "billing"]), OPERATOR_KEYS: JSON.stringify([{ id: "oncall", key: CALLER_KEY_BILLING, vendors: ["listmonk"] }]) }),
    );
    expect(String(line.error).replace(/^fix these settings: /, "").split("; ")).toEqual([
      "CALLER_KEYS[0].key (32 to 512 printable ASCII characters without spaces or commas)",
      "CALLER_KEYS[1] (an object { id, key, vendors })",
      "OPERATOR_KEYS[0].vendors (none: an operator key reads the health route and sends through no vendor)",
    ]);
  });

  it("accepts JWT_TRUST_UNVERIFIED_EMAIL true or false", async () => {
    for (const value of ["true", "false"]) expect((await send({ JWT_TRUST_UNVERIFIED_EMAIL: value })).status).toBe(200);
  });
});
