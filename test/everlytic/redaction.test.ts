/**
 * The Everlytic API key never reaches the caller: not in an outcome, a message, a cause, a middleware's view
 * of the request, or a log entry. Every scenario's output is collected and searched for every form of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchForSecrets } from "../support/secret-watch.js";
import { createEverlyticClient, type EverlyticOptions, type Outcome } from "../../src/everlytic/index.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, everlyticError, startEverlyticDouble, type EverlyticDouble } from "./double.js";
import { minimal } from "./fixtures.js";

const pair = `${EVERLYTIC_USER}:${EVERLYTIC_API_KEY}`;
const secretForms = [EVERLYTIC_API_KEY, pair, btoa(pair)];

let everlytic: EverlyticDouble;
const watch = watchForSecrets();
const { record, seen, logs, hookViews } = watch;

const client = (overrides: Partial<EverlyticOptions> = {}) =>
  createEverlyticClient({
    baseUrl: everlytic.url,
    username: EVERLYTIC_USER,
    apiKey: EVERLYTIC_API_KEY,
    middleware: [watch.middleware],
    logger: watch.logger,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });

beforeAll(async () => {
  everlytic = await startEverlyticDouble();
});
afterAll(async () => {
  expect(everlytic.specViolations).toEqual([]);
  await everlytic.close();
});

describe("the API key never leaves the client", () => {
  it("sends the credentials to Everlytic, where they belong", async () => {
    expect((await record(client().send(minimal))).ok).toBe(true);
    expect(everlytic.requests.at(-1)!.headers.authorization).toBe(`Basic ${btoa(pair)}`);
  });

  it("removes the key, the user:key pair and its base64 when Everlytic echoes them in an error", async () => {
    everlytic.answerNext(
      everlyticError(401, { reason: "required", message: `Login Required for ${pair} (Basic ${btoa(pair)})`, location: "authorization" }),
      everlyticError(412, { reason: "invalidParameter", message: { errors: { [`key ${EVERLYTIC_API_KEY}`]: [EVERLYTIC_API_KEY] } }, location: "sendValidation" }),
    );
    const auth = await record(client().send(minimal));
    expect(auth).toMatchObject({ kind: "auth", vendorMessage: "Login Required for [redacted] (Basic [redacted])" });
    const rejected = await record(client().send(minimal));
    expect(JSON.stringify(rejected)).toContain("[redacted]");
  });

  it("removes the key from a network error's message and cause", async () => {
    const fetch = async (request: Request) => {
      throw new TypeError(`fetch failed for ${request.headers.get("authorization")}`, {
        cause: new Error(`socket closed, sent ${request.headers.get("authorization")}`),
      });
    };
    const outcome = await record(client({ fetch }).send(minimal));
    expect(outcome).toMatchObject({ kind: "network" });
    expect(JSON.stringify(outcome)).toContain("[redacted]");
  });

  it("keeps the key out of every other failure kind", async () => {
    everlytic.answerNext(
      { status: 500, body: EVERLYTIC_API_KEY },
      everlyticError(429, { domain: "usageLimit", reason: "RequestLimit", message: EVERLYTIC_API_KEY, location: "default" }),
      everlyticError(400, { reason: "Suppressed", message: `suppressed (${pair})`, location: "suppressionValidation" }),
    );
    await record(client().send(minimal));
    await record(client({ retry: { retries: 0 } }).send(minimal));
    await record(client().send(minimal));
    // valibot's type messages quote the value: a key pasted into the wrong field must not come back either.
    const misplaced = await record(client().send({ ...minimal, options: { track_opens: EVERLYTIC_API_KEY as never } }));
    expect(misplaced).toMatchObject({ kind: "validation", issues: [{ path: "options.track_opens", rule: "boolean" }] });
    await record(client().send(minimal, { signal: AbortSignal.abort() }));
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    await record(client({ fetch: hanging }).send(minimal, { timeoutMs: 5 }));
    expect(new Set(seen.map((outcome) => (outcome as Outcome<unknown>).kind))).toEqual(
      new Set(["sent", "auth", "rejected", "network", "server_error", "rate_limited", "validation", "aborted", "timeout"]),
    );
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
