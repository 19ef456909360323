import { createHash } from "node:crypto";
import type { Middleware } from "openapi-fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createExpertSenderClient,
  EXPERTSENDER_HOSTS,
  type ExpertSenderMessage,
  type ExpertSenderOptions,
  type LogEntry,
  type Outcome,
} from "../../src/expertsender/index.js";
import { closedPortUrl } from "../support/http-double.js";
import { EXPERTSENDER_API_KEY, startExpertSenderDouble, type ExpertSenderDouble } from "./double.js";
import { parseApiRequest } from "./xml-model.js";

let expertsender: ExpertSenderDouble;
beforeAll(async () => {
  expertsender = await startExpertSenderDouble();
});
afterEach(() => {
  expertsender.requests.length = 0;
  expertsender.sent.length = 0;
});
afterAll(async () => {
  // Every document the client produced in this file is well-formed and valid under specs/expertsender.yaml.
  expect(expertsender.specViolations).toEqual([]);
  await expertsender.close();
});

const client = (options: Partial<ExpertSenderOptions> = {}) =>
  createExpertSenderClient({ baseUrl: expertsender.url, apiKey: EXPERTSENDER_API_KEY, retry: { retries: 0 }, ...options });
const lastXml = () => expertsender.requests.at(-1)!.text;
const byEmail = { transactionalId: 123, Receiver: { Email: "patrick@example.com" } } satisfies ExpertSenderMessage;

