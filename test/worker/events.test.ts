/**
 * Delivery events: `POST /v1/events/{vendor}` takes a vendor's webhook (Everlytic's, basic auth from the worker's
 * secrets), attaches each event once to the message it names (through the vendor ids the send returned, or our id
 * carried back in the custom header), and shows it in `GET /v1/messages/{id}` as `events[]` and `delivery`; a bad
 * post is refused and changes nothing; an event a message cannot be matched to is counted and dropped; an
 * `unknown` message is settled `sent` by a later event; the sandbox's Everlytic posts its events itself.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { createTxgateWorker } from "../../src/worker/index.ts";
import { VENDOR_LIST } from "../../src/vendors/registry.ts";
import type { AttachedDeliveryEvent } from "../../src/worker/delivery/delivery-events.ts";
import { MAX_EVENT_BODY_BYTES } from "../../src/worker/delivery/delivery-events.ts";
import type { Env } from "../../src/worker/env.ts";
import { actions } from "../../worker/actions.ts";
import { resolveAction } from "../../src/worker/delivery/send-job.ts";
import { rememberQueued } from "../../src/worker/delivery/recent.ts";
import { bindings, deliver, stateOf, view } from "./support/delivery.ts";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER, EVERLYTIC_WEBHOOK_PASSWORD, EVERLYTIC_WEBHOOK_USER } from "./support/bindings.ts";
import { callerSend, countingLimiter, fetchWithEnv, fetchWorker, LOCAL, record } from "./support/harness.ts";
import { journal, leaks } from "./support/secret-scan.ts";

const AUTH = `Basic ${btoa(`${EVERLYTIC_WEBHOOK_USER}:${EVERLYTIC_WEBHOOK_PASSWORD}`)}`;
const email = (to: string) => ({
  body: { html: "<p>Your order has shipped</p>" },
  headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: to }] },
});

/** A message queued by the billing caller and sent by the consumer (through the sandbox's Everlytic). */
async function sentMessage(to = "joe@example.com"): Promise<{ id: string; transactionId: string }> {
  const id = crypto.randomUUID();
  await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: email(to), decode: true });
  await deliver(id);
  const message: any = await view(id);
  return { id, transactionId: message.result?.ids?.[0] };
}

/** Everlytic's standard webhook body: one event of `type` per transaction id. */
const standard = (type: string, transactionIds: readonly string[], timestamp = "2026-12-06 10:00:00") =>
  JSON.stringify({ id: 7, type, timestamp, data: transactionIds.map((id) => ({ transaction: { id, method: "api" }, recipient: { name: "Joe", email: "joe@example.com" } })) });

/** The legacy field set, which echoes the email's custom headers. */
const legacy = (fields: Record<string, unknown>) =>
  JSON.stringify({ event: { event_id: crypto.randomUUID(), event_date: "2026-12-06 10:05:00", email_to: "joe@example.com", ...fields } });

async function post(body: string, init: { auth?: string | null; contentType?: string; vendor?: string } = {}) {
  const headers: Record<string, string> = { "content-type": init.contentType ?? "application/json", "cf-connecting-ip": "198.51.100.20" };
  if (init.auth !== null) headers.authorization = init.auth ?? AUTH;
  return fetchWorker(`/v1/events/${init.vendor ?? "everlytic"}`, { method: "POST", headers, body });
}

async function callerView(id: string, key = CALLER_KEY_BILLING) {
  return fetchWorker(`/v1/messages/${id}`, { headers: { authorization: `Bearer ${key}` } });
}

const counters = async () => (await stateOf("delivery-event-counters").countEvents({})) as Record<string, number>;

beforeEach(async () => {
  await fetchWorker(`${LOCAL}/sandbox/messages`, { method: "DELETE" });
});

