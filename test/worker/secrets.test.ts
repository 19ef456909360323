/**
 * No secret in any response, error body, header or log line. secret-scan.ts searches every response and
 * console line of every file in this suite for every secret value after the file has run; this file checks the
 * scanner itself and the places a secret would most likely slip out.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CALLER_KEY_BILLING, CALLER_KEY_NEWSLETTER, TURNSTILE_SECRET } from "./support/bindings.ts";
import { browserSend, fakeSiteverify, fetchWorker, passToken } from "./support/harness.ts";
import { journal, leaks } from "./support/secret-scan.ts";

describe("the secret scan", () => {
  it("finds a secret in a response or a log line", () => {
    expect(leaks([{ source: "response", text: `echo ${CALLER_KEY_BILLING}` }])).toHaveLength(1);
    expect(leaks([{ source: "console.log", text: `{"secret":"${TURNSTILE_SECRET}"}` }])).toHaveLength(1);
    expect(leaks([{ source: "response", text: "nothing here" }])).toEqual([]);
  });
});

describe("where a secret could slip out", () => {
  beforeEach(() => void fakeSiteverify());
  afterEach(() => vi.restoreAllMocks());

  it("a caller key in the URL never reaches the log (no query strings are logged)", async () => {
    const start = journal.length;
    await fetchWorker(`/v1/send/listmonk?key=${CALLER_KEY_NEWSLETTER}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY_NEWSLETTER}` },
      body: JSON.stringify({ template_id: 2, subscriber_emails: ["ada@example.com"] }),
    });
    expect(leaks(journal.slice(start))).toEqual([]);
  });

  it("a caller key sent by mistake as a browser's Turnstile token is not quoted back", async () => {
    const answer = await browserSend({ action: "contact-form", recipient: "support@example.com", variables: { name: "x", replyTo: "x@example.com", message: "x" } }, { turnstile: CALLER_KEY_BILLING });
    expect(answer.text).not.toContain(CALLER_KEY_BILLING);
  });

  it("a refused Turnstile check says nothing of the secret it was checked with", async () => {
    const answer = await browserSend({ action: "contact-form", recipient: "support@example.com", variables: { name: "x", replyTo: "x@example.com", message: "x" } }, { turnstile: passToken() });
    expect(answer.text).not.toContain(TURNSTILE_SECRET);
  });

  it("every response and log line of this file so far is clean", () => {
    expect(journal.length).toBeGreaterThan(3);
    expect(leaks(journal)).toEqual([]);
  });
});
