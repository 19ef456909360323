/**
 * ExpertSender under generated input. There is no fixtures file: the valid messages are those of
 * test/expertsender/spec-agreement.test.ts, plus generated fields. The XML is read back with the spec-driven reader
 * of test/expertsender/xml-model.ts, independently of the client.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { createExpertSenderClient } from "../../src/expertsender/index.js";
import { MIME_TYPE } from "../../src/expertsender/schema.js";
import { specErrors } from "../support/spec.js";
import { parseApiRequest } from "../expertsender/xml-model.js";
import type { VendorFuzz, WireVerdict } from "./harness.js";
import { ADDRESS_EDGES, HOSTILE_FILE_NAMES, IP_EDGES, omitKey } from "./hostile.js";
import { firstValue, jsonDifference, retriesDiffer, readJson, secretForms, utf8, type RecordedRequest } from "./wire.js";
import { address, fileContent, ID_EDGES, ipAddress, MIME_EDGES, safeFileName } from "./values.js";

const API_KEY = "Es9Fuzz7Key3Vb2Q";
const id = fc.integer({ min: 1, max: 2 ** 31 - 1 });
/** Text XML 1.0 carries. */
const xmlText = (maxLength: number) => fc.string({ unit: "grapheme", maxLength }).filter((text) => /^[^\0-\x08\v\f\x0E-\x1F\uFFFE\uFFFF]*$/u.test(text));

const property = fc.oneof(
  fc.record({ Id: id, Value: xmlText(20) }),
  fc.record({ Id: id, Value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ Id: id, Value: fc.boolean() }),
  fc.record({ Id: id, Value: fc.constantFrom("+7", "-12", "0"), Type: fc.constant("int") }),
  fc.record({ Id: id, Value: fc.constantFrom("2024-05-01", "2024-05-01+02:00"), Type: fc.constant("date") }),
  fc.record({ Id: id, Value: fc.constantFrom("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.5+01:00"), Type: fc.constant("dateTime") }),
  fc.record({ Id: id, Value: fc.constantFrom("1.5", "-.5", "3"), Type: fc.constantFrom("decimal", "double") }),
);

const generated = fc.record(
  {
    transactionalId: id,
    ReturnGuid: fc.boolean(),
    Receiver: fc
      .record(
        {
          Id: id,
          Email: address,
          Firstname: xmlText(20),
          Lastname: xmlText(20),
          Name: xmlText(20),
          TrackingCode: xmlText(10),
          Vendor: xmlText(10),
          Ip: ipAddress,
          Properties: fc.uniqueArray(property, { maxLength: 3, selector: (p) => p.Id }),
          Bcc: address,
          hashEmail: fc.constantFrom("md5", "sha256"),
        },
        { requiredKeys: ["Email"] },
      )
      .map((receiver) => receiver),
    Snippets: fc.uniqueArray(fc.record({ Name: fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/), Value: xmlText(40) }), { maxLength: 3, selector: (s) => s.Name }),
    Attachments: fc.uniqueArray(
      fc.oneof(
        fc.record({ Content: fileContent.filter((content) => !(content instanceof Blob) || content.size > 0), FileName: safeFileName }, { requiredKeys: ["Content", "FileName"] }),
        fc.record({ Content: fileContent, FileName: safeFileName, MimeType: fc.constantFrom("application/pdf", "text/plain", "image/png") }),
        fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), safeFileName).map(([bytes, name]) => ({ Content: new File([bytes], name, { type: "text/csv" }) })),
      ),
      { maxLength: 2, selector: (a) => ("FileName" in a ? a.FileName : (a.Content as File).name) },
    ),
  },
  { requiredKeys: ["transactionalId", "Receiver"] },
);