describe("the sandbox's Everlytic reports on every email it takes", () => {
  it("bounced@example.com bounces, hard", async () => {
    const { id } = await sentMessage("bounced@example.com");
    const answer = await callerView(id);
    expect(answer.body.state).toBe("sent");
    expect(answer.body.events).toMatchObject([{ kind: "bounced", bounce: "hard" }]);
    expect(answer.body.delivery).toMatchObject({ state: "bounced", bounce: "hard" });
  });

  it("opened@example.com is delivered and opened", async () => {
    const { id } = await sentMessage("opened@example.com");
    const answer = await callerView(id);
    expect(answer.body.events.map((event: any) => event.kind)).toEqual(["delivered", "opened"]);
    expect(answer.body.delivery).toMatchObject({ state: "delivered", opened: true });
  });

  it("any other address is delivered, and the view still holds no address", async () => {
    const { id } = await sentMessage("ada@example.com");
    const answer = await callerView(id);
    expect(answer.body.events).toMatchObject([{ kind: "delivered" }]);
    expect(answer.body.delivery).toMatchObject({ state: "delivered" });
    expect(answer.body.delivery.opened).toBeUndefined();
    expect(answer.text).not.toContain("ada@example.com");
  });

  it("the events are the message's caller's only", async () => {
    const { id } = await sentMessage();
    expect((await callerView(id, CALLER_KEY_NEWSLETTER)).status).toBe(404);
  });
});

describe("POST /v1/events/everlytic", () => {
  it("attaches a click to the message its transaction id names, once however often Everlytic posts it", async () => {
    const { id, transactionId } = await sentMessage();
    const body = standard("click", [transactionId]);
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, received: 1, recorded: 1, duplicate: 0 });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ received: 1, recorded: 0, duplicate: 1 });
    const answer = await callerView(id);
    // Ordered by when each happened: the fixture's click is dated before the sandbox's delivery.
    expect(answer.body.events.map((event: any) => event.kind).sort()).toEqual(["clicked", "delivered"]);
    expect(answer.body.delivery).toMatchObject({ state: "delivered", clicked: true });
  });

  it("reads the same event form-encoded, as the same event (a replay of the JSON one)", async () => {
    const { id, transactionId } = await sentMessage();
    expect((await post(standard("open", [transactionId]))).body.recorded).toBe(1);
    const form = new URLSearchParams({ id: "7", type: "open", timestamp: "2026-12-06 10:00:00", "data[0][transaction][id]": transactionId, "data[0][transaction][method]": "api", "data[0][recipient][name]": "Joe", "data[0][recipient][email]": "joe@example.com" });
    const answer = await post(form.toString(), { contentType: "application/x-www-form-urlencoded" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 0, duplicate: 1 });
    expect((await view(id)).events!.filter((event) => event.kind === "opened")).toHaveLength(1);
  });

  it("a bounce settles the delivery summary, and a later open does not undo it", async () => {
    const { id, transactionId } = await sentMessage();
    await post(standard("bounce", [transactionId], "2026-12-06 10:01:00"));
    await post(standard("open", [transactionId], "2026-12-06 10:02:00"));
    expect((await view(id)).delivery).toMatchObject({ state: "bounced", opened: true });
  });

  it("an event for a message it does not know is counted and dropped, in the answer, the log line and the counters", async () => {
    const before = await counters();
    journal.length = 0;
    const answer = await post(standard("delivered", ["not-a-transaction-of-ours"]));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: 1, recorded: 0, unmatched: 1 });
    const line = journal.find((entry) => entry.text.includes('"/v1/events/everlytic"'));
    expect(JSON.parse(line!.text).events).toMatchObject({ unmatched: 1 });
    const after = await counters();
    expect(after.unmatched).toBe((before.unmatched ?? 0) + 1);
    expect(after.received).toBe((before.received ?? 0) + 1);
  });

  it("counts an event Everlytic has no kind for as ignored", async () => {
    const { transactionId } = await sentMessage();
    const answer = await post(standard("resubscribe", [transactionId]));
    expect(answer.body).toMatchObject({ received: 0, ignored: 1 });
  });
});

