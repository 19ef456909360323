import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createEverlyticClient,
  EVERLYTIC_BASE_URL,
  type EverlyticMessage,
  type EverlyticOptions,
  type Outcome,
} from "../../src/everlytic/index.js";
import { closedPortUrl } from "../support/http-double.js";
import {
  EVERLYTIC_API_KEY,
  EVERLYTIC_USER,
  everlyticError,
  FROM_EMAIL_412,
  startEverlyticDouble,
  TEMPLATE_ID,
  type EverlyticDouble,
} from "./double.js";
import { htmlExample, minimal, templateExample, unsubscribeExample } from "./fixtures.js";

let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble({ suppressed: ["bounced@example.com"], verifiedDomains: ["example.com"] });
});
afterEach(() => {
  everlytic.requests.length = 0;
  everlytic.delivered.length = 0;
});
afterAll(async () => {
  // Every body the client produced in this file is valid under specs/everlytic.yaml, and so is every answer.
  expect(everlytic.specViolations).toEqual([]);
  await everlytic.close();
});

const client = (options: Partial<EverlyticOptions> = {}) =>
  createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY, retry: { baseDelayMs: 1 }, ...options });

const failure = (outcome: Outcome<unknown>) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome;
};

describe("sending HTML given in the body", () => {
  it("sends the page's example to every recipient and returns one transaction id each", async () => {
    const outcome = await client().send(htmlExample);
    expect(outcome).toMatchObject({ ok: true, kind: "sent", vendor: "everlytic", status: 200, attempts: 1 });
    const ids = outcome.ok ? outcome.data.transactions.map((transaction) => transaction.id) : [];
    expect(ids).toHaveLength(3);
    // The ids are the vendor's, kept as given: UUID-shaped but not hex, and not rejected for it.
    expect(ids).toEqual(everlytic.delivered.map((email) => email.transactionId));
    expect(ids.every((id) => /^[0-9a-z-]{36}$/.test(id) && id.includes("q"))).toBe(true);
    expect(everlytic.delivered.map((email) => `${email.field}:${email.recipient}`)).toEqual([
      "to:joe@example.com",
      "to:john@example.com",
      "cc:sandy@example.com",
    ]);
  });

  it("fills common tags for everyone and unique tags per recipient", async () => {
    await client().send(htmlExample);
    const html = Object.fromEntries(everlytic.delivered.map((email) => [email.recipient, email.html]));
    expect(html["joe@example.com"]).toBe("<h1>Hello there, Mr Joe Bloggs, how was the soccer match?</h1>");
    expect(html["john@example.com"]).toBe("<h1>Hello there, Johnny boy, how was the soccer match?</h1>");
  });

  it("posts the body exactly as given, as JSON, with HTTP Basic username:apiKey", async () => {
    await client().send(htmlExample);
    const [request] = everlytic.requests;
    expect(request).toMatchObject({ method: "POST", path: "/transactional/email/v1/mail" });
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(request!.headers.authorization).toBe(`Basic ${btoa(`${EVERLYTIC_USER}:${EVERLYTIC_API_KEY}`)}`);
    expect(JSON.parse(request!.text)).toEqual(htmlExample);
  });

  it("passes message id, reply-to, bcc and custom headers (one value or several) through", async () => {
    const message = {
      ...minimal,
      headers: {
        ...minimal.headers,
        message_id: "<order-1234@example.com>",
        reply_to: { email: "help@example.com", name: "Help" },
        bcc: [{ email: "audit@example.com" }],
        custom_headers: { "X-Order-Id": "1234", "X-Tags": ["receipt", "autumn"] },
      },
    } satisfies EverlyticMessage;
    expect((await client().send(message)).ok).toBe(true);
    expect(JSON.parse(everlytic.requests[0]!.text).headers).toEqual(message.headers);
    expect(everlytic.delivered.map((email) => email.field)).toEqual(["to", "bcc"]);
    expect(everlytic.delivered[0]!.customHeaders).toEqual({ "X-Order-Id": "1234", "X-Tags": ["receipt", "autumn"] });
  });

  it("sends the unsubscribe redirect URL and tracking options", async () => {
    expect((await client().send(unsubscribeExample)).ok).toBe(true);
    expect(everlytic.delivered[0]!.options).toEqual({ unsubscribe_redirect_url: "https://www.example.com/unsubscribed?list=receipts" });
  });
});

