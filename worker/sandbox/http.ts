/** The little HTTP every sandbox vendor needs: JSON answers and reading HTTP Basic credentials. */

/** A JSON answer, as the vendors send them. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/** `user:password` from `Authorization: Basic …`, or `undefined`. */
export function basicCredentials(request: Request): string | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!encoded) return undefined;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The size of base64 content in bytes, without decoding it. */
export function base64Size(data: string): number {
  return Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);
}

/** A sandbox vendor: the vendor's HTTP API as a fetch handler, at the vendor's own paths. */
export type SandboxVendor = (request: Request) => Promise<Response>;
