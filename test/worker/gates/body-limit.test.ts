import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../../worker/gates/body-limit.ts";
import { Refusal } from "../../../worker/problem.ts";

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("https://txgate.test/v1/actions", { method: "POST", body, headers, duplex: "half" } as RequestInit);
const kindOf = async (run: Promise<unknown>) => ((await run.catch((error: Refusal) => error)) as Refusal).problem?.kind;

describe("JSON bodies under a cap", () => {
  it("parses a JSON body at the cap", async () => {
    const body = JSON.stringify({ pad: "x".repeat(90) });
    expect(await readJsonBody(post(body), body.length)).toEqual({ pad: "x".repeat(90) });
  });
  it("accepts application/json with a charset", async () => {
    expect(await readJsonBody(post("{}", { "content-type": "application/json; charset=utf-8" }), 10)).toEqual({});
  });
  it("refuses a declared length over the cap without reading", async () => {
    expect(await kindOf(readJsonBody(post("{}", { "content-type": "application/json", "content-length": "99999" }), 100))).toBe("payload_too_large");
  });
  it("refuses a streamed body as soon as it passes the cap", async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode("x".repeat(64)));
      },
    });
    expect(await kindOf(readJsonBody(post(stream), 100))).toBe("payload_too_large");
    expect(pulls).toBeLessThan(5);
  });
  it("refuses other media types and non-JSON", async () => {
    expect(await kindOf(readJsonBody(post("{}", { "content-type": "text/plain" }), 100))).toBe("unsupported_media_type");
    expect(await kindOf(readJsonBody(post("{", { "content-type": "application/json" }), 100))).toBe("validation");
  });
});
