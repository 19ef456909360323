import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ACTON_BASE_URL,
  ACTON_EU_BASE_URL,
  ACTON_LEGACY_BASE_URL,
  createActOnClient,
  type ActOnOptions,
} from "../../src/acton/index.js";
import { documentedExample, minimal } from "./fixtures.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "./double.js";

let acton: ActOnDouble;
beforeAll(async () => {
  acton = await startActOnDouble();
});
afterEach(() => {
  acton.requests.length = 0;
  acton.delivered.length = 0;
});
afterAll(async () => {
  // Every body the client produced in this file is valid under specs/acton.yaml, and within Act-On's limits.
  expect(acton.specViolations).toEqual([]);
  expect(acton.limitViolations).toEqual([]);
  await acton.close();
});

const client = (options: Partial<ActOnOptions> = {}) =>
  createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, retry: { baseDelayMs: 1 }, ...options });
const eteRequests = () => acton.requests.filter((request) => request.path.startsWith("/ete/"));

describe("POST /ete/v1/email/{accountId}/{templateId}", () => {
  it("sends the endpoint reference's example and answers with Act-On's body", async () => {
    const outcome = await client().send(documentedExample);
    expect(outcome).toMatchObject({
      ok: true,
      kind: "sent",
      vendor: "acton",
      status: 200,
      attempts: 1,
      data: { success: true, message: "Email Sent Successfully", suppressedRecipients: [] },
    });
    const [request] = eteRequests();
    expect(request!.path).toBe(`/ete/v1/email/${ACTON_ACCOUNT}/t-0099`);
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(request!.headers.authorization).toMatch(/^Bearer at-/);
    const { templateId: _, ...body } = documentedExample;
    expect(JSON.parse(request!.text)).toEqual(body);
    expect(acton.delivered.map((email) => [email.to, email.cc])).toEqual([["jane.doe@example.com", ["orders@example.com"]]]);
  });

  it("sends the least a message needs, and nothing it was not given", async () => {
    expect((await client().send(minimal)).ok).toBe(true);
    expect(JSON.parse(eteRequests()[0]!.text)).toEqual({
      envelope: { toAddress: "jane.doe@example.com" },
      metadata: { transactional: false, externalId: "order-1001" },
      actions: { trackOpens: false, trackClicks: false },
    });
  });

  it("puts the template ID in the path, encoded", async () => {
    acton.answerNext({ status: 200, body: { success: true, message: "Successfully Accepted", suppressedRecipients: [] } });
    const outcome = await client().send({ ...minimal, templateId: "t 12/3" });
    expect(outcome).toMatchObject({ ok: true, data: { message: "Successfully Accepted" } });
    expect(eteRequests()[0]!.path).toBe(`/ete/v1/email/${ACTON_ACCOUNT}/t%2012%2F3`);
  });
});

describe("hosts", () => {
  it("defaults to api.actonsoftware.com, with the EU gateway and the legacy host as constants", async () => {
    expect([ACTON_BASE_URL, ACTON_EU_BASE_URL, ACTON_LEGACY_BASE_URL]).toEqual([
      "https://api.actonsoftware.com",
      "https://api-eu.actonsoftware.com",
      "https://restapi.actonsoftware.com",
    ]);
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      return Response.json(
        request.url.endsWith("/token")
          ? { access_token: "host-test-access", refresh_token: "host-test-refresh", token_type: "Bearer", expires_in: 3600 }
          : { success: true, message: "Email Sent Successfully", suppressedRecipients: [] },
      );
    };
    const { baseUrl: _, ...options } = { baseUrl: "", accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, fetch };
    expect((await createActOnClient(options).send(minimal)).ok).toBe(true);
    expect(urls).toEqual(["https://api.actonsoftware.com/token", `https://api.actonsoftware.com/ete/v1/email/${ACTON_ACCOUNT}/t-plain`]);
  });
});

