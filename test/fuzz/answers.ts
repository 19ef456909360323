/**
 * Generated vendor answers: whatever status, body and headers a vendor (or a proxy in front of it) sends back,
 * a send still ends in a documented outcome without a credential in it, even when the answer echoes one.
 */
import fc from "fast-check";

/** An answer, as data, made into a fresh `Response` for each request. */
export interface AnswerRecipe {
  readonly status: number;
  readonly body: string | Uint8Array | null;
  readonly headers: Record<string, string>;
}

/** Statuses a `Response` cannot have a body with. */
const NULL_BODY = new Set([204, 205, 304]);

export function toResponse({ status, body, headers }: AnswerRecipe): Response {
  return new Response(NULL_BODY.has(status) ? null : (body as BodyInit | null), { status, headers });
}

const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

/** Bodies vendors send, bodies they never should, and bodies that quote a credential back. */
function bodies(secrets: readonly string[]): fc.Arbitrary<string | Uint8Array | null> {
  const secret = fc.constantFrom(...secrets);
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom("", "{}", "[]", "null", "true", "{", "<", "not json", '{"data":true}', '{"data":false}', '{"transactions":[]}', '{"transactions":"x"}',
      '{"success":true,"message":"ok","suppressedRecipients":["jane.doe@example.com"]}', '{"success":true,"suppressedRecipients":[1,null,{}]}',
      '{"message":"Subscriber (0: ada@example.com) not found"}', '{"error":{"errors":[{"reason":"Suppressed"}]}}', '{"error":{"errors":null}}',
      "<ApiResponse><Data>c3a4bda9-07be-4d48-af20-df51293ec78f</Data></ApiResponse>", "<ApiResponse><ErrorMessage><Code>400</Code></ErrorMessage></ApiResponse>",
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;"><!ENTITY z "&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;">]><ApiResponse><Data>&z;</Data></ApiResponse>',
      "\uFEFF<ApiResponse/>", deep(10_000, "[", "]"), deep(5_000, '{"a":', "}").replace(/}$/, "1}")),
    secret.map((s) => JSON.stringify({ message: `invalid credentials ${s}`, error: { errors: [{ reason: "Suppressed", message: s, location: s }] } })),
    secret.map((s) => `<ApiResponse><ErrorMessage><Code>403</Code><Message>key ${s} refused</Message></ErrorMessage></ApiResponse>`),
    secret.map((s) => JSON.stringify({ error: "invalid_grant", error_description: `${encodeURIComponent(s)} ${btoa(s)}`, access_token: s })),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.constant(null).map(() => "x".repeat(1_000_000)),
  );
}

export function answers(secrets: readonly string[]): fc.Arbitrary<AnswerRecipe> {
  return fc.record({
    status: fc.oneof(fc.constantFrom(200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 412, 415, 422, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 })),
    body: bodies(secrets),
    headers: fc.record(
      {
        "content-type": fc.constantFrom("application/json", "application/json; charset=utf-8", "text/xml; charset=utf-8", "text/plain", "text/html", "application/problem+json"),
        "retry-after": fc.constantFrom("0", "1", "-1", "1.5", "1e9", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 2100 23:59:59 GMT", "soon", ""),
      },
      { requiredKeys: [] },
    ),
  });
}
