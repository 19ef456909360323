/**
 * Reading a JSON body with a size cap. The cap holds whether or not the client sent `Content-Length`: the
 * stream is counted as it is read, and reading stops at the first byte over.
 */
import { Refusal } from "../problem.ts";

/**
 * The request's JSON body. Refuses a body that is not `application/json` (415), larger than `maxBytes` (413)
 * or not JSON (422).
 *
 * @example
 * const body = await readJsonBody(request, config.maxBodyBytes.browser);
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new Refusal("unsupported_media_type", "send the body as application/json");
  const tooLarge = () => new Refusal("payload_too_large", `the body is over ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return parse("");

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
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
  return parse(new TextDecoder().decode(bytes));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal("validation", "the body is not JSON", { issues: [{ path: "", rule: "json", message: "must be a JSON document" }] });
  }
}
