/**
 * No credential ever reaches the caller: not in an outcome, a message, a cause, a middleware's view of the
 * request, or a log entry. Every scenario's output is collected and searched for every form of the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchForSecrets } from "../support/secret-watch.js";
import { createActOnClient, memoryTokenStore } from "../../src/acton/index.js";
import { Redactor } from "../../src/core/redact.js";
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

  it("removes a credential the vendor echoes inside an object key, not only in values", async () => {
    // A server that keys its error by the offending input: the Authorization pair becomes a key of `errors`.
    const keyed = async (request: Request) =>
      Response.json({ message: "unexpected input", errors: { [`header ${request.headers.get("authorization")!}`]: "unknown field", [`field ${LISTMONK_TOKEN}`]: { [LISTMONK_TOKEN]: 1 } } }, { status: 400 });
    const outcome = await record(client({ fetch: keyed }).send(message));
    expect(outcome).toMatchObject({ kind: "rejected", status: 400 });
    const details = !outcome.ok && outcome.kind === "rejected" ? (outcome.details as { errors: Record<string, unknown> }) : undefined;
    expect(Object.values(details?.errors ?? {})).toEqual(["unknown field", { "[redacted]": 1 }]);
    expect(Object.keys(details?.errors ?? {})).toEqual(["header [redacted]", "field [redacted]"]);
  });

  it("removes Act-On's password from a token answer that parsed the form body into a key", async () => {
    const password = "form-keyed-p4ssword";
    const credentials = { username: "ops@example.com", password, clientId: "client-id-31c8", clientSecret: "client-secret-9b2e" };
    // As a framework does with a form body it took for something else: the whole body becomes one key.
    const fetch = async (request: Request) => Response.json({ error: "invalid_request", received: { [await request.text()]: "" } }, { status: 400 });
    const acton = createActOnClient({ baseUrl: "https://acton-keyed.test", accountId: "1234567", credentials, tokenStore: memoryTokenStore(), fetch, retry: { retries: 0 } });
    const outcome = await record(acton.send({
      templateId: "t-plain",
      envelope: { toAddress: "jane.doe@example.com" },
      metadata: { transactional: false, externalId: "order-1001" },
      actions: { trackOpens: false, trackClicks: false },
    }));
    expect(outcome).toMatchObject({ ok: false, delivery: "not_sent" });
    const text = JSON.stringify(outcome);
    expect(text).toContain("password=[redacted]");
    expect(text).not.toContain(password);
    expect(text).not.toContain(credentials.clientSecret);
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

describe("Redactor.value", () => {
  it("redacts keys as well as values, at any depth, and leaves a value without a secret as it is", () => {
    const redactor = new Redactor().add("s3cret-value");
    expect(redactor.value({ "s3cret-value": 1, list: [{ "id s3cret-value": "x" }], plain: "s3cret-value" })).toEqual({
      "[redacted]": 1,
      list: [{ "id [redacted]": "x" }],
      plain: "[redacted]",
    });
    const clean = { a: { b: ["c"] } };
    expect(redactor.value(clean)).toBe(clean);
  });
});