describe("transactional has legal weight: the caller states it", () => {
  it("a commercial email to an opted-out contact is suppressed; a transactional one is sent", async () => {
    const commercial = await client().send({ ...minimal, envelope: { toAddress: "opted-out@example.com" } });
    expect(commercial).toMatchObject({
      ok: false,
      kind: "rejected",
      status: 400,
      delivery: "not_sent",
      retryable: false,
      failedRecipients: ["opted-out@example.com"],
      vendorMessage: "Recipient email has been suppressed",
      message: "400 Recipient email has been suppressed: opted-out@example.com",
    });
    const transactional = await client().send({ ...minimal, envelope: { toAddress: "opted-out@example.com" }, metadata: { transactional: true, externalId: "pw-reset-1" } });
    expect(transactional.ok).toBe(true);
    expect(acton.delivered.map((email) => [email.to, email.transactional])).toEqual([["opted-out@example.com", true]]);
  });

  it("transactional email without a transactional subscription is a 500 EmailServiceException, not retried", async () => {
    const noSubscription = await startActOnDouble({ transactionalSubscription: false });
    const outcome = await client({ baseUrl: noSubscription.url }).send(documentedExample);
    expect(outcome).toMatchObject({
      kind: "server_error",
      status: 500,
      vendorCode: "EmailServiceException",
      vendorMessage: "A transactional subscription is required to send transactional email.",
      retryable: false,
      delivery: "unknown",
      attempts: 1,
    });
    expect(noSubscription.requests.filter((request) => request.path.startsWith("/ete/"))).toHaveLength(1);
    expect(noSubscription.specViolations).toEqual([]);
    await noSubscription.close();
  });
});

