/**
 * Reading a JSON body with a size cap. The cap holds whether or not the client sent `Content-Length`: the
 * stream is counted as it is read, and reading stops at the first byte over.
 */
import { Refusal } from "../problem.ts";
import { requireMaxDepth } from "./walk.ts";

/**
 * How deep a trusted caller's message may nest: far more than any vendor's message needs, and far less than
 * would overflow the stack of the recursive steps after (copying attachments, the client's schema).
 */
export const CALLER_MAX_NESTING = 64;

/**
 * The request's JSON body. Refuses a body that is not `application/json` in UTF-8 (415), larger than
 * `maxBytes` (413), cut short by the client, not JSON, or nested deeper than `maxDepth` (422).
 *
 * @example
 * const body = await readJsonBody(request, config.maxBodyBytes.browser);
 */
export async function readJsonBody(request: Request, maxBytes: number, maxDepth?: number): Promise<unknown> {
  const [type = "", ...parameters] = (request.headers.get("content-type") ?? "").split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") throw new Refusal("unsupported_media_type", "send the body as application/json");
  // JSON is UTF-8 (RFC 8259 §8.1); a body declared in another charset would be read as something it is not.
  const charset = parameters.find((parameter) => parameter.startsWith("charset="))?.slice("charset=".length).replace(/^"(.*)"$/, "$1");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") throw new Refusal("unsupported_media_type", "send the body as application/json in UTF-8");
  const body = parse(await readTextBody(request, maxBytes));
  if (maxDepth !== undefined) requireMaxDepth(body, maxDepth);
  return body;
}

/**
 * A request's (or a fetched response's) body as UTF-8 text. Refuses a body larger than `maxBytes` (413), whether
 * or not `Content-Length` says so, and one cut short by the sender (422); the media type is the caller's to check.
 *
 * @example
 * const text = await readTextBody(request, 1024 * 1024);
 */
export async function readTextBody(message: Request | Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new Refusal("payload_too_large", `the body is over ${maxBytes} bytes`);
  const declared = Number(message.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    // Nothing of it will be read: the stream is let go now (a fetched response's connection with it).
    await message.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!message.body) return "";
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The client went away or its stream broke mid-body: nothing was read to act on.
      throw new Refusal("validation", "the body ended before it was complete", { issues: [{ path: "", rule: "complete_body", message: "must be sent in full" }] });
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal("validation", "the body is not JSON", { issues: [{ path: "", rule: "json", message: "must be a JSON document" }] });
  }
}
