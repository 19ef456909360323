/**
 * A page and its queued email: the 202's `Location` and a replay's `Idempotent-Replayed` are readable across
 * origins (CORS exposes them), and `messageStatus(id)` of txgate/browser reads the message's state, for its own
 * user only.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createBrowserClient } from "../../../src/browser/index.ts";
import type { Actions } from "../../../worker/actions.ts";
import { ORIGIN } from "../support/bindings.ts";
import { view } from "../support/delivery.ts";
import { browserHeaders, fetchWorker, HOST, signJwt, uniqueSubject } from "../support/harness.ts";

const HOUR = 3600_000;

function pageClient() {
  return createBrowserClient<Actions>({
    endpoint: `${HOST}/v1/actions`,
    fetch: (input, init) => SELF.fetch(input as string, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } }),
  });
}

describe("CORS on the browser route", () => {
  it("lets the page read Location from a 202 and Idempotent-Replayed from a replay", async () => {
    const jwt = await signJwt({ sub: uniqueSubject() });
    const headers = browserHeaders({ jwt });
    const key = `page-${crypto.randomUUID()}`;
    const body = JSON.stringify({ action: "welcome", variables: { firstName: "Ada" }, sendAt: new Date(Date.now() + 2 * 24 * HOUR).toISOString() });
    const first = await fetchWorker("/v1/actions", { method: "POST", headers: { ...headers, prefer: "respond-async", "idempotency-key": key }, body });
    expect(first.status).toBe(202);
    const exposed = (first.headers.get("access-control-expose-headers") ?? "").split(",").map((name) => name.trim());
    expect(exposed).toEqual(expect.arrayContaining(["location", "idempotent-replayed"]));
    expect(first.headers.get("location")).toBe(`/v1/messages/${first.body.id}`);
    const again = await fetchWorker("/v1/actions", { method: "POST", headers: { ...headers, prefer: "respond-async", "idempotency-key": key }, body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("access-control-expose-headers")).toContain("idempotent-replayed");
  });
});

describe("txgate/browser messageStatus", () => {
  it("reads a queued message's state for its user, and not_found for another user or an unknown id", async () => {
    const sub = uniqueSubject();
    const idToken = await signJwt({ sub });
    const mail = pageClient();
    const sendAt = new Date(Date.now() + 2 * 24 * HOUR);
    const queued = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken, sendAt });
    expect(queued).toMatchObject({ ok: true, kind: "queued" });
    const id = (queued as { id: string }).id;

    const status = await mail.messageStatus(id, { idToken });
    expect(status).toMatchObject({ ok: true, id, state: "scheduled", attempts: 0, sendAt: sendAt.toISOString() });
    expect(status.ok && status.history[0]).toMatchObject({ state: "scheduled" });
    expect(await mail.messageStatus(id, { idToken: await signJwt() })).toMatchObject({ ok: false, kind: "not_found", status: 404 });
    expect(await mail.messageStatus(crypto.randomUUID(), { idToken })).toMatchObject({ ok: false, kind: "not_found" });

    await mail.cancel(id, { idToken });
    expect(await mail.messageStatus(id, { idToken })).toMatchObject({ ok: true, state: "cancelled" });
    expect((await view(id)).state).toBe("cancelled");
  });

  it("answers a network failure as a failure that may or may not have reached the worker, never throwing", async () => {
    const mail = createBrowserClient<Actions>({ endpoint: `${HOST}/v1/actions`, fetch: async () => { throw new TypeError("offline"); } });
    expect(await mail.messageStatus(crypto.randomUUID())).toMatchObject({ ok: false, kind: "network", status: 0 });
    const aborted = new AbortController();
    aborted.abort();
    const slow = createBrowserClient<Actions>({ endpoint: `${HOST}/v1/actions`, fetch: async () => { throw new DOMException("aborted", "AbortError"); } });
    expect(await slow.messageStatus(crypto.randomUUID(), { signal: aborted.signal })).toMatchObject({ ok: false, kind: "aborted" });
  });

  it("asks the messages endpoint next to the actions endpoint, or the one given", async () => {
    const urls: string[] = [];
    const answer = async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return Response.json({ type: "urn:txgate:problem:not_found", title: "no such message", status: 404, detail: "no such message", kind: "not_found", retryable: false }, { status: 404 });
    };
    await createBrowserClient<Actions>({ endpoint: "https://mail.example/v1/actions", fetch: answer as typeof fetch }).messageStatus("a b");
    await createBrowserClient<Actions>({ endpoint: "https://mail.example/v1/actions", messagesEndpoint: "https://other.example/m", fetch: answer as typeof fetch }).messageStatus("x");
    expect(urls).toEqual(["https://mail.example/v1/messages/a%20b", "https://other.example/m/x"]);
  });
});
