/**
 * The built-in sandbox, as a developer meets it locally: each vendor's API answers as the vendor documents
 * (credentials checked, spec enforced), every request lands in the outbox, and the outbox page shows it with
 * every caller-supplied value escaped.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { VENDORS } from "../../src/vendors/registry.ts";

const ACTON_SANDBOX = VENDORS.acton.sandbox.settings;
const EVERLYTIC_SANDBOX = VENDORS.everlytic.sandbox.settings;
const EXPERTSENDER_SANDBOX = VENDORS.expertsender.sandbox.settings;
const LISTMONK_SANDBOX = VENDORS.listmonk.sandbox.settings;
import { CALLER_KEY_BILLING } from "./support/bindings.ts";
import { callerSend, fetchWithEnv, fetchWorker, LOCAL } from "./support/harness.ts";

const basic = (pair: string) => `Basic ${btoa(pair)}`;
const messages = async () => (await fetchWorker(`${LOCAL}/sandbox/messages`)).body.messages as any[];

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});

describe("listmonk sandbox (POST /sandbox/listmonk/api/tx)", () => {
  const tx = (body: unknown, authorization = basic(`${LISTMONK_SANDBOX.username}:${LISTMONK_SANDBOX.token}`)) =>
    fetchWorker(`${LOCAL}/sandbox/listmonk/api/tx`, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(body) });

  it("queues a valid message", async () => {
    const answer = await tx({ template_id: 3, subscriber_emails: ["ada@example.com"], data: { a: 1 } });
    expect([answer.status, answer.body]).toEqual([200, { data: true }]);
    expect((await messages())[0]).toMatchObject({ vendor: "listmonk", accepted: true, to: ["ada@example.com"] });
  });
  it("answers 403 for wrong credentials, as listmonk does (never 401)", async () => {
    expect((await tx({ template_id: 3, subscriber_emails: ["a@example.com"] }, basic("sandbox:wrong"))).status).toBe(403);
    expect(await messages()).toEqual([]);
  });
  it("refuses a body that breaks the spec, and records why", async () => {
    const answer = await tx({ template_id: "three", subscriber_emails: ["ada@example.com"] });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^Invalid fields/);
    const [message] = await messages();
    expect(message.accepted).toBe(false);
    expect(message.specViolations.length).toBeGreaterThan(0);
  });
  it("applies listmonk's recipient rules", async () => {
    expect((await tx({ template_id: 3, subscriber_emails: ["a@example.com"], subscriber_ids: [1] })).body).toEqual({ message: "Invalid fields: send subscriber_emails OR subscriber_ids" });
  });
});

describe("Act-On sandbox", () => {
  it("runs the OAuth password grant and refuses an ETE call without a valid token", async () => {
    const { credentials } = ACTON_SANDBOX;
    const grant = await fetchWorker(`${LOCAL}/sandbox/acton/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: credentials.username, password: credentials.password, client_id: credentials.clientId, client_secret: credentials.clientSecret }),
    });
    expect(grant.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const email = { envelope: { toAddress: "a@example.com" }, metadata: { transactional: false, externalId: "e-1" }, actions: { trackOpens: false, trackClicks: false } };
    const send = (token: string) =>
      fetchWorker(`${LOCAL}/sandbox/acton/ete/v1/email/sandbox/t-1`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(email) });
    expect((await send("made-up")).body).toMatchObject({ httpCode: "401", httpMessage: "Unauthorized" });
    expect((await send(grant.body.access_token)).body).toEqual({ success: true, message: "Email Sent Successfully", suppressedRecipients: [] });
  });
});

describe("Everlytic sandbox", () => {
  const mail = (body: unknown) =>
    fetchWorker(`${LOCAL}/sandbox/everlytic/transactional/email/v1/mail`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic(`${EVERLYTIC_SANDBOX.username}:${EVERLYTIC_SANDBOX.apiKey}`) },
      body: JSON.stringify(body),
    });
  it("answers one transaction per recipient", async () => {
    const answer = await mail({ headers: { to: [{ email: "a@example.com" }], cc: [{ email: "b@example.com" }] }, options: { template_id: "t" } });
    expect(answer.body.transactions).toHaveLength(2);
  });
  it("answers 412 with field errors when a template-less mail lacks content", async () => {
    const answer = await mail({ headers: { to: [{ email: "a@example.com" }] } });
    expect(answer.status).toBe(412);
    expect(Object.keys(answer.body.message.errors)).toEqual(expect.arrayContaining(["body.html", "headers.subject", "headers.from.email"]));
  });
});

describe("ExpertSender sandbox", () => {
  const post = (key: string, data: string) =>
    fetchWorker(`${LOCAL}/sandbox/expertsender/v2/Api/SystemTransactionals/77`, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: `<ApiRequest xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"><ApiKey>${key}</ApiKey><Data>${data}</Data></ApiRequest>`,
    });
  it("answers 201 with an empty body", async () => {
    const answer = await post(EXPERTSENDER_SANDBOX.apiKey, "<Receiver><Email>a@example.com</Email></Receiver>");
    expect([answer.status, answer.text]).toEqual([201, ""]);
  });
  it("answers 403 for a wrong key and 400 for a document outside the spec", async () => {
    expect((await post("wrong", "<Receiver><Email>a@example.com</Email></Receiver>")).status).toBe(403);
    const invalid = await post(EXPERTSENDER_SANDBOX.apiKey, "<Receiver><Id>zero</Id></Receiver>");
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("<ErrorMessage><Code>400</Code>");
  });
});

describe("the outbox page", () => {
  it("shows each message with every caller-supplied value escaped, HTML only in a sandboxed frame", async () => {
    await callerSend(
      "everlytic",
      {
        body: { html: `<p>Hi</p><script>parent.document.title="pwned"</script>` },
        headers: { subject: `<img src=x onerror=alert(1)>`, from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
      },
      CALLER_KEY_BILLING,
    );
    await callerSend("listmonk", { template_id: 2, subscriber_emails: ["ada@example.com"], data: { "<b>key</b>": `"><script>alert(2)</script>` } }, CALLER_KEY_BILLING);
    const page = await fetchWorker(`${LOCAL}/sandbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.text).not.toMatch(/<script|<img|<b>key/);
    expect(page.text).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(page.text).toContain(`<iframe sandbox title="HTML body" srcdoc="&#60;p&#62;Hi&#60;/p&#62;&#60;script&#62;`);
    expect(page.text).toContain("&#34;&#62;&#60;script&#62;alert(2)");
  });
});

describe("local development without a Turnstile secret", () => {
  it("lets the contact form through with Cloudflare's dummy token, on localhost in sandbox mode", async () => {
    const body = JSON.stringify({ action: "contact-form", recipient: "sales@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hi" } });
    const headers = { "content-type": "application/json", origin: "http://localhost:8787", "x-turnstile-token": "XXXX.DUMMY.TOKEN.XXXX", "cf-connecting-ip": "192.0.2.77" };
    const env = { TURNSTILE_SECRET: undefined, ALLOWED_ORIGINS: "http://localhost:8787" };
    const first = await fetchWithEnv(env, `${LOCAL}/v1/actions`, { method: "POST", headers, body });
    const second = await fetchWithEnv(env, `${LOCAL}/v1/actions`, { method: "POST", headers, body });
    expect([first.status, second.status]).toEqual([200, 200]);
  });
});
