/**
 * Reading requests back, independently of the client: the recording `fetch`, the JSON a plain input stands for,
 * a multipart reader that reads file names as listmonk's Go server does, and spec validators for path parameters.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { firstRead } from "./hostile.js";
import { loadSpec, type SpecVendor } from "../support/spec.js";

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: [string, string][];
  readonly body: Uint8Array;
}

/** A `fetch` that records every request and answers with `answer`; it never touches the network. */
export function recordingFetch(answer: (request: RecordedRequest) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: [...request.headers],
      body: new Uint8Array(await request.arrayBuffer()),
    };
    requests.push(recorded);
    return answer(recorded);
  };
  return { fetch, requests };
}

export const utf8 = (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

/** The JSON value a plain input stands for, or why it stands for none (a Map, NaN, a hole, a getter that throws). */
export type JsonReading = { ok: true; value: unknown } | { ok: false; why: string };

/**
 * Reads an input as the JSON it stands for, without JSON.stringify's rewriting: only plain objects (of
 * `Object.prototype` or none), dense arrays, strings, finite numbers, booleans and null are JSON. An object
 * property that is `undefined` is absent. A flip getter counts as the value of its first read.
 */
export function readJson(value: unknown, path = ""): JsonReading {
  try {
    return readJsonUnsafe(value, path);
  } catch (error) {
    return { ok: false, why: `${path || "(input)"} cannot be read: ${(error as Error)?.message ?? String(error)}` };
  }
}

/** Objects whose content lives in internal slots or a `toJSON`: what JSON.stringify makes of them is not what they hold. */
const SLOTTED = [Map, Set, WeakMap, WeakSet, Date, RegExp, ArrayBuffer, String, Number, Boolean, Error, Promise, Blob];

function readJsonUnsafe(value: unknown, path: string): JsonReading {
  if (value === null || typeof value === "string" || typeof value === "boolean") return { ok: true, value };
  if (typeof value === "number") return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: `${path} is ${value}` };
  if (typeof value !== "object") return { ok: false, why: `${path} is a ${typeof value}` };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let index = 0; index < value.length; index++) {
      if (!Object.prototype.hasOwnProperty.call(value, index)) return { ok: false, why: `${path}.${index} is a hole` };
      const item = firstValue(value, String(index));
      if (item === undefined) return { ok: false, why: `${path}.${index} is undefined` };
      const read = readJsonUnsafe(item, `${path}.${index}`);
      if (!read.ok) return read;
      out.push(read.value);
    }
    return { ok: true, value: out };
  }
  const tag = Object.prototype.toString.call(value);
  if (SLOTTED.some((type) => value instanceof type) || ArrayBuffer.isView(value) || tag === "[object Symbol]" || tag === "[object BigInt]") {
    return { ok: false, why: `${path} is a ${tag.slice(8, -1)}` };
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return { ok: false, why: `${path} has a toJSON method` };
  // The fields an object exposes, own or inherited: what property access (and so any validator) reads.
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item = firstValue(value, key);
    if (item === undefined) continue;
    const read = readJsonUnsafe(item, `${path}.${key}`);
    if (!read.ok) return read;
    Object.defineProperty(out, key, { value: read.value, enumerable: true, configurable: true, writable: true });
  }
  return { ok: true, value: out };
}

/** A property's value as the library should have read it: a flip getter's first read. */
export function firstValue(object: object, key: string): unknown {
  const flipped = firstRead(object, key);
  return flipped.found ? flipped.value : (object as Record<string, unknown>)[key];
}

