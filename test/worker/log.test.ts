/** One structured line per request, with what an operator needs and nothing a caller sent. */
import { describe, expect, it } from "vitest";
import { CALLER_KEY_BILLING } from "./support/bindings.ts";
import { browserSend, callerSend, signJwt } from "./support/harness.ts";
import { journal } from "./support/secret-scan.ts";

const linesSince = (start: number) => journal.slice(start).filter((entry) => entry.source === "console.log").map((entry) => JSON.parse(entry.text));

describe("request log lines", () => {
  it("a trusted send: route, caller id, vendor, outcome, status, time", async () => {
    const start = journal.length;
    await callerSend("listmonk", { template_id: 2, subscriber_emails: ["ada@example.com"] }, CALLER_KEY_BILLING, { "x-debug": "please log me" });
    const [line, ...others] = linesSince(start);
    expect(others).toEqual([]);
    expect(line).toEqual({ at: expect.any(String), method: "POST", path: "/v1/send/listmonk", caller: "billing", vendor: "listmonk", outcome: "sent", attempts: 1, status: 200, ms: expect.any(Number) });
  });
  it("a refusal: its kind and the action, no query string, header or body", async () => {
    const start = journal.length;
    await browserSend({ action: "welcome", variables: { firstName: "Pat\r\nBcc: x@evil.example" } }, { jwt: await signJwt() });
    const [line] = linesSince(start);
    expect(line).toMatchObject({ path: "/v1/actions", action: "welcome", kind: "validation", status: 422 });
    expect(JSON.stringify(line)).not.toMatch(/Bcc|evil|Bearer|eyJ/);
  });
});
