/**
 * Attachments: given as Web types (`File`, `Blob`, `Uint8Array`, `ArrayBuffer`) and sent as base64 `data`, or
 * given in Everlytic's own `{filename, data}` and `{path}` forms; embedded images by `content_id`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as base64 from "../../src/core/base64.js";
import { createEverlyticClient, type EverlyticMessage } from "../../src/everlytic/index.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "./double.js";
import { minimal } from "./fixtures.js";

// Watches what the encoder is handed, to prove the caller's bytes are encoded where they lie.
vi.mock("../../src/core/base64.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/core/base64.js")>();
  return { ...original, bytesToBase64: vi.fn(original.bytesToBase64) };
});

let everlytic: EverlyticDouble;
beforeAll(async () => {
  everlytic = await startEverlyticDouble();
});
afterEach(() => {
  everlytic.requests.length = 0;
  everlytic.delivered.length = 0;
  vi.mocked(base64.bytesToBase64).mockClear();
});
afterAll(async () => {
  expect(everlytic.specViolations).toEqual([]);
  await everlytic.close();
});

const send = (message: EverlyticMessage) =>
  createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY }).send(message);
const withFiles = (data: NonNullable<EverlyticMessage["attachments"]>["data"], html = "<p>Your documents</p>") =>
  ({ ...minimal, body: { html }, attachments: { data } }) as EverlyticMessage;
const received = () => everlytic.delivered[0]!.attachments.map((file) => ({ ...file, bytes: file.bytes && [...file.bytes] }));

describe("Web-type attachments are sent as base64 data", () => {
  it("encodes a File (using its own name), a Blob, a Uint8Array and an ArrayBuffer", async () => {
    const outcome = await send(
      withFiles([
        { content: new File([new Uint8Array([37, 80, 68, 70])], "invoice.pdf", { type: "application/pdf" }) },
        { filename: "rows.csv", content: new Blob(["a,b\n1,2\n"], { type: "text/csv" }) },
        { filename: "raw.bin", content: new Uint8Array([0, 1, 2, 254, 255]) },
        { filename: "buffer.bin", content: new Uint8Array([9, 8, 7]).buffer },
      ]),
    );
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(everlytic.requests[0]!.text).attachments.data).toEqual([
      { filename: "invoice.pdf", data: "JVBERg==" },
      { filename: "rows.csv", data: "YSxiCjEsMgo=" },
      { filename: "raw.bin", data: "AAEC/v8=" },
      { filename: "buffer.bin", data: "CQgH" },
    ]);
    expect(received().map((file) => [file.filename, file.bytes])).toEqual([
      ["invoice.pdf", [37, 80, 68, 70]],
      ["rows.csv", [...new TextEncoder().encode("a,b\n1,2\n")]],
      ["raw.bin", [0, 1, 2, 254, 255]],
      ["buffer.bin", [9, 8, 7]],
    ]);
  });

  it("lets an explicit filename win over the File's own name", async () => {
    await send(withFiles([{ filename: "statement-may.pdf", content: new File(["%PDF"], "tmp-1234.pdf") }]));
    expect(received()[0]!.filename).toBe("statement-may.pdf");
  });

  it("round-trips a 1 MB attachment byte for byte", async () => {
    const bytes = new Uint8Array(1024 * 1024);
    for (let offset = 0; offset < bytes.length; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536));
    const outcome = await send(withFiles([{ filename: "large.bin", content: bytes }]));
    expect(outcome.ok).toBe(true);
    const got = everlytic.delivered[0]!.attachments[0]!.bytes!;
    expect(got.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(bytes))).toBe(0);
  });

  it("encodes the caller's bytes in place, without copying them first", async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const buffer = new Uint8Array([5, 6]).buffer;
    await send(withFiles([{ filename: "a.bin", content: bytes }, { filename: "b.bin", content: buffer }]));
    const handed = vi.mocked(base64.bytesToBase64).mock.calls.map(([argument]) => argument);
    expect(handed[0]).toBe(bytes);
    // An ArrayBuffer is viewed, not copied: the view's buffer is the caller's.
    expect(handed[1]!.buffer).toBe(buffer);
  });

  it("sends the same encoded body again on a retry instead of encoding twice", async () => {
    everlytic.answerNext({ status: 503, body: "Service Unavailable" });
    const outcome = await createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY, retry: { baseDelayMs: 1 } }).send(
      withFiles([{ filename: "a.bin", content: new Uint8Array([1, 2, 3]) }]),
    );
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(vi.mocked(base64.bytesToBase64)).toHaveBeenCalledTimes(1);
    expect(everlytic.requests[1]!.text).toBe(everlytic.requests[0]!.text);
  });

  it("gives a validation outcome, not a rejection, when a Blob cannot be read; nothing is sent", async () => {
    class UnreadableBlob extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new DOMException("The file changed on disk", "NotReadableError"));
      }
    }
    const outcome = await send(withFiles([{ filename: "gone.pdf", content: new UnreadableBlob(["%PDF"]) }]));
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "attachments.data", rule: "attachment_readable" }], delivery: "not_sent" });
    expect(outcome.ok ? "" : outcome.message).toContain("The file changed on disk");
    expect(everlytic.requests).toHaveLength(0);
  });
});

describe("Everlytic's own attachment forms pass through unchanged", () => {
  it("sends base64 data and a file path as given, with attachment tracking", async () => {
    const attachments = { data: [{ filename: "Test.txt", data: "V2VsbCBkb25lIQ==" }, { path: "/files/terms.pdf" }], options: { track: true } };
    const outcome = await send({ ...minimal, attachments });
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(everlytic.requests[0]!.text).attachments).toEqual(attachments);
    expect(received()).toEqual([
      { filename: "Test.txt", bytes: [...new TextEncoder().encode("Well done!")], path: undefined, contentId: undefined },
      { filename: undefined, bytes: undefined, path: "/files/terms.pdf", contentId: undefined },
    ]);
    expect(everlytic.delivered[0]!.trackAttachments).toBe(true);
  });
});

describe("embedded images by content_id", () => {
  it("sends an image the HTML references as cid:", async () => {
    const logo = new File([new Uint8Array([137, 80, 78, 71])], "logo.png", { type: "image/png" });
    const outcome = await send(withFiles([{ content: logo, content_id: "logo@shop" }], '<img src="cid:logo@shop" alt="Shop">'));
    expect(outcome.ok).toBe(true);
    expect(received()).toEqual([{ filename: "logo.png", bytes: [137, 80, 78, 71], path: undefined, contentId: "logo@shop" }]);
  });

  it("refuses an image the HTML never references, before sending", async () => {
    const outcome = await send(withFiles([{ filename: "logo.png", content: new Uint8Array([137]), content_id: "logo" }], '<img src="cid:banner">'));
    expect(outcome).toMatchObject({
      kind: "validation",
      issues: [{ path: "attachments.data.0.content_id", rule: "content_id_in_html", message: "is not referenced as cid:logo in body.html" }],
    });
    expect(everlytic.requests).toHaveLength(0);
  });
});
