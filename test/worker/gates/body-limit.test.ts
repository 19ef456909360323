import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../../src/worker/gates/body-limit.ts";
import { Refusal } from "../../../src/worker/problem.ts";

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
  it.each([["utf-8"], ["UTF-8"], ['"utf-8"'], ["utf8"]])("accepts charset=%s", async (charset) => {
    expect(await readJsonBody(post("{}", { "content-type": `application/json; charset=${charset}` }), 10)).toEqual({});
  });
  it.each([["iso-8859-1"], ["utf-16"], ['"windows-1252"'], [""]])("refuses charset=%s: JSON is UTF-8, and bytes read as another charset are another text", async (charset) => {
    expect(await kindOf(readJsonBody(post("{}", { "content-type": `application/json; charset=${charset}` }), 10))).toBe("unsupported_media_type");
  });
  it("refuses a body whose stream breaks before the end as incomplete (422), not as a worker failure", async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
        controller.error(new TypeError("connection reset"));
      },
    });
    const refusal = (await readJsonBody(post(stream), 100).catch((error) => error)) as Refusal;
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal.problem).toMatchObject({ kind: "validation", status: 422, delivery: "not_sent", issues: [{ path: "", rule: "complete_body" }] });
  });
  it("refuses a body nested deeper than asked, and takes one at the depth", async () => {
    const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    expect(await readJsonBody(post(nested(64)), 1000, 64)).toBeInstanceOf(Array);
    const refusal = (await readJsonBody(post(nested(65)), 1000, 64).catch((error) => error)) as Refusal;
    expect(refusal.problem).toMatchObject({ kind: "validation", issues: [{ rule: "max_depth" }] });
  });
  it("refuses other media types and non-JSON", async () => {
    expect(await kindOf(readJsonBody(post("{}", { "content-type": "text/plain" }), 100))).toBe("unsupported_media_type");
    expect(await kindOf(readJsonBody(post("{", { "content-type": "application/json" }), 100))).toBe("validation");
  });
});
