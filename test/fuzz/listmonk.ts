/** listmonk under generated input: valid messages from test/listmonk/fixtures.ts and generated fields. */
import fc from "fast-check";
import { createListmonkClient } from "../../src/listmonk/index.js";
import { specErrors } from "../support/spec.js";
import { validListmonkMessages } from "../listmonk/fixtures.js";
import type { VendorFuzz, WireVerdict } from "./harness.js";
import { omitKey } from "./hostile.js";
import { firstValue, jsonDifference, retriesDiffer, json, readJson, readMultipart, secretForms, utf8, type RecordedRequest } from "./wire.js";
import { ADDRESS_EDGES, HOSTILE_FILE_NAMES } from "./hostile.js";
import { address, aroundLength, fileContent, headerLine, ID_EDGES, jsonObject, MIME_EDGES, safeFileName } from "./values.js";

const USERNAME = "api_user";
const TOKEN = "lm-fuzz-token-3b9d71";
const BASIC = btoa(`${USERNAME}:${TOKEN}`);

const recipients = fc.oneof(
  fc.record({ subscriber_emails: fc.array(address, { minLength: 1, maxLength: 3 }), subscriber_mode: fc.constantFrom("default", "fallback", "external", undefined) }),
  fc.record({ subscriber_email: address, subscriber_mode: fc.constantFrom("fallback", "external") }),
  fc.record({ subscriber_ids: fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ subscriber_id: fc.integer({ min: 1, max: 2 ** 53 - 1 }), subscriber_mode: fc.constant("default") }),
);

const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);

const generated = fc
  .tuple(
    recipients,
    fc.record(
      {
        template_id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        from_email: headerLine(998),
        subject: headerLine(998),
        altbody: fc.string({ unit: "grapheme", maxLength: 40 }),
        data: jsonObject,
        headers: fc.array(fc.dictionary(headerName, headerLine(60), { maxKeys: 2 }), { maxLength: 2 }),
        messenger: fc.constant("email"),
        content_type: fc.constantFrom("html", "markdown", "plain"),
        attachments: fc.array(
          fc.oneof(
            fc.record({ content: fileContent, filename: safeFileName }),
            fc.record({ content: fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), safeFileName).map(([bytes, name]) => new File([bytes], name, { type: "application/pdf" })) }),
            fc.record({ content: fileContent, filename: safeFileName, contentType: fc.constantFrom("text/plain", "application/pdf", "image/png") }),
          ),
          { minLength: 1, maxLength: 2 },
        ),
      },
      { requiredKeys: ["template_id"] },
    ),
  )
  .map(([who, rest]) => {
    const message: Record<string, unknown> = { ...rest, ...who };
    if (message.subscriber_mode === undefined) delete message.subscriber_mode;
    return message;
  });

// Generated first: fast-check shrinks a oneof towards its first choice, and generated messages shrink small.
const valid = fc.oneof(generated, fc.constantFrom(...validListmonkMessages.map(([, message]) => message)));

