/**
 * One structured line per request and one per queued attempt, with what an operator needs (Workers Logs queries
 * them by field) and nothing a caller sent: no address, no header, no body, no secret.
 */
import { describe, expect, it } from "vitest";
import { resolveAction } from "../../src/worker/delivery/send-job.ts";
import { actions } from "../../worker/actions.ts";
import { CALLER_KEY_BILLING } from "./support/bindings.ts";
import { deliver, stateOf } from "./support/delivery.ts";
import { browserSend, callerSend, fetchWorker, LOCAL, signJwt } from "./support/harness.ts";
import { journal, leaks } from "./support/secret-scan.ts";

const linesSince = (start: number) => journal.slice(start).filter((entry) => entry.source === "console.log").map((entry) => JSON.parse(entry.text));

describe("request log lines", () => {
  it("a trusted send: route, caller id, vendor, outcome, status, time", async () => {
    const start = journal.length;
    await callerSend("listmonk", { template_id: 2, subscriber_emails: ["ada@example.com"] }, CALLER_KEY_BILLING, { "x-debug": "please log me" });
    const [line, ...others] = linesSince(start);
    expect(others).toEqual([]);
    expect(line).toEqual({ at: expect.any(String), method: "POST", path: "/v1/send/listmonk", route: "/v1/send/{vendor}", caller: "billing", vendor: "listmonk", outcome: "sent", delivery: "sent", attempts: 1, status: 200, ms: expect.any(Number) });
  });
  it("a refusal: its kind and the action, no query string, header or body", async () => {
    const start = journal.length;
    await browserSend({ action: "welcome", variables: { firstName: "Pat\r\nBcc: x@evil.example" } }, { jwt: await signJwt() });
    const [line] = linesSince(start);
    expect(line).toMatchObject({ path: "/v1/actions", action: "welcome", kind: "validation", status: 422 });
    expect(JSON.stringify(line)).not.toMatch(/Bcc|evil|Bearer|eyJ/);
  });
});

describe("queued sends' lines", () => {
  it("a queued send's line names the message it made; reading the message names it too", async () => {
    const start = journal.length;
    const answer = await callerSend("expertsender", { transactionalId: 123, Receiver: { Email: "logged-not@example.com" } }, CALLER_KEY_BILLING, { prefer: "respond-async" });
    const id = answer.body.id as string;
    await fetchWorker(`/v1/messages/${id}`, { headers: { authorization: `Bearer ${CALLER_KEY_BILLING}` } });
    const [queued, read] = linesSince(start).filter((line) => line.route !== "queue");
    expect(queued).toMatchObject({ method: "POST", route: "/v1/send/{vendor}", caller: "billing", vendor: "expertsender", message: id, status: 202 });
    expect(read).toMatchObject({ method: "GET", route: "/v1/messages/{id}", message: id, status: 200 });
    expect(JSON.stringify(linesSince(start))).not.toContain("logged-not@example.com");
  });

  it("one line per attempt: message, vendor, attempt, outcome kind, delivery, requests, new state, duration", async () => {
    const to = `attempt-${crypto.randomUUID()}@example.com`;
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: { body: { html: "<p>Hi</p>" }, headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: to }] } }, decode: true });
    await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "POST", body: JSON.stringify({ status: 429, count: 1, retryAfter: 30, vendor: "everlytic" }) });
    const start = journal.length;
    await deliver(id);
    const [retried] = linesSince(start).filter((line) => line.route === "queue");
    expect(retried).toEqual({ at: expect.any(String), route: "queue", message: id, vendor: "everlytic", attempt: 1, kind: "rate_limited", delivery: "not_sent", attempts: 1, state: "queued", ms: expect.any(Number) });
    const lines = linesSince(start);
    expect(JSON.stringify(lines)).not.toContain(to);
    expect(leaks(journal.slice(start))).toEqual([]);
    await fetchWorker(`${LOCAL}/sandbox/failures`, { method: "DELETE" });
  });

  it("a queued browser action's attempt line names its action, and not its recipient", async () => {
    const to = `action-${crypto.randomUUID()}@example.com`;
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "user:u1", audience: "browser", vendor: "expertsender", body: resolveAction("welcome", actions.welcome, to, { firstName: "Ada" }), decode: false });
    const start = journal.length;
    await deliver(id);
    const lines = linesSince(start);
    expect(lines.filter((line) => line.route === "queue")).toEqual([
      { at: expect.any(String), route: "queue", message: id, vendor: "expertsender", action: "welcome", attempt: 1, kind: "sent", delivery: "sent", attempts: 1, state: "sent", ms: expect.any(Number) },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/action-.*@example\.com|Ada/);
  });
});