describe("an event naming a message it cannot be about is not attached, and is counted", () => {
  it("our id carried back with another send's transaction id (another account's event)", async () => {
    const { id } = await sentMessage();
    const before = (await view(id)).events;
    const answer = await post(legacy({ event_type: "open", trans_id: "someone-elses-transaction", custom_headers: { "X-Txgate-Message-Id": id } }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 0, foreign: 1 });
    expect((await view(id)).events).toEqual(before);
  });

  it("our id carried back for a message that was never sent", async () => {
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:newsletter", audience: "caller", vendor: "everlytic", body: email("joe@example.com"), decode: true, sendAt: Date.now() + 3_600_000 });
    const answer = await post(legacy({ event_type: "delivered", trans_id: "t-1", custom_headers: { "X-Txgate-Message-Id": id } }));
    expect(answer.body).toMatchObject({ recorded: 0, foreign: 1 });
    const message = await view(id);
    expect(message.state).toBe("scheduled");
    expect(message.events).toBeUndefined();
  });
});

describe("settling unknown", () => {
  it("a message whose answer was lost (the vendor took it, then answered 500) is settled sent by its events, which carried our id", async () => {
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: email("fail+500@example.com"), decode: true });
    await deliver(id);
    const message = await view(id);
    expect(message.history.map((entry) => entry.state)).toContain("unknown");
    expect(message.state).toBe("sent");
    expect(message.history.at(-1)!.note).toMatch(/settled by the vendor's delivered event/);
    expect(message.delivery).toMatchObject({ state: "delivered" });
  });

  it("a failed event does not settle it", async () => {
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "caller:billing", audience: "caller", vendor: "everlytic", body: email("joe@example.com"), decode: true });
    await stateOf(id).pickUp();
    await stateOf(id).startSending(1);
    await stateOf(id).settle(1, { state: "unknown", outcome: { kind: "server_error", delivery: "unknown" } });
    const answer = await post(legacy({ event_type: "failed", trans_id: "t-2", custom_headers: { "X-Txgate-Message-Id": id } }));
    expect(answer.body).toMatchObject({ recorded: 1 });
    expect((await view(id)).state).toBe("unknown");
  });
});

describe("a bad webhook gets a clear 4xx and changes nothing", () => {
  it("no credentials: 401 with a Basic challenge, nothing attached or counted", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const counted = await counters();
    const answer = await post(standard("click", [transactionId]), { auth: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(await view(id)).toEqual(before);
    expect(await counters()).toEqual(counted);
  });

  it("wrong password: 401, and the attempt is not attached", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const answer = await post(standard("click", [transactionId]), { auth: `Basic ${btoa(`${EVERLYTIC_WEBHOOK_USER}:guess`)}` });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain("guess");
    expect(await view(id)).toEqual(before);
  });

  it("malformed: 400, nothing in it used", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const counted = await counters();
    // The first item is fine, the second has no transaction: the whole body is refused.
    const body = JSON.stringify({ type: "click", timestamp: "2026-12-06 10:00:00", data: [{ transaction: { id: transactionId } }, { recipient: {} }] });
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: "urn:txgate:problem:malformed_events", status: 400 });
    expect(await view(id)).toEqual(before);
    expect(await counters()).toEqual(counted);
  });

  it("not JSON or a form: 415", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const answer = await post(standard("click", [transactionId]), { contentType: "text/plain" });
    expect(answer.status).toBe(415);
    expect(await view(id)).toEqual(before);
  });

  it("oversized: 413, read no further than the cap", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const padded = JSON.stringify({ type: "click", timestamp: "2026-12-06 10:00:00", pad: "x".repeat(MAX_EVENT_BODY_BYTES), data: [{ transaction: { id: transactionId } }] });
    const answer = await post(padded);
    expect(answer.status).toBe(413);
    expect(await view(id)).toEqual(before);
  });

  it("over the events route's rate limit: 429 before the credentials are checked, nothing recorded", async () => {
    const { id, transactionId } = await sentMessage();
    const before = await view(id);
    const limiter = countingLimiter(0);
    const answer = await fetchWithEnv({ EVENTS_RATE_LIMIT: limiter }, "/v1/events/everlytic", { method: "POST", headers: { authorization: AUTH, "content-type": "application/json" }, body: standard("click", [transactionId]) });
    expect(answer.status).toBe(429);
    expect(limiter.keys[0]).toMatch(/^events:everlytic:/);
    expect(await view(id)).toEqual(before);
  });

  it("without the rate limiting binding, or without the webhook's credentials set, the route refuses every post", async () => {
    const { transactionId } = await sentMessage();
    const body = standard("click", [transactionId]);
    const init = { method: "POST", headers: { authorization: AUTH, "content-type": "application/json" }, body };
    expect((await fetchWithEnv({ EVENTS_RATE_LIMIT: undefined }, "/v1/events/everlytic", init)).status).toBe(503);
    const unset = await fetchWithEnv({ EVERLYTIC_WEBHOOK_USER: undefined, EVERLYTIC_WEBHOOK_PASSWORD: undefined } as Partial<Env>, "/v1/events/everlytic", init);
    expect(unset.status).toBe(503);
    expect(unset.body.detail).toMatch(/EVERLYTIC_WEBHOOK_USER/);
  });

  it("a vendor that posts no events, and a method other than POST: 404 and 405", async () => {
    expect((await post("{}", { vendor: "listmonk" })).status).toBe(404);
    expect((await post("{}", { vendor: "nobody" })).status).toBe(404);
    expect((await fetchWorker("/v1/events/everlytic", { headers: { authorization: AUTH } })).status).toBe(405);
  });

});

