/** The worker's settings are checked once; a bad one refuses every request, naming the setting and never its value. */
import { describe, expect, it } from "vitest";
import { CALLER_KEY_BILLING } from "./support/bindings.ts";
import { fetchWithEnv } from "./support/harness.ts";

const send = (overrides: Record<string, string | undefined>) =>
  fetchWithEnv(overrides, "/v1/send/listmonk", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
    body: JSON.stringify({ template_id: 2, subscriber_emails: ["ada@example.com"] }),
  });

describe("a misconfigured worker fails closed", () => {
  it.each([
    ["CALLER_KEYS that is not JSON", { CALLER_KEYS: `{${CALLER_KEY_BILLING}` }, "CALLER_KEYS (not JSON)"],
    ["a caller key too short to be safe", { CALLER_KEYS: JSON.stringify([{ id: "a", key: "short-but-secret", vendors: ["listmonk"] }]) }, "CALLER_KEYS[0]"],
    ["a caller key for an unknown vendor", { CALLER_KEYS: JSON.stringify([{ id: "a", key: CALLER_KEY_BILLING, vendors: ["sendgrid"] }]) }, "CALLER_KEYS[0]"],
    ["two caller keys with one id", { CALLER_KEYS: JSON.stringify([{ id: "a", key: CALLER_KEY_BILLING, vendors: [] }, { id: "a", key: `${CALLER_KEY_BILLING}x`, vendors: [] }]) }, "CALLER_KEYS[1]"],
    ["an origin with a path", { ALLOWED_ORIGINS: "https://shop.example/app" }, "ALLOWED_ORIGINS"],
    ["a vendor half configured", { LISTMONK_TOKEN: "lm_live_token_4b8e2c6a9d1f" }, "listmonk is partly configured: LISTMONK_URL, LISTMONK_USERNAME missing"],
    ["JWT settings without keys", { JWT_JWKS: undefined }, "JWT_*"],
    ["a body cap that is not a number", { BROWSER_MAX_BODY_BYTES: "16k" }, "BROWSER_MAX_BODY_BYTES"],
  ])("%s", async (_name, overrides, setting) => {
    const answer = await send(overrides);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ kind: "misconfigured", delivery: "not_sent" });
    expect(answer.body.detail).toContain(setting);
  });

  it("never quotes the value of a bad secret", async () => {
    const answer = await send({ CALLER_KEYS: JSON.stringify([{ id: "a", key: "short-but-secret", vendors: ["listmonk"] }]) });
    expect(answer.text).not.toContain("short-but-secret");
  });
});
