/**
 * A vendor double: a real HTTP server on 127.0.0.1 that records every request and answers through a
 * vendor-specific handler. Tests can queue scripted answers (`answerNext`) to play faults the real vendor
 * produces rarely (429, 503, 500, slow answers).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export interface DoubleAnswer {
  readonly status: number;
  readonly body?: string | object;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (to test timeouts). */
  readonly delayMs?: number;
  /** Destroy the socket instead of answering (a connection reset after the request was sent). */
  readonly reset?: boolean;
}

export type DoubleHandler = (request: RecordedRequest) => DoubleAnswer | Promise<DoubleAnswer>;

export interface HttpDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answer the next request(s) with these, in order, instead of the handler. */
  answerNext(...answers: DoubleAnswer[]): void;
  close(): Promise<void>;
}

export async function startHttpDouble(handler: DoubleHandler): Promise<HttpDouble> {
  const requests: RecordedRequest[] = [];
  const scripted: DoubleAnswer[] = [];
  const server: Server = createServer(async (req, res) => {
    const recorded = await record(req);
    requests.push(recorded);
    const answer = scripted.shift() ?? (await handler(recorded));
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    const isText = typeof answer.body === "string";
    const body = answer.body === undefined ? "" : isText ? (answer.body as string) : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(answer.body === undefined ? {} : { "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8" }),
      ...answer.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerNext: (...answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
  return { method: req.method ?? "", path: req.url ?? "", headers, body, text: body.toString("utf8") };
}

/**
 * Serves a fetch handler (a txgate/testing fake) on 127.0.0.1, so a test reaches it over real HTTP: scripted
 * answers (`answerNext`), delays and connection resets still come from the server in front of it.
 */
export async function serveFetchHandler(handler: (request: Request) => Promise<Response>): Promise<HttpDouble> {
  // Aborted on close, so a request the handler leaves unanswered (a fake's `fail+timeout`) ends with the server.
  const closing = new AbortController();
  const double = await startHttpDouble(async (recorded) => {
    const request = new Request(new URL(recorded.path, "http://127.0.0.1"), {
      signal: closing.signal,
      method: recorded.method,
      headers: Object.entries(recorded.headers).filter(([name]) => name !== "host" && name !== "connection"),
      ...(recorded.method === "GET" || recorded.method === "HEAD" ? {} : { body: new Uint8Array(recorded.body) }),
    });
    // A handler that fails (or a hanging one, aborted on close) drops the connection, as a crashed server would.
    const response = await handler(request).catch(() => undefined);
    if (!response) return { status: 500, reset: true };
    const text = await response.text();
    return { status: response.status, headers: Object.fromEntries(response.headers), ...(text === "" ? {} : { body: text }) };
  });
  const close = double.close;
  return Object.assign(double, { close: () => (closing.abort(), close()) });
}

/** A port on 127.0.0.1 with nothing listening, for "connection refused". */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function recordedFormData(request: RecordedRequest): Promise<FormData> {
  return new Request("http://double.invalid/", {
    method: "POST",
    headers: { "content-type": request.headers["content-type"] ?? "" },
    body: new Uint8Array(request.body),
  }).formData();
}