describe("POST /v2/Api/SystemTransactionals/{id}, shaped like the vendor's examples", () => {
  it("sends two snippets to a subscriber identified by email; 201 with an empty body is `sent`", async () => {
    const outcome = await client().send({
      transactionalId: 123,
      Receiver: { Email: "patrick@example.com" },
      Snippets: [
        { Name: "helloMessage", Value: " <b>Hello Patrick!</b> " },
        { Name: "pointsNumber", Value: "2076" },
      ],
    });
    expect(outcome).toEqual({ ok: true, kind: "sent", vendor: "expertsender", status: 201, data: {}, attempts: 1 });
    const [request] = expertsender.requests;
    expect(request!.path).toBe("/v2/Api/SystemTransactionals/123");
    expect(request!.headers["content-type"]).toBe("text/xml; charset=utf-8");
    expect(request!.text).toMatch(
      /^<ApiRequest xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xmlns:xs="http:\/\/www.w3.org\/2001\/XMLSchema"><ApiKey>/,
    );
    // HTML goes in CDATA as in the vendor's example; plain text as text.
    expect(request!.text).toContain("<Value><![CDATA[ <b>Hello Patrick!</b> ]]></Value>");
    expect(request!.text).toContain("<Value>2076</Value>");
    expect(expertsender.sent).toMatchObject([
      { transactionalId: 123, subscriber: { id: 12345 }, snippets: { helloMessage: " <b>Hello Patrick!</b> ", pointsNumber: "2076" } },
    ]);
  });

  it("sends to a subscriber identified by ID, with no snippets", async () => {
    const outcome = await client().send({ transactionalId: 1593, Receiver: { Id: 12345 } });
    expect(outcome.ok).toBe(true);
    expect(lastXml()).toContain("<Data><Receiver><Id>12345</Id></Receiver></Data>");
    expect(expertsender.sent[0]!.subscriber).toEqual({ id: 12345, email: "patrick@example.com" });
  });

  it("sends an attachment as one line of base64 with its file name and MIME type", async () => {
    const pdf = new File([new TextEncoder().encode("%PDF-1.5\r\n%\xB5\xB5\r\n")], "test.pdf", { type: "application/pdf" });
    const outcome = await client().send({ transactionalId: 2449, Receiver: { Email: "patrick@example.com" }, Attachments: [{ Content: pdf }] });
    expect(outcome.ok).toBe(true);
    expect(lastXml()).toMatch(/<Attachments><Attachment><FileName>test\.pdf<\/FileName><MimeType>application\/pdf<\/MimeType><Content>[A-Za-z0-9+/]+=*<\/Content><\/Attachment><\/Attachments>/);
    expect(expertsender.sent[0]!.attachments).toEqual([
      { fileName: "test.pdf", mimeType: "application/pdf", bytes: new Uint8Array(await pdf.arrayBuffer()) },
    ]);
  });

  it("returns the GUID of the sent message when ReturnGuid is set", async () => {
    const outcome = await client().send({ ...byEmail, transactionalId: 2449, ReturnGuid: true });
    expect(lastXml()).toContain("<Data><ReturnGuid>true</ReturnGuid>");
    expect(outcome).toMatchObject({ ok: true, status: 201, data: { guid: expertsender.sent[0]!.guid } });
    expect(outcome.ok && outcome.data.guid).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the receiver", () => {
  it("passes every documented Receiver field, with custom properties typed with xsi:type", async () => {
    const outcome = await client().send({
      transactionalId: 123,
      Receiver: {
        Email: "patrick@example.com",
        Firstname: "Patrick",
        Lastname: "O'Brien & Sons",
        Name: "Patrick O'Brien",
        TrackingCode: "signup-form-3",
        Vendor: "partner <b>x</b>",
        Ip: "2001:db8::1",
        Bcc: "archive@example.com;audit@example.com",
        Properties: [
          { Id: 2, Value: "gold" },
          { Id: 3, Value: 42 },
          { Id: 4, Value: 19.99 },
          { Id: 5, Value: true },
          { Id: 6, Value: "2024-05-01", Type: "date" },
          { Id: 7, Value: "2024-05-01T12:00:00Z", Type: "dateTime" },
          { Id: 8, Value: 1.5e10, Type: "double" },
        ],
      },
    });
    expect(outcome.ok).toBe(true);
    const receiver = (expertsender.sent[0]!.model.Data as { Receiver: unknown }).Receiver;
    expect(receiver).toEqual({
      Email: "patrick@example.com",
      Firstname: "Patrick",
      Lastname: "O'Brien & Sons",
      Name: "Patrick O'Brien",
      TrackingCode: "signup-form-3",
      Vendor: "partner <b>x</b>",
      Ip: "2001:db8::1",
      Bcc: "archive@example.com;audit@example.com",
      Properties: [
        { Id: 2, Value: { "@_xsi:type": "xs:string", "#text": "gold" } },
        { Id: 3, Value: { "@_xsi:type": "xs:int", "#text": "42" } },
        { Id: 4, Value: { "@_xsi:type": "xs:decimal", "#text": "19.99" } },
        { Id: 5, Value: { "@_xsi:type": "xs:boolean", "#text": "true" } },
        { Id: 6, Value: { "@_xsi:type": "xs:date", "#text": "2024-05-01" } },
        { Id: 7, Value: { "@_xsi:type": "xs:dateTime", "#text": "2024-05-01T12:00:00Z" } },
        { Id: 8, Value: { "@_xsi:type": "xs:double", "#text": "15000000000" } },
      ],
    });
    expect(lastXml()).toContain('<Property><Id>2</Id><Value xsi:type="xs:string">gold</Value></Property>');
  });

  it("sends an email's MD5 instead of the email when asked (lower-cased, as UTF-8)", async () => {
    const outcome = await client().send({ transactionalId: 123, Receiver: { Email: "ADA.lovelace@example.com", hashEmail: "md5" } });
    expect(outcome.ok).toBe(true);
    const md5 = createHash("md5").update("ada.lovelace@example.com").digest("hex");
    expect(lastXml()).toContain(`<Receiver><EmailMd5>${md5}</EmailMd5></Receiver>`);
    expect(lastXml()).not.toContain("lovelace");
    expect(expertsender.sent[0]!.subscriber.id).toBe(67890);
  });

  it("sends an email's SHA-256 instead of the email when asked", async () => {
    const outcome = await client().send({ transactionalId: 123, Receiver: { Email: "patrick@example.com", hashEmail: "sha256", Firstname: "Patrick" } });
    expect(outcome.ok).toBe(true);
    const sha256 = createHash("sha256").update("patrick@example.com").digest("hex");
    expect(lastXml()).toContain(`<Receiver><Firstname>Patrick</Firstname><EmailSha256>${sha256}</EmailSha256></Receiver>`);
    expect(expertsender.sent[0]!.subscriber.id).toBe(12345);
  });

  it("passes hashes given by the caller", async () => {
    const md5 = createHash("md5").update("patrick@example.com").digest("hex");
    expect((await client().send({ transactionalId: 123, Receiver: { EmailMd5: md5 } })).ok).toBe(true);
    expect(expertsender.sent[0]!.subscriber.id).toBe(12345);
  });

  it("lets Id take precedence over Email, as ExpertSender does", async () => {
    expect((await client().send({ transactionalId: 123, Receiver: { Id: 67890, Email: "patrick@example.com" } })).ok).toBe(true);
    expect(expertsender.sent[0]!.subscriber.email).toBe("Ada.Lovelace@example.com");
  });

  it("refuses a receiver without Id, Email, EmailMd5 or EmailSha256, and sends nothing", async () => {
    const outcome = await client().send({ transactionalId: 123, Receiver: { Firstname: "Patrick" } });
    expect(outcome).toMatchObject({ kind: "validation", delivery: "not_sent", issues: [{ path: "Receiver", rule: "receiver_identifier" }] });
    expect(expertsender.requests).toHaveLength(0);
  });
});

describe("attachments from Web types", () => {
  it("takes File, Blob, Uint8Array and ArrayBuffer content, and keeps every byte", async () => {
    const bytes = new Uint8Array(100_000).map((_, index) => (index * 7919) % 256);
    const outcome = await client().send({
      ...byEmail,
      Attachments: [
        { Content: new File(["a,b\n1,2\n"], "rows.csv", { type: "text/csv" }) },
        { Content: new Blob(["hello"], { type: "text/plain;charset=utf-8" }), FileName: "hello.txt" },
        { Content: bytes, FileName: "big.bin", MimeType: "application/octet-stream" },
        { Content: bytes.buffer, FileName: "raw.dat" },
      ],
    });
    expect(outcome.ok).toBe(true);
    expect(expertsender.sent[0]!.attachments).toEqual([
      { fileName: "rows.csv", mimeType: "text/csv", bytes: new TextEncoder().encode("a,b\n1,2\n") },
      // A Blob's type loses its parameters (the spec's MimeType is a bare type/subtype).
      { fileName: "hello.txt", mimeType: "text/plain", bytes: new TextEncoder().encode("hello") },
      { fileName: "big.bin", mimeType: "application/octet-stream", bytes },
      // No type at all: MimeType is left out and ExpertSender assumes application/octet-stream.
      { fileName: "raw.dat", mimeType: "application/octet-stream", bytes },
    ]);
    expect(lastXml()).toContain("<Attachment><FileName>raw.dat</FileName><Content>");
  });

  it("refuses two attachments with one file name, and an attachment without a name", async () => {
    const content = new Uint8Array([1]);
    const outcome = await client().send({
      ...byEmail,
      Attachments: [{ Content: new File([content], "a.pdf") }, { Content: content, FileName: "a.pdf" }, { Content: content }],
    });
    expect(outcome).toMatchObject({
      kind: "validation",
      issues: [
        { path: "Attachments.2.FileName", rule: "attachment_filename" },
        { path: "Attachments.1.FileName", rule: "attachment_filename_unique" },
      ],
    });
    expect(expertsender.requests).toHaveLength(0);
  });

  it("gives a validation outcome, not a rejection, when a file cannot be read", async () => {
    const unreadable = new Blob(["x"]);
    unreadable.arrayBuffer = () => Promise.reject(new DOMException("The file changed on disk", "NotReadableError"));
    const outcome = await client().send({ ...byEmail, Attachments: [{ Content: unreadable, FileName: "x.txt" }] });
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "Attachments", rule: "attachment_readable" }] });
    expect(expertsender.requests).toHaveLength(0);
  });
});