describe("sending a stored template by options.template_id", () => {
  it("sends the page's template example: the template supplies subject, sender and content", async () => {
    const outcome = await client().send(templateExample);
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(everlytic.delivered).toMatchObject([{ recipient: "john.doe@example.com", from: "statements@example.com" }]);
    expect(JSON.parse(everlytic.requests[0]!.text)).toEqual(templateExample);
  });

  it("fills the template's tags from personalisation_fields and takes a per-send subject", async () => {
    const outcome = await client().send({
      ...templateExample,
      body: { personalisation_fields: { common_fields: { month: "May" }, unique_fields: [{ "john.doe@example.com": { name: "John" } }] } },
      headers: { ...templateExample.headers, subject: "Statement for {{name}}" },
    });
    expect(outcome.ok).toBe(true);
    expect(everlytic.delivered[0]).toMatchObject({ subject: "Statement for John", html: "<p>Dear John, your May statement is ready.</p>" });
  });

  it("refuses html together with a template before sending: which one Everlytic would send is undocumented", async () => {
    const outcome = failure(await client().send({ ...templateExample, body: { html: "<p>Other content</p>" } } as EverlyticMessage));
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "body.html", rule: "template_excludes_body" }] });
    expect(everlytic.requests).toHaveLength(0);
  });

  it("maps an unknown template to a rejection", async () => {
    const outcome = failure(await client().send({ ...templateExample, options: { template_id: "no-such-template" } }));
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, vendorCode: "invalid", delivery: "not_sent", retryable: false });
    expect(outcome.message).toBe("400 invalid: Send Failed - Template not found: no-such-template");
  });
});

describe("the host and the credentials", () => {
  it("defaults to Everlytic's documented host", async () => {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      return Response.json({ transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] });
    };
    const outcome = await createEverlyticClient({ username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY, fetch }).send(minimal);
    expect(EVERLYTIC_BASE_URL).toBe("https://api.everlytic.net");
    expect(urls).toEqual(["https://api.everlytic.net/transactional/email/v1/mail"]);
    expect(outcome).toMatchObject({ ok: true, data: { transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] } });
  });

  it("maps 401 Login Required to an auth failure", async () => {
    const outcome = failure(await client({ apiKey: "wrong-key-value" }).send(minimal));
    expect(outcome).toMatchObject({
      kind: "auth",
      status: 401,
      vendorCode: "required",
      vendorMessage: "Login Required",
      delivery: "not_sent",
      retryable: false,
      attempts: 1,
    });
    expect(outcome.message).toBe("401 required: Login Required");
  });

  it("sends non-ASCII credentials as UTF-8 in the Basic header", async () => {
    await client({ username: "zoë", apiKey: "ключ-1234" }).send(minimal);
    const encoded = everlytic.requests[0]!.headers.authorization!.replace("Basic ", "");
    expect(new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)))).toBe("zoë:ключ-1234");
  });
});

