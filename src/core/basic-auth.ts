/**
 * Checking HTTP Basic credentials that a vendor's webhook presents (RFC 7617), with Web Crypto only, in time that
 * does not depend on how much of a guess was right.
 */

/**
 * A user and password as HTTP Basic carries them.
 *
 * @example
 * const expected: BasicCredentials = { user: env.WEBHOOK_USER, password: env.WEBHOOK_PASSWORD };
 */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** The longest `Authorization` header read; a longer one is refused unread. */
const MAX_HEADER_LENGTH = 4096;
const utf8 = new TextEncoder();

/**
 * The user and password of an `Authorization: Basic …` header; `undefined` when the header is absent, another
 * scheme, not base64, not UTF-8, or has no `:`. The user is everything before the first `:` (RFC 7617 §2).
 *
 * @example
 * parseBasicAuthorization("Basic " + btoa("hooks:s3cret")); // { user: "hooks", password: "s3cret" }
 */
export function parseBasicAuthorization(header: string | null | undefined): BasicCredentials | undefined {
  if (typeof header !== "string" || header.length > MAX_HEADER_LENGTH) return undefined;
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header.trim());
  if (!match) return undefined;
  let text: string;
  try {
    const binary = atob(match[1]!);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Whether `header` carries exactly the `expected` user and password. Both are compared, always, as SHA-256 digests
 * byte by byte without stopping early, so neither the time taken nor a length tells a caller how close a guess
 * came. Expected credentials with an empty user or password match nothing: a missing secret never opens the door.
 *
 * @example
 * const expected = { user: env.WEBHOOK_USER, password: env.WEBHOOK_PASSWORD };
 * if (!(await basicAuthMatches(request.headers.get("Authorization"), expected))) {
 *   return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="events"' } });
 * }
 */
export async function basicAuthMatches(header: string | null | undefined, expected: BasicCredentials): Promise<boolean> {
  const given = parseBasicAuthorization(header);
  const configured = typeof expected?.user === "string" && typeof expected?.password === "string" && expected.user !== "" && expected.password !== "";
  // The digests are taken even when the header is unusable, so that case costs the same as a wrong guess.
  const [givenUser, givenPassword, expectedUser, expectedPassword] = await Promise.all(
    [given?.user ?? "", given?.password ?? "", configured ? expected.user : "", configured ? expected.password : ""].map(digest),
  );
  const same = bytesEqual(givenUser!, expectedUser!) & bytesEqual(givenPassword!, expectedPassword!);
  return given !== undefined && configured && same === 1;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

/** 1 when equal, else 0; reads every byte of both (they are digests, so always the same length). */
function bytesEqual(a: Uint8Array, b: Uint8Array): number {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ (b[index] ?? 0);
  return difference === 0 ? 1 : 0;
}
