/**
 * No credential ever reaches the caller: not in an outcome, a message, a cause, a middleware's view of the
 * request, or a log entry. Every scenario's output is collected and searched for every form of the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchForSecrets } from "../support/secret-watch.js";
import { createListmonkClient } from "../../src/listmonk/index.js";
import { startListmonkDouble, LISTMONK_TOKEN, LISTMONK_USER, type ListmonkDouble } from "../listmonk/double.js";

const secretForms = [LISTMONK_TOKEN, `${LISTMONK_USER}:${LISTMONK_TOKEN}`, btoa(`${LISTMONK_USER}:${LISTMONK_TOKEN}`)];
const message = { subscriber_emails: ["ada@example.com"], template_id: 2 };

let listmonk: ListmonkDouble;
const watch = watchForSecrets();
const { record, seen, logs, hookViews } = watch;

const client = (overrides: { baseUrl?: string; fetch?: (request: Request) => Promise<Response>; authScheme?: "basic" | "token" } = {}) =>
  createListmonkClient({
    baseUrl: listmonk.url,
    username: LISTMONK_USER,
    token: LISTMONK_TOKEN,
    middleware: [watch.middleware],
    logger: watch.logger,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });

beforeAll(async () => {
  listmonk = await startListmonkDouble();
});
afterAll(async () => {
  await listmonk.close();
});

describe("credentials never leave the client", () => {
  it("sends the credentials to the vendor, where they belong", async () => {
    expect((await record(client().send(message))).ok).toBe(true);
    expect((await record(client({ authScheme: "token" }).send(message))).ok).toBe(true);
    expect(listmonk.requests.at(-1)!.headers.authorization).toContain(LISTMONK_TOKEN);
  });

  it("removes a credential the vendor echoes back in an error", async () => {
    listmonk.answerNext({ status: 403, body: { message: `invalid API credentials: ${LISTMONK_USER}:${LISTMONK_TOKEN}` } });
    const outcome = await record(client().send(message));
    expect(outcome).toMatchObject({ kind: "auth", vendorMessage: "invalid API credentials: [redacted]" });
  });

  it("removes a credential from a network error's message and cause", async () => {
    const fetch = async (request: Request) => {
      throw new TypeError(`fetch failed for ${request.headers.get("authorization")}`, {
        cause: new Error(`socket closed, sent ${request.headers.get("authorization")}`),
      });
    };
    const outcome = await record(client({ fetch }).send(message));
    expect(outcome).toMatchObject({ kind: "network" });
    expect(JSON.stringify(outcome)).toContain("[redacted]");
  });

  it("keeps credentials out of every other failure kind", async () => {
    listmonk.answerNext({ status: 500, body: LISTMONK_TOKEN }, { status: 429, body: { message: LISTMONK_TOKEN } });
    await record(client().send(message));
    await record(client().send({ ...message, template_id: 9 }));
    await record(client().send({ ...message, subscriber_emails: ["Ada <ada@example.com>"] }));
    await record(client().send(message, { signal: AbortSignal.abort() }));
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    await record(client({ fetch: hanging }).send(message, { timeoutMs: 5 }));
    expect(seen.length).toBeGreaterThanOrEqual(9);
  });

  it("shows middleware the request as sent, minus the Authorization header", () => {
    expect(hookViews.length).toBeGreaterThan(0);
    expect(hookViews.join("\n")).not.toMatch(/authorization/i);
  });

  it("has no secret in any outcome, log entry or hook view above", () => {
    const everything = JSON.stringify({ seen, logs, hookViews });
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secretForms) expect(everything).not.toContain(secret);
  });
});
