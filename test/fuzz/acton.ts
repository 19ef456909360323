/** Act-On under generated input: valid messages from test/acton/fixtures.ts and generated fields. */
import fc from "fast-check";
import { createActOnClient, memoryTokenStore } from "../../src/acton/index.js";
import { createPacer } from "../../src/core/pacing.js";
import { specErrors } from "../support/spec.js";
import { validActOnMessages } from "../acton/fixtures.js";
import type { VendorFuzz, WireVerdict } from "./harness.js";
import { omitKey } from "./hostile.js";
import { firstValue, jsonDifference, retriesDiffer, json, pathParameter, readJson, secretForms, utf8, type RecordedRequest } from "./wire.js";
import { ADDRESS_EDGES } from "./hostile.js";
import { address, aroundLength, headerLine, plainKey } from "./values.js";

const ACCOUNT = "1234567";
const CREDENTIALS = { username: "ops@example.com", password: "pa ss+w0rd&Fuzz=41c", clientId: "client-id-fuzz", clientSecret: "client-secret-fuzz-92e1" };
const ACCESS_TOKEN = "at-fuzz-access-5d2e8a";
const REFRESH_TOKEN = "rt-fuzz-refresh-77c1f0";
const ETE_PATH = "/ete/v1/email/{accountId}/{templateId}";
const templateIdSchema = pathParameter("acton", ETE_PATH, "templateId");

const generated = fc.record(
  {
    templateId: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((id) => id !== "." && id !== ".."),
    envelope: fc.record(
      {
        toAddress: address,
        ccAddressList: fc.array(address, { maxLength: 5 }),
        fromAddress: address,
        fromDisplayName: headerLine(60),
        replyToAddress: address,
      },
      { requiredKeys: ["toAddress"] },
    ),
    content: fc.record(
      {
        subjectLine: headerLine(90),
        previewText: headerLine(240),
        personalizationDataMap: fc.dictionary(plainKey, fc.string({ unit: "grapheme", maxLength: 20 }), { maxKeys: 4 }),
      },
      { requiredKeys: [] },
    ),
    metadata: fc.record(
      {
        transactional: fc.boolean(),
        externalId: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        tagList: fc.array(fc.string({ unit: "grapheme", maxLength: 48 }).filter((tag) => tag.length <= 48), { maxLength: 1 }),
      },
      { requiredKeys: ["transactional", "externalId"] },
    ),
    actions: fc.record(
      { trackOpens: fc.boolean(), trackClicks: fc.boolean(), deliveryWhenDelayed: fc.constantFrom("TRUE", "FALSE", "FIVE_MINUTES") },
      { requiredKeys: ["trackOpens", "trackClicks"] },
    ),
  },
  { requiredKeys: ["templateId", "envelope", "metadata", "actions"] },
);

// Generated first: fast-check shrinks a oneof towards its first choice, and generated messages shrink small.
const valid = fc.oneof(generated, fc.constantFrom(...validActOnMessages.map(([, message]) => message)));