describe("snippet values are sent intact and cannot inject elements", () => {
  const hostile = [
    "]]>",
    "<b>bold</b> ]]> <i>after</i>",
    "<![CDATA[nested]]>",
    "</Value><ApiKey>x</ApiKey>",
    "</Value></Snippet><Snippet><Name>injected</Name><Value>y",
    "</Value></Snippet></Snippets><ReturnGuid>true</ReturnGuid><Snippets><Snippet><Name>z</Name><Value>",
    "<ApiKey>[redacted]</ApiKey>",
    "<",
    "&",
    "&amp; &lt; &#60; &#x3C;",
    `"double" and 'single' quotes`,
    "a < b && c > d",
    "windows\r\nline\rends\n",
    "<p>html with\r\nCRLF</p>",
    "\ttab and  spaces  ",
    "*[subscriber_firstname]* *[tr_other]*",
    "ünïcödé ✓ 😀 \u{10FFFD}",
    "\u0085\u2028\u007F",
    "",
  ];

  it("delivers every value exactly, in its own snippet, next to the real key only", async () => {
    const Snippets = hostile.map((Value, index) => ({ Name: `s${index}`, Value }));
    const outcome = await client().send({ ...byEmail, Snippets });
    expect(outcome.ok).toBe(true);
    const [sent] = expertsender.sent;
    expect(sent!.snippets).toEqual(Object.fromEntries(Snippets.map(({ Name, Value }) => [Name, Value])));
    expect(sent!.apiKey).toBe(EXPERTSENDER_API_KEY);
    const { raw } = parseApiRequest(lastXml());
    expect(Object.keys(raw)).toEqual(["ApiKey", "Data", "@_xmlns:xsi", "@_xmlns:xs"]);
    expect(Object.keys(raw.Data as object)).toEqual(["Receiver", "Snippets"]);
    const snippets = (raw.Data as { Snippets: { Snippet: object[] } }).Snippets.Snippet;
    expect(snippets).toHaveLength(hostile.length);
    for (const snippet of snippets) expect(Object.keys(snippet)).toEqual(["Name", "Value"]);
  });

  it("splits `]]>` across two CDATA sections and keeps CR as a character reference", async () => {
    await client().send({ ...byEmail, Snippets: [{ Name: "html", Value: "<b>x</b>]]>y" }, { Name: "crlf", Value: "<p>a\r\nb</p>" }] });
    expect(lastXml()).toContain("<Value><![CDATA[<b>x</b>]]]]><![CDATA[>y]]></Value>");
    // CDATA cannot keep a CR (XML turns CR LF into LF), so such a value goes as escaped text.
    expect(lastXml()).toContain("<Value>&lt;p&gt;a&#13;\nb&lt;/p&gt;</Value>");
  });

  it.each([
    ["NUL", "a\u0000b"],
    ["backspace", "a\u0008b"],
    ["vertical tab", "a\u000Bb"],
    ["U+FFFE", "a\uFFFEb"],
    ["an unpaired surrogate", "a\uD800b"],
  ])("refuses %s, which XML 1.0 cannot carry (rule xml_char), and sends nothing", async (_, Value) => {
    const outcome = await client().send({ ...byEmail, Snippets: [{ Name: "bad", Value }] });
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "Snippets.0.Value", rule: "xml_char" }] });
    expect(expertsender.requests).toHaveLength(0);
  });

  it("refuses snippet names that could not be a *[tr_Name]* tag, and a name used twice", async () => {
    const outcome = await client().send({
      ...byEmail,
      Snippets: [
        { Name: "ok_1", Value: "a" },
        { Name: "bad]*name", Value: "b" },
        { Name: "ok_1", Value: "c" },
      ],
    });
    expect(outcome).toMatchObject({
      kind: "validation",
      issues: [
        { path: "Snippets.1.Name", rule: "snippet_name" },
        { path: "Snippets.2.Name", rule: "snippet_names_unique" },
      ],
    });
    const twice = await client().send({ ...byEmail, Snippets: [{ Name: "a", Value: "1" }, { Name: "a", Value: "2" }] });
    expect(twice).toMatchObject({ kind: "validation", issues: [{ path: "Snippets.1.Name", rule: "snippet_names_unique" }] });
  });
});

