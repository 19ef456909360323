/**
 * One rule for every client: options it cannot work with throw `TxgateConfigError` when the client is made
 * (never later, inside a send), and the message names the option without quoting its value.
 */
import { describe, expect, it } from "vitest";
import { createActOnClient, TxgateConfigError } from "../../src/acton/index.js";
import { createEverlyticClient } from "../../src/everlytic/index.js";
import { createExpertSenderClient } from "../../src/expertsender/index.js";
import { createListmonkClient } from "../../src/listmonk/index.js";

const secret = "s3cret\nvalue";

const cases: [string, () => unknown][] = [
  ["listmonk", () => createListmonkClient({ baseUrl: "http://lists.test", username: "api", token: secret })],
  ["listmonk, token scheme", () => createListmonkClient({ baseUrl: "http://lists.test", username: "api user", token: "tok", authScheme: "token" })],
  ["Everlytic", () => createEverlyticClient({ username: "acme", apiKey: secret })],
  ["ExpertSender", () => createExpertSenderClient({ baseUrl: "https://api.esv2.com", apiKey: secret })],
  [
    "Act-On",
    () => createActOnClient({ accountId: "1", credentials: { username: "u", password: secret, clientId: "", clientSecret: "c" } } as never),
  ],
  // A timer runtimes fire at once would end every send `timeout`, after its request went out.
  ...[Number.NaN, 0, -1, 2 ** 31, "100"].map((timeoutMs): [string, () => unknown] => [
    `listmonk, timeoutMs ${String(timeoutMs)}`,
    () => createListmonkClient({ baseUrl: "http://lists.test", username: "api", token: "s3cret-token", timeoutMs } as never),
  ]),
];

describe("a base URL with user info (https://user:password@host)", () => {
  const urls = ["https://api:s3cret-in-url@lists.test", "https://s3cret-in-url@lists.test/api", "HTTPS://api:s3cret-in-url@lists.test:9000", " https://api:s3cret-in-url@lists.test"];
  const clients: [string, (baseUrl: string) => unknown][] = [
    ["listmonk", (baseUrl) => createListmonkClient({ baseUrl, username: "api", token: "token" })],
    ["Everlytic", (baseUrl) => createEverlyticClient({ baseUrl, username: "acme", apiKey: "key" })],
    ["ExpertSender", (baseUrl) => createExpertSenderClient({ baseUrl, apiKey: "key" })],
    ["Act-On", (baseUrl) => createActOnClient({ baseUrl, accountId: "1", credentials: { username: "u", password: "p", clientId: "c", clientSecret: "s" } })],
  ];
  it.each(clients)("%s refuses it when the client is made, naming baseUrl and the credential options, never quoting it", (_, create) => {
    for (const url of urls) {
      let thrown: unknown;
      try {
        create(url);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, url).toBeInstanceOf(TxgateConfigError);
      expect((thrown as Error).message).toMatch(/baseUrl holds a user name or password.*credential options/);
      expect(String(thrown)).not.toContain("s3cret-in-url");
    }
  });

  it.each(clients)("%s still takes a base URL with an @ only in its path or query", (_, create) => {
    expect(() => create("https://lists.test/api/@team?owner=a@b.example")).not.toThrow();
  });
});

describe("a client made with unusable options", () => {
  it.each(cases)("%s throws TxgateConfigError without quoting the value", (_, create) => {
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TxgateConfigError);
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).name).toBe("TxgateConfigError");
    expect((thrown as Error).message).not.toContain("s3cret");
  });
});
