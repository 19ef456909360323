/**
 * Live mode (vendor credentials configured): the worker calls the vendors' real URLs with its secrets, and every
 * vendor failure comes back in the one problem envelope with the library's kind, `retryable` and `delivery`.
 * The vendors here are fakes behind `fetch` that misbehave on purpose, quoting the credentials they were sent;
 * no answer of the worker may repeat one (secret-scan.ts checks every answer and log line of this file too).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { CALLER_KEY_BILLING, LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { browserHeaders, fetchWithEnv, signJwt } from "./support/harness.ts";

afterEach(() => vi.restoreAllMocks());

/** Fakes every vendor URL with `answer`, which sees the request as the vendor would (secrets included). */
function fakeVendors(answer: (request: Request, body: string) => Response | Promise<Response>) {
  const seen: { url: string; authorization: string | null; body: string }[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (!/shop\.example|esv2\.com|actonsoftware\.com|everlytic\.net/.test(request.url)) return realFetch(request);
    const body = new TextDecoder().decode(await request.arrayBuffer());
    seen.push({ url: request.url, authorization: request.headers.get("authorization"), body });
    return answer(request, body);
  });
  return seen;
}

const caller = (vendor: string, message: unknown) =>
  fetchWithEnv(LIVE_VENDOR_SECRETS, `/v1/send/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
    body: JSON.stringify(message),
  });
const listmonkMessage = { template_id: 2, subscriber_emails: ["ada@example.com"] };

describe("a live send", () => {
  it("goes to the vendor's URL with the deployment's credentials, and answers the library's Sent", async () => {
    const seen = fakeVendors(() => Response.json({ data: true }));
    const answer = await caller("listmonk", listmonkMessage);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, kind: "sent", vendor: "listmonk", attempts: 1 });
    expect(seen[0]).toMatchObject({ url: "https://lists.shop.example/api/tx", authorization: `Basic ${btoa(`${LIVE_VENDOR_SECRETS.LISTMONK_USERNAME}:${LIVE_VENDOR_SECRETS.LISTMONK_TOKEN}`)}` });
  });

  it("refuses a vendor this deployment has no credentials for, rather than sandboxing it", async () => {
    const answer = await fetchWithEnv({ LISTMONK_URL: LIVE_VENDOR_SECRETS.LISTMONK_URL, LISTMONK_USERNAME: "txgate", LISTMONK_TOKEN: LIVE_VENDOR_SECRETS.LISTMONK_TOKEN }, "/v1/send/everlytic", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_BILLING}` },
      body: JSON.stringify({ headers: { to: [{ email: "a@example.com" }] }, options: { template_id: "t" } }),
    });
    expect(answer.body).toMatchObject({ status: 503, kind: "not_configured", detail: expect.stringMatching(/^everlytic is not configured on this worker: set everlytic's credentials \(EVERLYTIC_USERNAME, EVERLYTIC_API_KEY\)/) });
  });
});

describe("vendor failures become one problem envelope", () => {
  it("the vendor refusing our credentials is a 502 auth problem, its body (quoting the key) withheld", async () => {
    fakeVendors((request) => Response.json({ message: `invalid API credentials: ${request.headers.get("authorization")} (${LIVE_VENDOR_SECRETS.LISTMONK_TOKEN})` }, { status: 403 }));
    const answer = await caller("listmonk", listmonkMessage);
    expect(answer.status).toBe(502);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body).toMatchObject({ type: "urn:txgate:problem:auth", kind: "auth", retryable: false, delivery: "not_sent", vendor: "listmonk" });
    expect(answer.body.detail).toContain("[redacted]");
    expect(answer.body).not.toHaveProperty("details");
  });

  it("a vendor's 429 is a 429 with its Retry-After", async () => {
    fakeVendors(() => Response.json({ code: 429, message: "Too many", error: { errors: [{ reason: "RequestLimit", message: "Too many", location: "default" }] } }, { status: 429, headers: { "retry-after": "30" } }));
    const answer = await caller("everlytic", { headers: { to: [{ email: "a@example.com" }] }, options: { template_id: "t" } });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("30");
    expect(answer.body).toMatchObject({ kind: "rate_limited", retryable: true, delivery: "not_sent", retryAfter: 30 });
  });

  it("a vendor's 500 may have sent the email: delivery unknown, not retryable", async () => {
    fakeVendors((_request, body) => new Response(`<ApiResponse><ErrorMessage><Code>500</Code><Message>Failed: ${body}</Message></ErrorMessage></ApiResponse>`, { status: 500 }));
    const answer = await caller("expertsender", { transactionalId: 123, Receiver: { Email: "a@example.com" } });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ kind: "server_error", retryable: false, delivery: "unknown" });
  });

  it("an unreachable vendor is a 502 network problem", async () => {
    fakeVendors(() => {
      throw new TypeError(`connect ECONNREFUSED (key ${LIVE_VENDOR_SECRETS.EXPERTSENDER_API_KEY})`);
    });
    const answer = await caller("expertsender", { transactionalId: 123, Receiver: { Email: "a@example.com" } });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ kind: "network", delivery: "not_sent" });
  });

  it("Act-On's refused login is an auth problem; the password and client secret never come back", async () => {
    fakeVendors((_request, body) => Response.json({ error: "invalid_grant", error_description: `Wrong email or password for ${body}` }, { status: 403 }));
    const answer = await caller("acton", {
      templateId: "t-1",
      envelope: { toAddress: "a@example.com" },
      metadata: { transactional: true, externalId: "x-1" },
      actions: { trackOpens: false, trackClicks: false },
    });
    expect(answer.body).toMatchObject({ kind: "auth", delivery: "not_sent" });
  });

  it("browsers get the kind and a generic detail, not the vendor's words", async () => {
    fakeVendors(() => Response.json({ message: "template 2 not found" }, { status: 400 }));
    const answer = await fetchWithEnv(LIVE_VENDOR_SECRETS, "/v1/actions", {
      method: "POST",
      headers: browserHeaders({ jwt: await signJwt({ email: "ada@example.com" }) }),
      body: JSON.stringify({ action: "order-shipped", variables: { orderNumber: "A-1" } }),
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      type: "urn:txgate:problem:rejected",
      title: "The email service refused the message",
      status: 422,
      detail: "The email service refused the message",
      kind: "rejected",
      retryable: false,
      delivery: "not_sent",
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://shop.example");
  });
});