/** A difference between two JSON values, or undefined when they are the same (`-0` and `0` alike; key order ignored). */
export function jsonDifference(expected: unknown, actual: unknown, path = ""): string | undefined {
  if (typeof expected !== "object" || expected === null || typeof actual !== "object" || actual === null) {
    return expected === actual ? undefined : `${path || "(root)"}: expected ${show(expected)}, sent ${show(actual)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${path || "(root)"}: expected ${show(expected)}, sent ${show(actual)}`;
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  for (const key of expectedKeys) {
    if (!Object.prototype.hasOwnProperty.call(actual, key)) return `${path}.${key}: expected ${show((expected as Record<string, unknown>)[key])}, not sent`;
  }
  for (const key of actualKeys) {
    if (!Object.prototype.hasOwnProperty.call(expected, key)) return `${path}.${key}: not in the input, sent ${show((actual as Record<string, unknown>)[key])}`;
  }
  for (const key of expectedKeys) {
    const difference = jsonDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export interface MultipartPart {
  readonly headers: [string, string][];
  /** Content-Disposition parameters, read as Go's mime.ParseMediaType reads them (what listmonk sees). */
  readonly params: Record<string, string>;
  readonly body: Uint8Array;
}

/**
 * Splits a multipart/form-data body into parts. Part headers are read as Latin-1 bytes then as UTF-8; file names
 * as Go reads them: a quoted-string where a backslash escapes only a tspecial, with no percent-decoding.
 * Throws on a body that is not well-formed.
 */
export function readMultipart(contentType: string, body: Uint8Array): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  // Byte for byte (TextDecoder's "latin1" is windows-1252, which would change bytes 0x80-0x9F).
  let text = "";
  for (let index = 0; index < body.length; index += 8192) text += String.fromCharCode(...body.subarray(index, index + 8192));
  const sections = text.split(`\r\n${delimiter}`);
  if (!sections[0]!.startsWith(delimiter)) throw new Error("the body does not start with the boundary");
  sections[0] = sections[0]!.slice(delimiter.length);
  const last = sections.pop();
  if (last === undefined || !/^--(\r\n)?$/.test(last)) throw new Error("the body does not end with the closing boundary");
  return sections.map((section) => {
    if (!section.startsWith("\r\n")) throw new Error("a boundary line does not end with CRLF");
    const end = section.indexOf("\r\n\r\n");
    if (end < 0) throw new Error("a part has no blank line after its headers");
    const headerLines = section.slice(2, end).split("\r\n");
    const headers = headerLines.map((line): [string, string] => {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`a part header line is not a header: ${JSON.stringify(line)}`);
      return [line.slice(0, colon).toLowerCase(), fromLatin1Utf8(line.slice(colon + 1).trim())];
    });
    const disposition = headers.find(([name]) => name === "content-disposition")?.[1] ?? "";
    return {
      headers,
      params: dispositionParams(disposition),
      body: Uint8Array.from(section.slice(end + 4), (char) => char.charCodeAt(0)),
    };
  });
}

function fromLatin1Utf8(text: string): string {
  return new TextDecoder("utf-8").decode(Uint8Array.from(text, (char) => char.charCodeAt(0)));
}

const TSPECIALS = new Set('()<>@,;:\\"/[]?=');

/** `form-data; name="file"; filename="a.pdf"` → `{name: "file", filename: "a.pdf"}`, as Go's consumeValue reads it. */
function dispositionParams(disposition: string): Record<string, string> {
  const params: Record<string, string> = {};
  let rest = disposition.slice(disposition.indexOf(";") + 1);
  while (rest.trim()) {
    const match = /^\s*([^=\s;]+)=/.exec(rest);
    if (!match) throw new Error(`bad Content-Disposition parameter in ${JSON.stringify(disposition)}`);
    const name = match[1]!.toLowerCase();
    rest = rest.slice(match[0].length);
    let value = "";
    if (rest.startsWith('"')) {
      let index = 1;
      for (; index < rest.length && rest[index] !== '"'; index++) {
        if (rest[index] === "\\" && index + 1 < rest.length && TSPECIALS.has(rest[index + 1]!)) index++;
        value += rest[index];
      }
      if (index >= rest.length) throw new Error(`unterminated quoted string in ${JSON.stringify(disposition)}`);
      rest = rest.slice(index + 1);
    } else {
      const token = /^[^;\s]*/.exec(rest)![0];
      value = token;
      rest = rest.slice(token.length);
    }
    params[name] = value;
    rest = rest.replace(/^\s*;?/, "");
  }
  return params;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);

/** A validator for one path parameter of one operation in a vendor's spec. */
export function pathParameter(vendor: SpecVendor, path: string, name: string): ValidateFunction {
  const spec = loadSpec(vendor) as { paths: Record<string, { post: { parameters: { name: string; schema: object }[] } }> };
  const parameter = spec.paths[path]!.post.parameters.find((candidate) => candidate.name === name);
  if (!parameter) throw new Error(`${vendor} ${path} has no parameter ${name}`);
  return ajv.compile(parameter.schema);
}

/** A retry must resend the request it retries: the same bytes, but for a multipart body's fresh boundary. */
export function retriesDiffer(requests: readonly RecordedRequest[]): string | undefined {
  const shape = (request: RecordedRequest) => {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers.find(([name]) => name === "content-type")?.[1] ?? "");
    const body = Buffer.from(request.body).toString("latin1");
    return `${request.method} ${request.url.href}\n${boundary ? body.split(boundary[1] ?? boundary[2]!).join("BOUNDARY") : body}`;
  };
  const [first, ...others] = requests.map(shape);
  const index = others.findIndex((other) => other !== first);
  return index < 0 ? undefined : `request ${index + 2} of one send differs from the first`;
}

/** A credential as it is and percent-encoded (the forms a URL, a form body or an echo of either would show). */
export function secretForms(...secrets: string[]): string[] {
  return [...new Set(secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]))];
}

/** Whether any string inside a (possibly hostile) input holds `needle`. */
export function inputMentions(value: unknown, needle: string, depth = 0): boolean {
  try {
    if (typeof value === "string") return value.includes(needle);
    if (depth > 8 || typeof value !== "object" || value === null) return false;
    if (value instanceof Map) return [...value].some((entry) => inputMentions(entry, needle, depth + 1));
    if (value instanceof Set) return [...value].some((item) => inputMentions(item, needle, depth + 1));
    return Reflect.ownKeys(value).some((key) => {
      if (typeof key === "string" && key.includes(needle)) return true;
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      return descriptor && "value" in descriptor ? inputMentions(descriptor.value, needle, depth + 1) : false;
    });
  } catch {
    return false;
  }
}
