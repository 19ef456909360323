/** Valid field values shared by the vendors' valid-message arbitraries. */
import fc from "fast-check";
import { specSchema } from "../support/spec.js";
import { ADDRESS_EDGES, IP_EDGES, TRICKY_KEYS } from "./hostile.js";

const specEmail = specSchema("listmonk", "Email");
const specReceiver = specSchema("expertsender", "Receiver");

/**
 * An address the specs' `format: email` accepts (and no longer than 254 characters): generated, or one of the
 * edge cases the spec accepts.
 */
export const address = fc.oneof(
  { weight: 4, arbitrary: fc.emailAddress().filter((email) => email.length <= 254 && specEmail(email) === true) },
  { weight: 1, arbitrary: fc.constantFrom(...ADDRESS_EDGES.filter((email) => specEmail(email) === true)) },
);

/** An IP address the ExpertSender spec accepts: generated, or one of the edge cases it accepts. */
export const ipAddress = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(fc.ipV4(), fc.ipV6()) },
  { weight: 1, arbitrary: fc.constantFrom(...IP_EDGES.filter((Ip) => specReceiver({ Email: "a@example.com", Ip }) === true)) },
);

/** Ids on the edge of a positive 32-bit integer, and values that only look like one. */
export const ID_EDGES: readonly unknown[] = [0, -1, 1, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, "1", NaN, Infinity, -0, 1e21];

/** MIME types on the edge of `type/subtype`. */
export const MIME_EDGES: readonly unknown[] = [
  "text/plain", "TEXT/PLAIN", "text/plain; charset=utf-8", "text/", "/plain", "a/b/c", "text/plaïn", "\0text/plain", "text/plain\r\n", "", " text/plain", "application/vnd.ms-excel",
];

/** Strings just inside and just outside a length limit. */
export const aroundLength = (limit: number): string[] => [limit - 1, limit, limit + 1].map((n) => "x".repeat(n)).concat("😀".repeat(Math.ceil(limit / 2) + 1));

/** One line of text: no CR or LF. */
export const headerLine = (maxLength: number) =>
  fc.string({ unit: "grapheme", maxLength: Math.min(maxLength, 40) }).filter((text) => !/[\r\n]/.test(text) && text.length <= maxLength);

/** A key of a JSON object that no rule has an opinion about. */
export const plainKey = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }).filter((key) => !TRICKY_KEYS.includes(key));

/** Whether a JSON value holds a key some rule may refuse (`__proto__` is refused as reserved_key), at any depth. */
const holdsTrickyKey = (value: unknown): boolean =>
  typeof value === "object" && value !== null && Object.entries(value).some(([key, item]) => TRICKY_KEYS.includes(key) || holdsTrickyKey(item));

/** A JSON object of arbitrary JSON values, with no key any rule has an opinion about. */
export const jsonObject = fc.dictionary(plainKey, fc.jsonValue({ maxDepth: 2 }).filter((value) => !holdsTrickyKey(value)), { maxKeys: 4 });

/** A file name every vendor accepts. */
export const safeFileName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}$/);

/** Non-empty attachment content of each Web type. */
export const fileContent = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 16 }),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => bytes.slice().buffer),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => new Blob([bytes])),
);