describe("the API key travels in the body, out of every hook's and log's view", () => {
  it("shows middleware a placeholder, and the vendor the real key", async () => {
    const seen: string[] = [];
    const spy: Middleware = {
      async onRequest({ request }) {
        seen.push(await request.clone().text(), JSON.stringify([...request.headers]), request.url);
      },
    };
    const outcome = await client({ middleware: [spy] }).send(byEmail);
    expect(outcome.ok).toBe(true);
    expect(seen[0]).toContain("<ApiKey>[redacted]</ApiKey>");
    expect(seen.join("\n")).not.toContain(EXPERTSENDER_API_KEY);
    expect(expertsender.sent[0]!.apiKey).toBe(EXPERTSENDER_API_KEY);
  });

  it("escapes a key holding XML and replacement-pattern characters, and still delivers it exactly", async () => {
    const oddKey = `k&y<$&>'"$'$1`;
    const odd = await startExpertSenderDouble({ apiKey: oddKey });
    try {
      const outcome = await createExpertSenderClient({ baseUrl: odd.url, apiKey: oddKey }).send(byEmail);
      expect(outcome.ok).toBe(true);
      expect(odd.sent[0]!.apiKey).toBe(oddKey);
      expect(odd.requests[0]!.text).toContain("<ApiKey>k&amp;y&lt;$&amp;&gt;&apos;&quot;$&apos;$1</ApiKey>");
      expect(odd.specViolations).toEqual([]);
    } finally {
      await odd.close();
    }
  });

  it("keeps the key out of every outcome and log entry, even when the vendor quotes it back", async () => {
    const logs: LogEntry[] = [];
    const outcomes: Outcome<unknown>[] = [];
    // The escaped form is what an XML or HTML page quoting the request body would show.
    const oddKey = "A&B<key-9f2";
    const escapedKey = "A&amp;B&lt;key-9f2";
    const send = (apiKey = EXPERTSENDER_API_KEY) =>
      client({ apiKey, logger: (entry) => logs.push(entry) }).send(byEmail).then((outcome) => outcomes.push(outcome));
    expertsender.answerNext(
      { status: 400, body: `<ApiResponse><ErrorMessage><Code>400</Code><Message>Bad request for key ${EXPERTSENDER_API_KEY}</Message></ErrorMessage></ApiResponse>` },
      { status: 500, body: `<html><title>Error ${EXPERTSENDER_API_KEY}</title></html>` },
      { status: 403, body: `<ApiResponse><ErrorMessage><Code>403</Code><Message>Invalid API key: ${escapedKey}</Message></ErrorMessage></ApiResponse>` },
      { status: 403, body: `<html><head><title>Forbidden: ${escapedKey}</title></head></html>` },
    );
    await send();
    await send();
    await send(oddKey);
    await send(oddKey);
    await send("wrong-key-123456");
    await send();
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["rejected", "server_error", "auth", "auth", "auth", "sent"]);
    expect(outcomes.slice(0, 4)).toMatchObject([
      { vendorMessage: "Bad request for key [redacted]" },
      { vendorMessage: "Error [redacted]" },
      { vendorMessage: "Invalid API key: [redacted]" },
      { vendorMessage: "Forbidden: [redacted]" },
    ]);
    const everything = JSON.stringify({ outcomes, logs });
    for (const secret of [EXPERTSENDER_API_KEY, oddKey, escapedKey, "wrong-key-123456"]) expect(everything).not.toContain(secret);
  });

  it("refuses to create a client with an empty or blank key, without quoting it", () => {
    for (const apiKey of ["", " ", "key with space", "key\n", "key\u0000"]) {
      expect(() => createExpertSenderClient({ baseUrl: EXPERTSENDER_HOSTS[0], apiKey })).toThrow(TypeError);
    }
    expect(() => createExpertSenderClient({ baseUrl: EXPERTSENDER_HOSTS[0], apiKey: "secret part" })).toThrow(/^(?!.*secret).*$/);
    expect(() => createExpertSenderClient({ baseUrl: "", apiKey: "k" })).toThrow(/baseUrl/);
  });
});