describe("Everlytic's documented error answers", () => {
  it("maps an unverified sending domain (400, reason invalid) to a rejection with the vendor's message", async () => {
    const outcome = failure(await client().send({ ...minimal, headers: { ...minimal.headers, from: { email: "boss@fakedomain.com" } } }));
    expect(outcome).toMatchObject({
      kind: "rejected",
      status: 400,
      vendorCode: "invalid",
      vendorMessage: "Send Failed - Unable to send: Unverified Domain - fakedomain.com",
      delivery: "not_sent",
      retryable: false,
      details: { code: 400, error: { errors: [{ location: "default" }] } },
    });
    expect(everlytic.delivered).toHaveLength(0);
  });

  it("maps reason UnverifiedDomain to a rejection as well", async () => {
    everlytic.answerNext(everlyticError(400, { reason: "UnverifiedDomain", message: "Unverified Domain - example.org", location: "sendValidation" }));
    expect(failure(await client().send(minimal))).toMatchObject({ kind: "rejected", vendorCode: "UnverifiedDomain", retryable: false });
  });

  it("maps the page's 412 (message is an object of field errors) to a rejection, keeping the errors", async () => {
    everlytic.answerNext(FROM_EMAIL_412);
    const outcome = failure(await client().send(minimal));
    expect(outcome).toMatchObject({
      kind: "rejected",
      status: 412,
      vendorCode: "invalidParameter",
      vendorMessage: "The headers.from.email format is invalid.",
      delivery: "not_sent",
      retryable: false,
      details: FROM_EMAIL_412.body,
    });
    expect(outcome.message).toBe("412 invalidParameter: The headers.from.email format is invalid.");
  });

  it("joins several field errors into one readable message, naming fields the texts do not", async () => {
    everlytic.answerNext(
      everlyticError(412, {
        reason: "invalidParameter",
        message: { errors: { "headers.subject": ["The headers.subject may not be greater than 255 characters."], "attachments.data.0": ["Unsupported file type."] } },
        location: "sendValidation",
      }),
    );
    const outcome = failure(await client().send(minimal));
    expect(outcome.kind === "rejected" && outcome.vendorMessage).toBe(
      "The headers.subject may not be greater than 255 characters.; attachments.data.0: Unsupported file type.",
    );
  });

  it("maps Suppressed to a rejection naming the suppressed recipients; nothing was sent", async () => {
    const outcome = failure(
      await client().send({ ...minimal, headers: { ...minimal.headers, to: [{ email: "joe@example.com" }, { email: "Bounced@Example.com" }] } }),
    );
    expect(outcome).toMatchObject({ kind: "rejected", vendorCode: "Suppressed", delivery: "not_sent", retryable: false });
    // Only the address Everlytic named, as the caller wrote it, so it can be dropped before sending again.
    expect(outcome.kind === "rejected" && outcome.failedRecipients).toEqual(["Bounced@Example.com"]);
    expect(everlytic.delivered).toHaveLength(0);
  });

  it("names only the whole addresses Everlytic names, not an address that is part of another", async () => {
    const to = [{ email: "ounced@example.com" }, { email: "Bounced@Example.com" }];
    const outcome = failure(await client().send({ ...minimal, headers: { ...minimal.headers, to } }));
    expect(outcome.kind === "rejected" && outcome.failedRecipients).toEqual(["Bounced@Example.com"]);
  });

  it("maps Suppressed without a named address to a rejection that says which recipient is unknown", async () => {
    everlytic.answerNext(everlyticError(400, { reason: "Suppressed", message: "Recipient is suppressed", location: "suppressionValidation" }));
    const outcome = failure(await client().send(minimal));
    expect(outcome).toMatchObject({ kind: "rejected", vendorCode: "Suppressed", delivery: "not_sent" });
    // Not an empty list, which would say "none": nobody is named, so which recipients is unknown.
    expect(outcome).not.toHaveProperty("failedRecipients");
    expect(outcome.message).toBe("400 Suppressed: Recipient is suppressed; Everlytic did not say which recipient is suppressed");
  });

  it("maps RequestLimit to rate_limited: nothing was sent, so it is retried and can then succeed", async () => {
    everlytic.answerNext(everlyticError(400, { domain: "usageLimit", reason: "RequestLimit", message: "Too many requests", location: "default" }));
    const outcome = await client().send(minimal);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(everlytic.requests).toHaveLength(2);
    expect(everlytic.requests[0]!.text).toBe(everlytic.requests[1]!.text);
  });

  it("reports RequestLimit with the vendor's Retry-After when retries run out", async () => {
    everlytic.answerNext({
      ...everlyticError(429, { domain: "usageLimit", reason: "RequestLimit", message: "Too many requests", location: "default" }),
      headers: { "retry-after": "30" },
    });
    const outcome = failure(await client({ retry: { retries: 0 } }).send(minimal));
    expect(outcome).toMatchObject({
      kind: "rate_limited",
      status: 429,
      vendorCode: "RequestLimit",
      retryAfter: 30,
      retryable: true,
      delivery: "not_sent",
    });
  });

  it("maps NoQuota to a rejection that is not retried: waiting does not restore credits", async () => {
    const poor = await startEverlyticDouble({ quota: 1 });
    try {
      const send = () => createEverlyticClient({ baseUrl: poor.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY, retry: { baseDelayMs: 1 } }).send(htmlExample);
      const outcome = failure(await send());
      expect(outcome).toMatchObject({ kind: "rejected", vendorCode: "NoQuota", retryable: false, delivery: "not_sent", attempts: 1 });
      expect(outcome.message).toBe("400 NoQuota: Send Failed - Insufficient credits");
      expect(poor.requests).toHaveLength(1);
      expect(poor.specViolations).toEqual([]);
    } finally {
      await poor.close();
    }
  });

  it("maps ForbiddenAccess to an auth failure", async () => {
    everlytic.answerNext(everlyticError(400, { reason: "ForbiddenAccess", message: "Access to this resource is forbidden", location: "authorization" }));
    expect(failure(await client().send(minimal))).toMatchObject({ kind: "auth", vendorCode: "ForbiddenAccess", retryable: false, delivery: "not_sent" });
  });
});