describe("createTxgateWorker({ onEvent })", () => {
  it("hands each attached event to the deployment's code once, after the answer", async () => {
    const { id, transactionId } = await sentMessage();
    const seen: AttachedDeliveryEvent[] = [];
    const deployment = createTxgateWorker({ vendors: VENDOR_LIST, actions, onEvent: (attached) => void seen.push(attached) });
    const postTo = async () => {
      const ctx = createExecutionContext();
      const request = new Request("https://txgate.test/v1/events/everlytic", { method: "POST", headers: { authorization: AUTH, "content-type": "application/json" }, body: standard("click", [transactionId], "2026-12-06 11:00:00") });
      const answer = await record(await deployment.fetch(request, env as unknown as Env, ctx), "onEvent post");
      await waitOnExecutionContext(ctx);
      return answer;
    };
    expect((await postTo()).body).toMatchObject({ recorded: 1 });
    expect((await postTo()).body).toMatchObject({ duplicate: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ messageId: id, scope: "caller:billing", event: { kind: "clicked", vendor: "everlytic", vendorIds: [transactionId] } });
  });

  it("an onEvent that throws changes nothing the vendor sees", async () => {
    const { transactionId } = await sentMessage();
    const deployment = createTxgateWorker({
      vendors: VENDOR_LIST,
      actions,
      onEvent: () => {
        throw new TypeError("the deployment's bug");
      },
    });
    const ctx = createExecutionContext();
    const request = new Request("https://txgate.test/v1/events/everlytic", { method: "POST", headers: { authorization: AUTH, "content-type": "application/json" }, body: standard("click", [transactionId], "2026-12-06 12:00:00") });
    const answer = await record(await deployment.fetch(request, bindings, ctx), "onEvent throws");
    await waitOnExecutionContext(ctx);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 1 });
  });
});

describe("the outbox page (npm start) shows a message's whole life", () => {
  it("its states, then the vendor's events", async () => {
    const { id } = await sentMessage("opened@example.com");
    rememberQueued(id);
    const page = await fetchWorker(`${LOCAL}/sandbox`);
    expect(page.status).toBe(200);
    const row = page.text.split("<tr").find((line) => line.includes(id))!;
    expect(row).toMatch(/queued.*sending.*sent/s);
    expect(row).toMatch(/<span class="badge">delivered<\/span>.*delivered.*opened/s);
  });
});