describe("ExpertSender's answers", () => {
  it("maps 400 with one <Message> (an inactive transactional) to a rejection", async () => {
    const outcome = await client().send({ ...byEmail, transactionalId: 77 });
    expect(outcome).toMatchObject({
      ok: false,
      kind: "rejected",
      status: 400,
      vendorMessage: "Transactional message is inactive.",
      message: "400 Transactional message is inactive.",
      delivery: "not_sent",
      retryable: false,
      details: { ErrorMessage: { Code: 400, Message: "Transactional message is inactive." } },
    });
    // <Code> only mirrors the status here, so it is not repeated as a vendor code.
    expect(outcome.ok || outcome.kind !== "rejected" ? "not rejected" : outcome.vendorCode).toBeUndefined();
  });

  it("maps 400 with <Messages><Message for=…> to one line naming each field", async () => {
    const outcome = await client().send({ transactionalId: 123, Receiver: { EmailMd5: "0".repeat(32) } });
    expect(outcome).toMatchObject({ kind: "rejected", status: 400, vendorMessage: "Receiver: Subscriber not found." });
    expertsender.answerNext({
      status: 400,
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: "<ApiResponse><ErrorMessage><Code>400</Code><Messages><Message for=\"Receiver\">Subscriber not found.</Message><Message for=\"Attachments\">Attachment file names must be unique.</Message><Message>404</Message></Messages></ErrorMessage></ApiResponse>",
    });
    expect(await client().send(byEmail)).toMatchObject({
      kind: "rejected",
      vendorMessage: "Receiver: Subscriber not found.; Attachments: Attachment file names must be unique.; 404",
    });
  });

  it("maps 403 (invalid API key) to an auth failure", async () => {
    const outcome = await client({ apiKey: "not-the-key" }).send(byEmail);
    expect(outcome).toMatchObject({ kind: "auth", status: 403, vendorMessage: "Invalid API key.", delivery: "not_sent", retryable: false });
  });

  it("maps 404 (unknown transactional id or wrong host path) to a rejection", async () => {
    expect(await client().send({ ...byEmail, transactionalId: 999 })).toMatchObject({ kind: "rejected", status: 404, vendorMessage: "Transactional message not found." });
    expect(await client({ baseUrl: `${expertsender.url}/prefix` }).send(byEmail)).toMatchObject({ kind: "rejected", status: 404 });
  });

  it("maps 500 to a server error that may have sent the message, and never retries it", async () => {
    expertsender.answerNext({ status: 500, body: "<ApiResponse><ErrorMessage><Code>500</Code><Message>Internal server error.</Message></ErrorMessage></ApiResponse>" });
    const outcome = await client({ retry: { retries: 3, baseDelayMs: 1 } }).send(byEmail);
    expect(outcome).toMatchObject({ kind: "server_error", status: 500, delivery: "unknown", retryable: false, attempts: 1, vendorMessage: "Internal server error." });
    expect(expertsender.requests).toHaveLength(1);
  });

  it("retries 503 (nothing was sent) and then sends", async () => {
    expertsender.answerNext({ status: 503, body: "<html><head><title>Service Unavailable</title></head></html>" });
    const outcome = await client({ retry: { retries: 2, baseDelayMs: 1 } }).send(byEmail);
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(expertsender.sent).toHaveLength(1);
  });

  it("reads bodies that start with a UTF-8 byte-order mark", async () => {
    const withBom = await startExpertSenderDouble({ byteOrderMark: true });
    try {
      const send = (message: ExpertSenderMessage) => createExpertSenderClient({ baseUrl: withBom.url, apiKey: EXPERTSENDER_API_KEY }).send(message);
      const sent = await send({ ...byEmail, ReturnGuid: true });
      expect(sent).toMatchObject({ ok: true, data: { guid: withBom.sent[0]!.guid } });
      expect(withBom.requests).toHaveLength(1);
      expect(await send({ ...byEmail, transactionalId: 77 })).toMatchObject({ kind: "rejected", vendorMessage: "Transactional message is inactive." });
    } finally {
      await withBom.close();
    }
    // And when a runtime's decoder leaves the mark in the text (fetch's own UTF-8 decoding drops it).
    const bomFetch = async () => {
      const response = new Response("(replaced)", { status: 201 });
      response.text = async () => "\uFEFF<ApiResponse><Data>c3a4bda9-07be-4d48-af20-df51293ec78f</Data></ApiResponse>";
      return response;
    };
    const outcome = await createExpertSenderClient({ baseUrl: EXPERTSENDER_HOSTS[0], apiKey: "k3y-value", fetch: bomFetch }).send(byEmail);
    expect(outcome).toMatchObject({ ok: true, data: { guid: "c3a4bda9-07be-4d48-af20-df51293ec78f" } });
  });

  it("gives a typed outcome with an excerpt for a non-XML body (a proxy's HTML error page)", async () => {
    expertsender.answerNext(
      {
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>Bad Gateway</h1></body></html>",
      },
      { status: 400, body: "Bad Request - Invalid Hostname" },
      { status: 400, body: "<html><body><p>broken <b>markup</p>" },
      { status: 400, body: "<ApiResponse><ErrorMessage><Code>400</Code></ApiResponse>" },
    );
    expect(await client().send(byEmail)).toMatchObject({ kind: "server_error", status: 502, vendorMessage: "502 Bad Gateway", delivery: "unknown" });
    expect(await client().send(byEmail)).toMatchObject({ kind: "rejected", status: 400, vendorMessage: "Bad Request - Invalid Hostname" });
    expect(await client().send(byEmail)).toMatchObject({ kind: "rejected", vendorMessage: "broken markup" });
    expect(await client().send(byEmail)).toMatchObject({ kind: "rejected", status: 400, delivery: "not_sent" });
  });

  it("keeps a <Code> that does not mirror the HTTP status as vendorCode", async () => {
    expertsender.answerNext({ status: 400, body: "<ApiResponse><ErrorMessage><Code>403</Code><Message>Account suspended.</Message></ErrorMessage></ApiResponse>" });
    expect(await client().send(byEmail)).toMatchObject({ kind: "rejected", vendorCode: "403", message: "400 403: Account suspended." });
  });

  it("treats a 201 whose body is not the documented GUID document as sent, without a GUID", async () => {
    expertsender.answerNext({ status: 201, body: "Created" });
    expect(await client().send({ ...byEmail, ReturnGuid: true })).toMatchObject({ ok: true, status: 201, data: {} });
  });
});

describe("when no answer comes", () => {
  it("says nothing was sent when the connection is refused", async () => {
    const outcome = await client({ baseUrl: await closedPortUrl() }).send(byEmail);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: true });
  });

  it("says the message may have been sent after a timeout or a reset, and does not retry", async () => {
    expertsender.answerNext({ status: 201, delayMs: 300 }, { status: 201, reset: true });
    const slow = await client({ timeoutMs: 50, retry: { retries: 2, baseDelayMs: 1 } }).send(byEmail);
    expect(slow).toMatchObject({ kind: "timeout", delivery: "unknown", attempts: 1 });
    const reset = await client({ retry: { retries: 2, baseDelayMs: 1 } }).send(byEmail);
    expect(reset).toMatchObject({ kind: "network", delivery: "unknown", retryable: false, attempts: 1 });
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    expertsender.answerNext({ status: 201, delayMs: 200 });
    const pending = client().send(byEmail, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ kind: "aborted", delivery: "unknown" });
  });
});
