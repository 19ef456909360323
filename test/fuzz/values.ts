/** Valid field values shared by the vendors' valid-message arbitraries. */
import fc from "fast-check";
import { specSchema } from "../support/spec.js";
import { TRICKY_KEYS } from "./hostile.js";

const specEmail = specSchema("listmonk", "Email");

/** An address the specs' `format: email` accepts (and no longer than 254 characters). */
export const address = fc.emailAddress().filter((email) => email.length <= 254 && specEmail(email) === true);

/** One line of text: no CR or LF. */
export const headerLine = (maxLength: number) =>
  fc.string({ unit: "grapheme", maxLength: Math.min(maxLength, 40) }).filter((text) => !/[\r\n]/.test(text) && text.length <= maxLength);

/** A key of a JSON object that no rule has an opinion about. */
export const plainKey = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }).filter((key) => !TRICKY_KEYS.includes(key));

/** A JSON object of arbitrary JSON values. */
export const jsonObject = fc.dictionary(plainKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

/** A file name every vendor accepts. */
export const safeFileName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}$/);

/** Non-empty attachment content of each Web type. */
export const fileContent = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 16 }),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => bytes.slice().buffer),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => new Blob([bytes])),
);
