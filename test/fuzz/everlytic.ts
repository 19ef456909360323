/** Everlytic under generated input: valid messages from test/everlytic/fixtures.ts and generated fields. */
import fc from "fast-check";
import { createEverlyticClient } from "../../src/everlytic/index.js";
import { specErrors, specSchema } from "../support/spec.js";
import { validEverlyticMessages } from "../everlytic/fixtures.js";
import type { VendorFuzz, WireVerdict } from "./harness.js";
import { omitKey } from "./hostile.js";
import { firstValue, jsonDifference, retriesDiffer, json, readJson, secretForms, utf8, type RecordedRequest } from "./wire.js";
import { ADDRESS_EDGES, HOSTILE_FILE_NAMES } from "./hostile.js";
import { address, fileContent, headerLine, plainKey, safeFileName } from "./values.js";

const USERNAME = "acme";
const API_KEY = "ev-fuzz-api-key-0c6f2d";
const BASIC = btoa(`${USERNAME}:${API_KEY}`);

const everlyticEmail = specSchema("everlytic", "EmailAddress");
const everlyticAddress = address.filter((email) => everlyticEmail(email) === true);
const person = fc.record({ email: everlyticAddress, name: headerLine(30) }, { requiredKeys: ["email"] });
const tags = fc.dictionary(plainKey, fc.string({ unit: "grapheme", maxLength: 20 }), { maxKeys: 3 });

const generated = fc
  .record(
    {
      html: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
      text: fc.string({ unit: "grapheme", maxLength: 40 }),
      common_fields: tags,
      to: fc.array(person, { minLength: 1, maxLength: 3 }),
      cc: fc.array(person, { maxLength: 2 }),
      subject: headerLine(60).filter((subject) => subject.length > 0),
      from: fc.record({ email: everlyticAddress, name: headerLine(30) }, { requiredKeys: ["email"] }),
      message_id: fc.constant("<order-1@example.com>"),
      custom_headers: fc.dictionary(fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/), fc.oneof(headerLine(30), fc.array(headerLine(30), { minLength: 1, maxLength: 2 })), { maxKeys: 2 }),
      options: fc.record({ group_name: fc.string({ maxLength: 20 }), track_opens: fc.boolean(), track_links: fc.boolean() }, { requiredKeys: [] }),
      files: fc.array(
        fc.oneof(
          fc.record({ filename: safeFileName, content: fileContent }),
          fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), safeFileName).map(([bytes, name]) => ({ content: new File([bytes], name) })),
          fc.record({ filename: safeFileName, data: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString("base64")) }),
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ["html", "to", "subject", "from"] },
  )
  .map(({ html, text, common_fields, to, cc, subject, from, message_id, custom_headers, options, files }) => ({
    body: { html, ...(text === undefined ? {} : { text }), ...(common_fields ? { personalisation_fields: { common_fields } } : {}) },
    headers: {
      to,
      subject,
      from,
      ...(cc ? { cc } : {}),
      ...(message_id ? { message_id } : {}),
      ...(custom_headers ? { custom_headers } : {}),
    },
    ...(options ? { options } : {}),
    ...(files?.length ? { attachments: { data: files } } : {}),
  }));

// Generated first: fast-check shrinks a oneof towards its first choice, and generated messages shrink small.
const valid = fc.oneof(generated, fc.constantFrom(...validEverlyticMessages.map(([, message]) => message)));

async function judge(input: unknown, requests: readonly RecordedRequest[]): Promise<WireVerdict> {
  const verdict: WireVerdict = { malformed: [], altered: [], headers: [] };
  const differs = retriesDiffer(requests);
  if (differs) verdict.malformed.push(differs);
  const request = requests[0]!;
  if (request.method !== "POST" || request.url.pathname !== "/transactional/email/v1/mail") verdict.malformed.push(`${request.method} ${request.url.pathname}`);
  let body: unknown;
  try {
    body = JSON.parse(utf8(request.body));
  } catch (error) {
    verdict.malformed.push(`the body is not JSON: ${(error as Error).message}`);
    return verdict;
  }
  verdict.malformed.push(...specErrors("everlytic", "SendMailRequest", body));

  // The input's own reading: Web-type attachment content becomes {filename, data} with the bytes in base64.
  const attachments = (input as { attachments?: unknown }).attachments;
  const files = (attachments as { data?: unknown } | undefined)?.data;
  let readable: unknown = input;
  if (Array.isArray(files) && files.some((file) => (file as { content?: unknown })?.content !== undefined)) {
    const data = await Promise.all(
      files.map(async (file: { content?: unknown; filename?: unknown }) => {
        const { content } = file;
        if (content === undefined) return file;
        const bytes = content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content instanceof ArrayBuffer ? new Uint8Array(content) : (content as Uint8Array);
        const rest = omitKey(file, "content") as Record<string, unknown>;
        const given = firstValue(file, "filename");
        const filename = given !== undefined ? given : content instanceof File ? content.name : undefined;
        return define(rest, { filename, data: Buffer.from(bytes).toString("base64") });
      }),
    );
    readable = define(omitKey(input, "attachments"), { attachments: define(omitKey(attachments, "data"), { data }) });
  }
  const expected = readJson(readable);
  if (!expected.ok) verdict.altered.push(`sent, though the input is not plain JSON: ${expected.why}`);
  else {
    const difference = jsonDifference(expected.value, body);
    if (difference) verdict.altered.push(difference);
  }
  return verdict;
}

/** `target` with these own properties set, whatever it had under their names. */
function define(target: unknown, values: Record<string, unknown>): object {
  for (const [key, value] of Object.entries(values)) Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target as object;
}

export const everlyticFuzz: VendorFuzz = {
  vendor: "everlytic",
  valid,
  fields: [
    [["headers", "to", "*", "email"], ADDRESS_EDGES],
    [["headers", "cc", "*", "email"], ADDRESS_EDGES],
    [["headers", "from", "email"], ADDRESS_EDGES],
    [["headers", "reply_to", "email"], ADDRESS_EDGES],
    [["attachments", "data", "*", "filename"], HOSTILE_FILE_NAMES],
    [["attachments", "data", "*", "data"], ["YQ==", "YQ", "Y Q==", "YQ==\n", "", "====", "YWJj", "YW Jj"]],
    [["options", "unsubscribe_redirect_url"], ["https://example.com/", "javascript:alert(1)", "https://exa mple.com", "http://localhost/", "https://example.com/a b", "https://example.com/\u00e9", "ftp://example.com/", "https://example.com:99999/"]],
    [["options", "template_id"], ["", " ", "1", "\uD800"]],
  ],
  records: [["body", "personalisation_fields", "common_fields"], ["headers", "custom_headers"], ["body", "personalisation_fields", "unique_fields", "*"], ["body", "personalisation_fields", "unique_fields", "*", "*"]],
  strings: [API_KEY, `${USERNAME}:${API_KEY}`],
  secrets: [...secretForms(API_KEY, `${USERNAME}:${API_KEY}`), BASIC],
  answer: () => json(200, { transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] }),
  client: (fetch, hooks) => createEverlyticClient({ ...hooks, username: USERNAME, apiKey: API_KEY, fetch }),
  judge,
  // Every form of the credential inside the Authorization header is the header itself.
  secretBelongs: (request, where) => where === "header authorization" && request.headers.some(([name, value]) => name === "authorization" && value === `Basic ${BASIC}`),
};