const base = { transactionalId: 123, Receiver: { Email: "patrick@example.com" } };
const fixtures = [
  base,
  { transactionalId: 1593, Receiver: { Id: 12345 } },
  { ...base, Receiver: { EmailMd5: "0cc175b9c0f1b6a831c399e269772661" } },
  { ...base, Receiver: { ...base.Receiver, hashEmail: "sha256", Id: 7 } },
  { transactionalId: 2 ** 31 - 1, Receiver: { Id: 2 ** 31 - 1 }, ReturnGuid: false },
  { ...base, Receiver: { ...base.Receiver, Ip: "2001:db8::1", Lastname: "O'Brien & Sons", Vendor: "<partner>", Bcc: "*[subscriber_email]*;audit+tx@example.com" } },
  { ...base, Snippets: [{ Name: "tricky", Value: "]]><![CDATA[</Value>&amp;" }, { Name: "crlf", Value: "<p>\r\n</p>\r" }, { Name: "empty", Value: "" }] },
  { ...base, Attachments: [{ Content: new File(["%PDF"], "test.pdf", { type: "application/pdf" }) }, { Content: new Uint8Array([1]), FileName: "Report <Q3> & notes.pdf" }] },
];

// Generated first: fast-check shrinks a oneof towards its first choice, and generated messages shrink small.
const valid = fc.oneof(generated, fc.constantFrom(...fixtures));

const hash = (algorithm: "md5" | "sha256", email: string) => createHash(algorithm).update(email.toLowerCase()).digest("hex");

/** The `<ApiRequest>` model the input stands for, as specs/expertsender.yaml shapes it. */
async function expectedModel(input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; why: string }> {
  const reading = readJson(omitKey(input, "Attachments"));
  if (!reading.ok) return reading;
  const message = reading.value as { ReturnGuid?: boolean; Receiver: Record<string, unknown>; Snippets?: unknown };
  const { hashEmail, Properties, ...receiver } = message.Receiver as { hashEmail?: "md5" | "sha256"; Properties?: { Id: number; Value: unknown; Type?: string }[]; Email?: string };
  if (hashEmail && receiver.Email !== undefined) {
    (receiver as Record<string, unknown>)[hashEmail === "md5" ? "EmailMd5" : "EmailSha256"] = hash(hashEmail, receiver.Email);
    delete receiver.Email;
  }
  const typeOf = ({ Value, Type }: { Value: unknown; Type?: string }) =>
    Type ?? (typeof Value === "number" ? (Number.isInteger(Value) ? "int" : "decimal") : typeof Value === "boolean" ? "boolean" : "string");
  const attachments = firstValue(input as object, "Attachments") as { Content: unknown; FileName?: string; MimeType?: string }[] | undefined;
  const data: Record<string, unknown> = {
    Receiver: {
      ...receiver,
      ...(Properties ? { Properties: Properties.map((p) => ({ Id: p.Id, Value: { "@_xsi:type": `xs:${typeOf(p)}`, "#text": String(p.Value) } })) } : {}),
    },
  };
  if (message.ReturnGuid !== undefined) data.ReturnGuid = message.ReturnGuid;
  if (message.Snippets !== undefined) data.Snippets = message.Snippets;
  if (attachments !== undefined) {
    data.Attachments = await Promise.all(
      attachments.map(async (attachment) => {
        const [Content, FileName, MimeType] = (["Content", "FileName", "MimeType"] as const).map((key) => firstValue(attachment, key)) as [unknown, string | undefined, string | undefined];
        const bytes = Content instanceof Blob ? new Uint8Array(await Content.arrayBuffer()) : Content instanceof ArrayBuffer ? new Uint8Array(Content) : (Content as Uint8Array);
        const ownType = Content instanceof Blob ? Content.type.split(";")[0]!.trim() : "";
        const type = MimeType ?? (MIME_TYPE.test(ownType) ? ownType : undefined);
        return {
          FileName: FileName !== undefined ? FileName : (Content as File).name,
          ...(type === undefined ? {} : { MimeType: type }),
          Content: Buffer.from(bytes).toString("base64"),
        };
      }),
    );
  }
  return {
    ok: true,
    value: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xmlns:xs": "http://www.w3.org/2001/XMLSchema", ApiKey: API_KEY, Data: data },
  };
}

