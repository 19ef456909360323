/**
 * The one place an openapi-fetch client is made. Credentials are added inside the `fetch` handed to
 * openapi-fetch, which runs after every middleware: hooks see the request as it will be sent, minus secrets.
 *
 * Without middleware nobody looks at the request before it leaves, so openapi-fetch is given a light stand-in
 * for `Request` and the global `fetch` is called with `(url, init)`: building a `Request` and then copying it
 * to add a header pushed the body through two extra streams on every send. With middleware, hooks get a real
 * `Request`, and the credentials go on a copy of its parts, never on the `Request` a hook may hold on to.
 */
import createClient, { type Client } from "openapi-fetch";
import type { CommonClientOptions } from "./options.ts";

/** A request on its way out, after every middleware and before credentials. `authorize` completes it in place. */
export interface OutgoingRequest {
  /** Writable for a credential that travels in the query (a vendor whose GETs take the key as a URL parameter). */
  url: string;
  readonly method: string;
  readonly headers: Headers;
  body: BodyInit | null | undefined;
  readonly signal: AbortSignal | null | undefined;
}

/** Adds credentials to an outgoing request, as late as possible. */
export type Authorize = (request: OutgoingRequest) => void | Promise<void>;

/** The body as text, for credentials that travel inside it. */
export async function bodyText(request: OutgoingRequest): Promise<string> {
  const { body } = request;
  return typeof body === "string" ? body : body == null ? "" : new Response(body).text();
}

/** Sets one header: the common way a credential travels. */
export const withHeader =
  (name: string, value: string): Authorize =>
  (request) => {
    request.headers.set(name, value);
  };

/**
 * The vendor client's view of openapi-fetch: its typed `POST` (sends) and `GET` (credential checks), authorised by
 * the credential of the call.
 */
export interface VendorHttpClient<Paths extends {}> {
  /**
   * The client with `authorize` as its one authorisation hook (a header; or, for a vendor
   * with OAuth tokens, a token per send and a form per grant), and `beforeFetch` (the call's) awaited once the request is complete, just before `fetch`.
   */
  authorizedBy(authorize: Authorize, beforeFetch?: () => void | Promise<void>): Pick<Client<Paths>, "POST" | "GET">;
}

/** Attempt signals whose request was handed to the `fetch`: a failure before that sent nothing. */
const handedToFetch = new WeakSet<AbortSignal>();

/** Whether the attempt that owns `signal` got as far as calling `fetch`. */
export function reachedFetch(signal: AbortSignal): boolean {
  return handedToFetch.has(signal);
}

/** openapi-fetch's `Request` when no middleware will look: it keeps what it is given and copies nothing. */
class PendingRequest implements OutgoingRequest {
  url: string;
  readonly method: string;
  readonly headers: Headers;
  body: BodyInit | null | undefined;
  readonly signal: AbortSignal | null | undefined;
  readonly redirect: RequestInit["redirect"];

  constructor(url: string, init: RequestInit & { headers: Headers }) {
    this.url = url;
    this.method = init.method ?? "GET";
    // openapi-fetch always passes a fresh `Headers` of its own.
    this.headers = init.headers;
    this.body = init.body;
    this.signal = init.signal;
    this.redirect = init.redirect;
  }
}

export function createVendorHttpClient<Paths extends {}>(options: CommonClientOptions): VendorHttpClient<Paths> {
  const hooked = Boolean(options.middleware?.length);
  const client = createClient<Paths>({
    baseUrl: options.baseUrl,
    ...(hooked ? {} : { Request: PendingRequest as unknown as typeof Request }),
  });
  if (hooked) client.use(...options.middleware!);

  const send = async (request: Request | PendingRequest, attemptSignal: AbortSignal | undefined, authorizeNow: Authorize, beforeFetch?: () => void | Promise<void>) => {
    const outgoing = request instanceof PendingRequest ? request : await detach(request);
    await authorizeNow(outgoing);
    if (beforeFetch) {
      await beforeFetch();
      // The attempt may have timed out or been aborted while the hook ran: then nothing is handed to fetch.
      attemptSignal?.throwIfAborted();
    }
    const init: RequestInit = {
      method: outgoing.method,
      headers: outgoing.headers,
      body: outgoing.body,
      signal: outgoing.signal,
      redirect: request.redirect,
    };
    const injected = options.fetch;
    if (attemptSignal) handedToFetch.add(attemptSignal);
    // An injected fetch is promised a `Request`; the global one takes the parts as they are.
    return injected ? injected(new Request(outgoing.url, init)) : globalThis.fetch(outgoing.url, init);
  };

  const bind = (authorizeNow: Authorize, beforeFetch?: () => void | Promise<void>): Pick<Client<Paths>, "POST" | "GET"> => {
    const through =
      (method: (path: unknown, init: object) => unknown) =>
      (path: unknown, init?: { signal?: AbortSignal | null }) =>
        method(path, {
          ...init,
          // Per call, so the attempt that made the request is known whatever a middleware returns.
          fetch: (request: Request | PendingRequest) => send(request, init?.signal ?? undefined, authorizeNow, beforeFetch),
        });
    return {
      POST: through(client.POST as (path: unknown, init: object) => unknown) as Client<Paths>["POST"],
      GET: through(client.GET as (path: unknown, init: object) => unknown) as Client<Paths>["GET"],
    };
  };
  return { authorizedBy: bind };
}

/**
 * The parts of a `Request` a middleware let through, with headers of their own: credentials added to them never
 * show on the `Request` itself, which a hook may still read.
 */
async function detach(request: Request): Promise<OutgoingRequest> {
  return {
    url: request.url,
    method: request.method,
    headers: new Headers(request.headers),
    // Read whole: a stream body would need `duplex` and could not be read again to put a credential in it.
    body: request.body ? await request.arrayBuffer() : undefined,
    signal: request.signal,
  };
}