describe("whose events these are", () => {
  it("a trusted caller cannot write another message's id into its email's carrier header: a synchronous send carries a fresh id of the worker's", async () => {
    const victim = crypto.randomUUID();
    await stateOf(victim).accept({ id: victim, scope: "caller:newsletter", audience: "caller", vendor: "everlytic", body: email("ada@example.com"), decode: true });
    await stateOf(victim).pickUp();
    await stateOf(victim).startSending(1);
    await stateOf(victim).settle(1, { state: "unknown", outcome: { kind: "server_error", delivery: "unknown" } });
    const forged = { ...email("joe@example.com"), headers: { ...email("joe@example.com").headers, custom_headers: { "X-Txgate-Message-Id": victim } } };
    expect((await callerSend("everlytic", forged, CALLER_KEY_BILLING)).status).toBe(200);
    // A queued send's consumer run hands the sandbox's pending posts (the synchronous send's too) to the event handling.
    await sentMessage();
    const message = await view(victim);
    expect(message.state).toBe("unknown");
    expect(message.events).toBeUndefined();
  });

  it("a browser's message shows the events' kinds and times, never the vendor's own fields", async () => {
    const id = crypto.randomUUID();
    await stateOf(id).accept({ id, scope: "ip:203.0.113.9", audience: "browser", vendor: "everlytic", body: {}, decode: false });
    await stateOf(id).pickUp();
    await stateOf(id).startSending(1);
    await stateOf(id).settle(1, { state: "sent", outcome: { kind: "sent" } }, { vendor: "everlytic", ids: ["t-browser"] });
    expect((await post(legacy({ event_type: "bounce", trans_id: "t-browser", bounce_type: "soft", bounce_reason: "joe@example.com: mailbox full", custom_headers: { "X-Txgate-Message-Id": id } }))).body.recorded).toBe(1);
    const message = await view(id);
    expect(message.events).toEqual([{ kind: "bounced", at: "2026-12-06T10:05:00.000Z", bounce: "soft" }]);
    expect(JSON.stringify(message)).not.toContain("joe@example.com");
  });
});

describe("the webhook's secrets", () => {
  it("never appear in an answer or a log line, whatever is posted", async () => {
    journal.length = 0;
    const { transactionId } = await sentMessage();
    await post(standard("click", [transactionId]));
    await post(standard("click", [transactionId]), { auth: `Basic ${btoa(`${EVERLYTIC_WEBHOOK_PASSWORD}:${EVERLYTIC_WEBHOOK_PASSWORD}`)}` });
    await post(`{"type": "${EVERLYTIC_WEBHOOK_PASSWORD}"`);
    expect(leaks(journal)).toEqual([]);
    expect(journal.some((entry) => entry.text.includes('"/v1/events/everlytic"'))).toBe(true);
  });

  it("a user without a password, or credentials for a vendor that posts none, is a configuration error", async () => {
    const init = { method: "POST", headers: { authorization: AUTH, "content-type": "application/json" }, body: "{}" };
    const half = await fetchWithEnv({ EVERLYTIC_WEBHOOK_PASSWORD: undefined } as Partial<Env>, "/v1/events/everlytic", init);
    expect(half.status).toBe(500);
    expect(half.body.kind).toBe("misconfigured");
    const none = await fetchWithEnv({ LISTMONK_WEBHOOK_USER: "u", LISTMONK_WEBHOOK_PASSWORD: "p" } as Partial<Env>, "/v1/events/everlytic", init);
    expect(none.body.kind).toBe("misconfigured");
  });
});

describe("a queued browser action carries its message id too", () => {
  it("the catalogue's Everlytic send gets its events attached", async () => {
    const id = crypto.randomUUID();
    const body = resolveAction("contact-form", actions["contact-form"], "opened@example.com", { name: "Pat", replyTo: "pat@example.com", message: "Hello" });
    await stateOf(id).accept({ id, scope: "ip:203.0.113.10", audience: "browser", vendor: "everlytic", body, decode: false });
    await deliver(id);
    const message = await view(id);
    expect(message.state).toBe("sent");
    expect(message.events?.map((event) => event.kind)).toEqual(["delivered", "opened"]);
  });
});