async function judge(input: unknown, requests: readonly RecordedRequest[]): Promise<WireVerdict> {
  const verdict: WireVerdict = { malformed: [], altered: [], headers: [] };
  const differs = retriesDiffer(requests);
  if (differs) verdict.malformed.push(differs);
  const request = requests[0]!;
  const path = /^\/v2\/Api\/SystemTransactionals\/([^/]+)$/.exec(request.url.pathname);
  if (request.method !== "POST" || !path) {
    verdict.malformed.push(`${request.method} ${request.url.pathname}`);
    return verdict;
  }
  const pathId = /^\d+$/.test(path[1]!) ? Number(path[1]) : path[1];
  verdict.malformed.push(...specErrors("expertsender", "TransactionalId", pathId).map((error) => `path id ${error}`));
  let model: unknown;
  try {
    ({ model } = parseApiRequest(utf8(request.body)));
  } catch (error) {
    verdict.malformed.push(`the body cannot be read: ${(error as Error).message}`);
    return verdict;
  }
  verdict.malformed.push(...specErrors("expertsender", "SystemTransactionalRequest", model));
  if (pathId !== firstValue(input as object, "transactionalId")) verdict.altered.push(`transactionalId sent as ${JSON.stringify(pathId)}`);
  const expected = await expectedModel(input);
  if (!expected.ok) verdict.altered.push(`sent, though the input is not plain JSON: ${expected.why}`);
  else {
    const difference = jsonDifference(expected.value, model);
    if (difference) verdict.altered.push(difference);
  }
  return verdict;
}

export const expertSenderFuzz: VendorFuzz = {
  vendor: "expertsender",
  valid,
  records: [],
  fields: [
    [["Receiver", "Email"], ADDRESS_EDGES],
    [["Receiver", "Ip"], IP_EDGES],
    [["Receiver", "Bcc"], [...ADDRESS_EDGES, "a@b.co;c@d.co", "*[subscriber_email]*"]],
    [["Receiver", "Id"], ID_EDGES],
    [["transactionalId"], ID_EDGES],
    [["Receiver", "Properties", "*", "Type"], ["int", "boolean", "decimal", "double", "date", "dateTime", "string", "Int", "xs:int", "", "float"]],
    [["Receiver", "Properties", "*", "Value"], ["", "1e3", "+7", "0x10", "2024-02-30", "true", " 1", "1 ", "\uD800", 1e21, -0, NaN, 2 ** 31]],
    [["Attachments", "*", "FileName"], HOSTILE_FILE_NAMES],
    [["Attachments", "*", "MimeType"], MIME_EDGES],
    [["Snippets", "*", "Name"], ["", "a-b", "a b", "ü", "x".repeat(100), "x".repeat(101), "tr_x"]],
  ],
  strings: [API_KEY, "[redacted]", "<ApiKey>[redacted]</ApiKey>"],
  secrets: secretForms(API_KEY),
  answer: (request) =>
    /<ReturnGuid>true<\/ReturnGuid>/.test(new TextDecoder().decode(request.body))
      ? new Response('<ApiResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Data>c3a4bda9-07be-4d48-af20-df51293ec78f</Data></ApiResponse>', { status: 201, headers: { "content-type": "text/xml; charset=utf-8" } })
      : new Response(null, { status: 201 }),
  client: (fetch, hooks) => createExpertSenderClient({ ...hooks, baseUrl: "https://api.esv2.com", apiKey: API_KEY, fetch }),
  judge,
  // The key travels in the first <ApiKey>, before <Data>, and nowhere else.
  secretBelongs: (request, where, secret) => {
    if (where !== "body" || secret !== API_KEY) return false;
    const text = new TextDecoder().decode(request.body);
    return text.split(secret).length === 2 && text.indexOf(`<ApiKey>${API_KEY}</ApiKey>`) >= 0 && text.indexOf(secret) < text.indexOf("<Data>");
  },
};