describe("answers the page does not document", () => {
  it("maps 500 to a server error whose delivery is unknown, and does not retry it", async () => {
    everlytic.answerNext({ status: 500, body: { code: 500, message: "Internal Server Error", error: { errors: [] } } });
    const outcome = failure(await client().send(minimal));
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, delivery: "unknown", retryable: false, attempts: 1 });
    expect(everlytic.requests).toHaveLength(1);
  });

  it("retries 503 (nothing was sent) and succeeds", async () => {
    everlytic.answerNext({ status: 503, body: "Service Unavailable" });
    expect(await client().send(minimal)).toMatchObject({ ok: true, attempts: 2 });
  });

  it("keeps a non-JSON error page as the vendor message", async () => {
    everlytic.answerNext({ status: 502, body: "<html>Bad Gateway</html>" });
    expect(failure(await client().send(minimal))).toMatchObject({ kind: "server_error", status: 502, vendorMessage: "<html>Bad Gateway</html>", delivery: "unknown" });
  });

  it("treats a 200 without transactions as a send whose outcome is unknown", async () => {
    everlytic.answerNext({ status: 200, body: "OK" });
    expect(failure(await client().send(minimal))).toMatchObject({ kind: "server_error", status: 200, delivery: "unknown", retryable: false });
  });

  it("maps 404 (a wrong base URL) to a rejection", async () => {
    expect(failure(await client({ baseUrl: `${everlytic.url}/v2` }).send(minimal))).toMatchObject({ kind: "rejected", status: 404, delivery: "not_sent" });
  });
});

describe("when no answer comes", () => {
  it("times out with delivery unknown, without retrying", async () => {
    everlytic.answerNext({ status: 200, body: { transactions: [] }, delayMs: 200 });
    const outcome = failure(await client({ timeoutMs: 50 }).send(minimal));
    expect(outcome).toMatchObject({ kind: "timeout", timeoutMs: 50, delivery: "unknown", retryable: false, attempts: 1 });
    expect(everlytic.requests).toHaveLength(1);
  });

  it("reports a connection reset after sending as a network failure that may have sent", async () => {
    everlytic.answerNext({ status: 200, reset: true });
    expect(failure(await client().send(minimal))).toMatchObject({ kind: "network", delivery: "unknown", retryable: false });
    expect(everlytic.requests).toHaveLength(1);
  });

  it("reports a refused connection as not sent, and retries it", async () => {
    const outcome = failure(await client({ baseUrl: await closedPortUrl() }).send(minimal));
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true, attempts: 3 });
  });

  it("ends with aborted when the caller's signal fires", async () => {
    everlytic.answerNext({ status: 200, body: { transactions: [] }, delayMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect(failure(await client().send(minimal, { signal: controller.signal }))).toMatchObject({ kind: "aborted", delivery: "unknown" });
  });
});
