/**
 * Base64 for Web types, without Node's `Buffer`. Attachments can be megabytes, so bytes are encoded straight
 * from the caller's buffer (no intermediate copy) and the string is built in chunks to bound `apply` arguments.
 */
const CHUNK = 0x8000;

type Uint8ArrayWithBase64 = Uint8Array & { toBase64?: () => string };

/** Encodes bytes as standard, padded base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  // Runtimes that ship the TC39 helper (Firefox, Bun, newer V8) do it natively.
  const native = (bytes as Uint8ArrayWithBase64).toBase64;
  if (typeof native === "function") return native.call(bytes);
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(offset, offset + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/** Base64 of a UTF-8 string (for HTTP Basic credentials, which may hold non-ASCII). */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}