async function judge(input: unknown, requests: readonly RecordedRequest[]): Promise<WireVerdict> {
  const verdict: WireVerdict = { malformed: [], altered: [], headers: [] };
  const sends = requests.filter((request) => request.url.pathname.startsWith("/ete/"));
  for (const request of requests.filter((candidate) => candidate.url.pathname === "/token")) {
    verdict.malformed.push(...specErrors("acton", "TokenRequest", Object.fromEntries(new URLSearchParams(utf8(request.body)))).map((error) => `token ${error}`));
  }
  // No ETE request at all is the delivery property's business (what the outcome says); a retry resends the same one.
  const differs = sends.length > 1 ? retriesDiffer(sends.map(({ headers: _, ...rest }) => ({ ...rest, headers: [] }))) : undefined;
  if (differs) verdict.malformed.push(differs);
  const request = sends[0];
  if (!request) return verdict;
  const match = /^\/ete\/v1\/email\/([^/]+)\/([^/]+)$/.exec(request.url.pathname);
  if (request.method !== "POST" || !match) {
    verdict.malformed.push(`${request.method} ${request.url.pathname}`);
    return verdict;
  }
  const [accountId, templateId] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)];
  if (!templateIdSchema(templateId)) verdict.malformed.push(`templateId ${JSON.stringify(templateId)} breaks the path parameter's schema`);
  if (request.url.search || request.url.hash) verdict.malformed.push(`the URL has a query or fragment: ${request.url.href}`);
  let body: unknown;
  try {
    body = JSON.parse(utf8(request.body));
  } catch (error) {
    verdict.malformed.push(`the body is not JSON: ${(error as Error).message}`);
    return verdict;
  }
  verdict.malformed.push(...specErrors("acton", "EteEmailRequest", body));

  const givenTemplate = firstValue(input as object, "templateId");
  if (accountId !== ACCOUNT) verdict.altered.push(`account ${JSON.stringify(accountId)} in the path`);
  if (templateId !== givenTemplate) verdict.altered.push(`templateId ${JSON.stringify(givenTemplate)} sent as ${JSON.stringify(templateId)}`);
  const expected = readJson(omitKey(input, "templateId"));
  if (!expected.ok) verdict.altered.push(`sent, though the input is not plain JSON: ${expected.why}`);
  else {
    const difference = jsonDifference(expected.value, body);
    if (difference) verdict.altered.push(difference);
  }
  return verdict;
}

export const actonFuzz: VendorFuzz = {
  vendor: "acton",
  valid,
  records: [["content", "personalizationDataMap"]],
  fields: [
    [["envelope", "toAddress"], ADDRESS_EDGES],
    [["envelope", "ccAddressList", "*"], ADDRESS_EDGES],
    [["envelope", "fromAddress"], ADDRESS_EDGES],
    [["envelope", "replyToAddress"], ADDRESS_EDGES],
    [["templateId"], [".", "..", "a/b", "%2e%2e", "\uD800", "a?b", "a#b", "", " ", "t-0099/../x", "\0"]],
    [["metadata", "externalId"], aroundLength(128)],
    [["metadata", "tagList", "*"], aroundLength(48)],
    [["content", "subjectLine"], aroundLength(90)],
    [["content", "previewText"], aroundLength(240)],
  ],
  strings: [CREDENTIALS.password, CREDENTIALS.clientSecret, ACCESS_TOKEN, ACCOUNT],
  secrets: secretForms(CREDENTIALS.password, CREDENTIALS.clientSecret, ACCESS_TOKEN, REFRESH_TOKEN).concat(
    new URLSearchParams({ s: CREDENTIALS.password }).toString().slice(2),
  ),
  answer: (request) =>
    request.url.pathname === "/token"
      ? json(200, { access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN, scope: "PRODUCTION", token_type: "Bearer", expires_in: 3600 })
      : json(200, { success: true, message: "Email Sent Successfully", suppressedRecipients: [] }),
  client: (fetch, hooks) =>
    createActOnClient({
      ...hooks,
      accountId: ACCOUNT,
      credentials: CREDENTIALS,
      fetch,
      // A fresh store per send, so no send depends on the ones before it (and a shrunk input replays alike).
      tokenStore: memoryTokenStore(),
      // Pacing of sends and logins is tested elsewhere; here it would only slow thousands of sends.
      tokenPacer: createPacer({ limit: 1_000_000 }),
      ratePerSecond: 1_000_000,
    }),
  judge,
  isMessageRequest: (request) => request.url.pathname.startsWith("/ete/"),
  secretBelongs: (request, where, secret) =>
    request.url.pathname === "/token"
      ? where === "body" && secret !== ACCESS_TOKEN
      : where === "header authorization" && request.headers.some(([name, value]) => name === "authorization" && value === `Bearer ${ACCESS_TOKEN}`) && secret !== CREDENTIALS.password && secret !== CREDENTIALS.clientSecret,
};