/** What listmonk reads from a request: the JSON message, and the files with their names and types. */
async function judge(input: unknown, requests: readonly RecordedRequest[]): Promise<WireVerdict> {
  const verdict: WireVerdict = { malformed: [], altered: [], headers: [] };
  const differs = retriesDiffer(requests);
  if (differs) verdict.malformed.push(differs);
  const request = requests[0]!;
  if (request.method !== "POST" || request.url.pathname !== "/api/tx") verdict.malformed.push(`${request.method} ${request.url.pathname}`);
  const contentType = request.headers.find(([name]) => name === "content-type")?.[1] ?? "";
  let message: unknown;
  let files: { name: string | undefined; type: string | undefined; bytes: Uint8Array }[] = [];
  try {
    if (contentType.startsWith("multipart/form-data")) {
      const parts = readMultipart(contentType, request.body);
      for (const part of parts) {
        for (const [name, value] of part.headers) {
          if (/[\r\n\0]/.test(value)) verdict.headers.push(`multipart part header ${name} holds CR, LF or NUL: ${JSON.stringify(value)}`);
        }
      }
      const data = parts.filter((part) => part.params.name === "data");
      if (data.length !== 1) verdict.malformed.push(`${data.length} data parts`);
      message = JSON.parse(utf8(data[0]!.body));
      files = parts
        .filter((part) => part.params.name === "file")
        .map((part) => ({ name: part.params.filename, type: part.headers.find(([name]) => name === "content-type")?.[1], bytes: part.body }));
      const others = parts.filter((part) => part.params.name !== "data" && part.params.name !== "file");
      if (others.length) verdict.malformed.push(`multipart parts other than data and file: ${others.map((part) => part.params.name).join(", ")}`);
    } else if (contentType.startsWith("application/json")) {
      message = JSON.parse(utf8(request.body));
    } else {
      verdict.malformed.push(`content-type ${JSON.stringify(contentType)}`);
      return verdict;
    }
  } catch (error) {
    verdict.malformed.push(`the body cannot be read: ${(error as Error).message}`);
    return verdict;
  }
  verdict.malformed.push(...specErrors("listmonk", "TxMessage", message));

  // The input's own reading: every field but attachments is JSON; attachments are files.
  const attachments = firstValue(input as object, "attachments");
  const expected = readJson(omitKey(input, "attachments"));
  if (!expected.ok) verdict.altered.push(`sent, though the input is not plain JSON: ${expected.why}`);
  else {
    const difference = jsonDifference(expected.value, message);
    if (difference) verdict.altered.push(difference);
  }
  const given = Array.isArray(attachments) ? (attachments as { content: unknown; filename?: unknown; contentType?: unknown }[]) : [];
  if (given.length !== files.length) verdict.altered.push(`${given.length} attachments given, ${files.length} file parts sent`);
  for (const [index, attachment] of given.entries()) {
    const file = files[index];
    if (!file) break;
    const content = firstValue(attachment, "content");
    const ownName = content instanceof File ? content.name : undefined;
    const filename = firstValue(attachment, "filename");
    const name = filename !== undefined ? filename : ownName;
    if (file.name !== name) verdict.altered.push(`attachments.${index}: name ${JSON.stringify(name)} sent as ${JSON.stringify(file.name)}`);
    const contentType = firstValue(attachment, "contentType");
    const type = (typeof contentType === "string" && contentType) || (content instanceof Blob && content.type) || "application/octet-stream";
    if (file.type?.toLowerCase() !== String(type).toLowerCase()) verdict.altered.push(`attachments.${index}: type ${JSON.stringify(type)} sent as ${JSON.stringify(file.type)}`);
    const bytes = content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content instanceof ArrayBuffer ? new Uint8Array(content) : (content as Uint8Array);
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(file.bytes)) !== 0) verdict.altered.push(`attachments.${index}: content changed`);
  }
  return verdict;
}

export const listmonkFuzz: VendorFuzz = {
  vendor: "listmonk",
  valid,
  records: [["data"], ["headers", "*"]],
  fields: [
    [["subscriber_emails", "*"], ADDRESS_EDGES],
    [["subscriber_email"], ADDRESS_EDGES],
    [["from_email"], ADDRESS_EDGES],
    [["template_id"], ID_EDGES],
    [["subscriber_ids", "*"], ID_EDGES],
    [["subscriber_id"], ID_EDGES],
    [["attachments", "*", "filename"], HOSTILE_FILE_NAMES],
    [["attachments", "*", "contentType"], MIME_EDGES],
    [["subject"], aroundLength(998)],
  ],
  strings: [TOKEN, `${USERNAME}:${TOKEN}`],
  secrets: [...secretForms(TOKEN, `${USERNAME}:${TOKEN}`), BASIC],
  answer: () => json(200, { data: true }),
  client: (fetch, hooks) => createListmonkClient({ ...hooks, baseUrl: "https://lists.example.com", username: USERNAME, token: TOKEN, fetch }),
  judge,
  // Every form of the credential inside the Authorization header is the header itself.
  secretBelongs: (request, where) => where === "header authorization" && request.headers.some(([name, value]) => name === "authorization" && value === `Basic ${BASIC}`),
};
