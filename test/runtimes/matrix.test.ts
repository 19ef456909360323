/**
 * The runtimes the library promises: the same smoke script (import each vendor entry, send to a local double,
 * check the outcome) under Node, Bun and Deno, each installed from the npm registry, against the published
 * bundles in dist/. The workerd legs are test/worker/runtime-smoke-published.test.ts (the same bundles) and
 * test/worker/runtime-smoke.test.ts (the source).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startActOnDouble, ACTON_ACCOUNT, ACTON_CREDENTIALS, type ActOnDouble } from "../acton/double.js";
import { minimal as actonMessage } from "../acton/fixtures.js";
import { startEverlyticDouble, EVERLYTIC_API_KEY, EVERLYTIC_USER, type EverlyticDouble } from "../everlytic/double.js";
import { htmlExample } from "../everlytic/fixtures.js";
import { startExpertSenderDouble, EXPERTSENDER_API_KEY, type ExpertSenderDouble } from "../expertsender/double.js";
import { startListmonkDouble, LISTMONK_TOKEN, LISTMONK_USER, type ListmonkDouble } from "../listmonk/double.js";

const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const script = fileURLToPath(new URL("./smoke.mjs", import.meta.url));
const entry = (vendor: string) => new URL(`../../dist/src/${vendor}/index.js`, import.meta.url).href;

let listmonk: ListmonkDouble;
let acton: ActOnDouble;
let everlytic: EverlyticDouble;
let expertsender: ExpertSenderDouble;
let cases: unknown[];

beforeAll(async () => {
  [listmonk, acton, everlytic, expertsender] = await Promise.all([
    startListmonkDouble(),
    startActOnDouble(),
    startEverlyticDouble(),
    startExpertSenderDouble(),
  ]);
  cases = [
    {
      vendor: "listmonk",
      entry: entry("listmonk"),
      factory: "createListmonkClient",
      options: { baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN },
      message: { template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } },
    },
    {
      vendor: "acton",
      entry: entry("acton"),
      factory: "createActOnClient",
      options: { baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS },
      message: actonMessage,
    },
    {
      vendor: "everlytic",
      entry: entry("everlytic"),
      factory: "createEverlyticClient",
      options: { baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY },
      message: htmlExample,
    },
    {
      vendor: "expertsender",
      entry: entry("expertsender"),
      factory: "createExpertSenderClient",
      options: { baseUrl: expertsender.url, apiKey: EXPERTSENDER_API_KEY },
      message: { transactionalId: 123, Receiver: { Email: "patrick@example.com" }, Snippets: [{ Name: "hello", Value: "<b>Hi</b>" }] },
    },
  ];
});
afterAll(async () => {
  await Promise.all([listmonk.close(), acton.close(), everlytic.close(), expertsender.close()]);
});

const runtimes: [string, () => [string, string[]]][] = [
  ["node", () => [bin("node"), [script, JSON.stringify(cases)]]],
  ["bun", () => [bin("bun"), [script, JSON.stringify(cases)]]],
  ["deno", () => [bin("deno"), ["run", "--quiet", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", script, JSON.stringify(cases)]]],
];

describe("every vendor entry sends from every runtime", () => {
  it.each(runtimes)("%s", async (runtime, command) => {
    const doubles = [listmonk, acton, everlytic, expertsender];
    const before = doubles.map((double) => double.requests.length);
    const [file, args] = command();
    const { stdout } = await run(file, args, { timeout: 60_000, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { runtime, vendor: "listmonk", ok: true, kind: "sent", status: 200 },
      { runtime, vendor: "acton", ok: true, kind: "sent", status: 200 },
      { runtime, vendor: "everlytic", ok: true, kind: "sent", status: 200 },
      { runtime, vendor: "expertsender", ok: true, kind: "sent", status: 201 },
    ]);
    // Each double saw the send from this runtime (Act-On also a token request first).
    expect(doubles.map((double, i) => double.requests.length - before[i]!)).toEqual([1, 2, 1, 1]);
  }, 90_000);
});