describe("suppressed recipients", () => {
  it("a suppressed toAddress is a 400: rejected, nothing sent", async () => {
    const outcome = await client().send({ ...minimal, envelope: { toAddress: "bounced@example.com" } });
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent", failedRecipients: ["bounced@example.com"] });
    expect(acton.delivered).toEqual([]);
  });

  it("a suppressed CC in a 200 is a partial delivery naming the CC, not a plain success", async () => {
    const outcome = await client().send({ ...minimal, envelope: { toAddress: "jane.doe@example.com", ccAddressList: ["orders@example.com", "bounced@example.com"] } });
    expect(outcome).toMatchObject({
      ok: false,
      kind: "rejected",
      status: 200,
      delivery: "partial",
      retryable: false,
      failedRecipients: ["bounced@example.com"],
      message: "200 Email Sent Successfully: bounced@example.com; sent to the other recipients",
    });
    expect(acton.delivered.map((email) => [email.to, email.cc])).toEqual([["jane.doe@example.com", ["orders@example.com"]]]);
  });

  it("names a suppressed recipient as the caller spelled it, whatever case Act-On answers in", async () => {
    acton.answerNext({ status: 400, body: { success: false, message: "Recipient email has been suppressed", suppressedRecipients: ["bounced@example.com"] } });
    const outcome = await client().send({ ...minimal, envelope: { toAddress: "Bounced@Example.com" } });
    expect(outcome).toMatchObject({ kind: "rejected", delivery: "not_sent", failedRecipients: ["Bounced@Example.com"] });
    expect(outcome.ok ? "" : outcome.message).toBe("400 Recipient email has been suppressed: Bounced@Example.com");
  });

  it("a malformed entry in suppressedRecipients is still a rejection Act-On answered, never a lost connection", async () => {
    acton.answerNext({ status: 400, body: { success: false, message: "Recipient email has been suppressed", suppressedRecipients: [42] } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent", failedRecipients: ["42"] });
  });
});

describe("Act-On's 400 answers are rejections with Act-On's message", () => {
  it("Sender Not Allowed", async () => {
    const outcome = await client().send({ ...minimal, envelope: { toAddress: "jane.doe@example.com", fromAddress: "ceo@example.com" } });
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent", retryable: false, vendorMessage: "Sender Not Allowed", message: "400 Sender Not Allowed" });
  });

  it("Invalid ID in request: an unknown template (errorName kept as the vendor code)", async () => {
    const outcome = await client().send({ ...minimal, templateId: "t-0100" });
    expect(outcome).toMatchObject({
      kind: "rejected",
      vendorCode: "Invalid ID in request",
      vendorMessage: "The email template, t-0100, does not exist for this account.",
      message: "400 Invalid ID in request: The email template, t-0100, does not exist for this account.",
      details: { errorName: "Invalid ID in request:" },
    });
  });

  it("Invalid ID in request: an unknown account", async () => {
    const outcome = await client({ accountId: "7654321" }).send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", vendorMessage: "Invalid ID in request. accountId or templateId is invalid" });
  });

  it("Personalization Failure: a personalization field of the template has no value", async () => {
    const outcome = await client().send({ ...documentedExample, content: { personalizationDataMap: { orderNumber: "3423423-234234" } } });
    expect(outcome).toMatchObject({ kind: "rejected", vendorMessage: "Personalization Failure Exception. personalization fields were missed" });
  });

  it("Validation Failed for emailDetails object", async () => {
    acton.answerNext({ status: 400, body: { message: "Validation Failed for emailDetails object" } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent", vendorMessage: "Validation Failed for emailDetails object" });
  });
});

describe("Act-On's other answers", () => {
  it("401 Account Temporarily Suspended is auth: no refresh, no retry", async () => {
    const suspended = await startActOnDouble({ suspended: true });
    const outcome = await client({ baseUrl: suspended.url }).send(minimal);
    expect(outcome).toMatchObject({ kind: "auth", status: 401, vendorMessage: "Account Temporarily Suspended", delivery: "not_sent", retryable: false, attempts: 1 });
    expect(suspended.tokenCalls.map((call) => call.grant)).toEqual(["password"]);
    expect(suspended.requests.filter((request) => request.path.startsWith("/ete/"))).toHaveLength(1);
    await suspended.close();
  });

  it("503 IO Exception is retried (nothing was sent) and then succeeds", async () => {
    await client().send(minimal); // logged in already, so the scripted answer meets the send
    acton.requests.length = 0;
    acton.answerNext({ status: 503, body: { message: "IO Exception was encountered" } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(eteRequests()).toHaveLength(2);
  });

  it("503 until the retries run out is a retryable server error, nothing sent", async () => {
    const busy = { status: 503, body: { message: "IO Exception was encountered" } };
    acton.answerNext(busy, busy, busy);
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "server_error", status: 503, retryable: true, delivery: "not_sent", attempts: 3, vendorMessage: "IO Exception was encountered" });
  });

  it("500 Internal Server Error is not retried: the email may have gone", async () => {
    acton.answerNext({ status: 500, body: { message: "Internal Server Error" } });
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, retryable: false, delivery: "unknown", attempts: 1 });
    expect(eteRequests()).toHaveLength(1);
  });

  it("429 (no body, no Retry-After documented) is rate limited and retried with backoff", async () => {
    acton.answerNext({ status: 429 });
    expect(await client().send(minimal)).toMatchObject({ ok: true, attempts: 2 });
    acton.answerNext({ status: 429 }, { status: 429 }, { status: 429 });
    expect(await client().send(minimal)).toMatchObject({ kind: "rate_limited", status: 429, retryable: true, delivery: "not_sent", attempts: 3 });
  });

  it("the gateway's answer to an unknown path is a rejection with its httpMessage", async () => {
    const outcome = await client({ baseUrl: `${acton.url}/wrong-prefix` }).send(minimal);
    expect(outcome).toMatchObject({ kind: "rejected", status: 404, vendorMessage: "Not Found", delivery: "not_sent" });
  });

  it("a 200 that is not Act-On's success body leaves delivery unknown", async () => {
    acton.answerNext({ status: 200, body: "<html>portal</html>" });
    expect(await client().send(minimal)).toMatchObject({ ok: false, kind: "server_error", status: 200, delivery: "unknown", retryable: false });
  });
});
