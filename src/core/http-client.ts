/**
 * The one place a vendor's request is made and handed to `fetch`. Credentials are added as late as possible,
 * after every middleware: hooks see the request as it will be sent, minus secrets.
 *
 * The URL, headers and body are made the way openapi-fetch makes them (its own path and body serializers,
 * `Content-Type: application/json` first, then the request's headers). Without middleware nobody looks at the
 * request before it leaves, so no `Request` is built for it: the global `fetch` is called with `(url, init)`, the
 * headers as a plain record and the body as a string, as hand-written code would. A `Request`, or a `Headers`
 * copied into one, cost about a quarter of a hand-written fetch's CPU on every send (the body went through
 * streams, the headers were checked and copied twice). With middleware, its hooks run on a real `Request`, in
 * openapi-fetch's order and with its arguments, and the credentials go on a copy of its parts, never on the
 * `Request` a hook may hold on to. An injected `fetch` is handed one `Request` either way, as
 * `CommonClientOptions.fetch` promises.
 */
import { createFinalURL, createQuerySerializer, defaultBodySerializer, defaultPathSerializer, removeTrailingSlash, type Client, type Middleware } from "openapi-fetch";
import type { CommonClientOptions } from "./options.ts";

/** The headers of a request on its way out, as an `Authorize` hook changes them (a `Headers` has all of these). */
export interface HeaderFields {
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** A request on its way out, after every middleware and before credentials. `authorize` completes it in place. */
export interface OutgoingRequest {
  /** Writable for a credential that travels in the query (a vendor whose GETs take the key as a URL parameter). */
  url: string;
  readonly method: string;
  readonly headers: HeaderFields;
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

/** The vendor client's typed `POST` (sends) and `GET` (credential checks), authorised by the credential of the call. */
export interface VendorHttpClient<Paths extends {}> {
  /**
   * The client with `authorize` as its one authorisation hook (a header; for an OAuth vendor, a token per send, a
   * form per grant), and `beforeFetch` (the call's) awaited once the request is complete, just before `fetch`.
   */
  authorizedBy(authorize: Authorize, beforeFetch?: () => void | Promise<void>): Pick<Client<Paths>, "POST" | "GET">;
}

/** Attempt signals whose request was handed to the `fetch`: a failure before that sent nothing. */
const handedToFetch = new WeakSet<AbortSignal>();

/** Whether the attempt that owns `signal` got as far as calling `fetch`. */
export function reachedFetch(signal: AbortSignal): boolean {
  return handedToFetch.has(signal);
}

/** What `Headers` refuses: a name that is not an HTTP token; a value with NUL, CR, LF or a character over U+00FF. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REFUSED_IN_VALUE = /[^\x01-\x09\x0B\x0C\x0E-\xFF]/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * Header fields as `Headers` keeps them (names matched without case, a value trimmed, each field where it was
 * first set, spelled as it was last set), refusing what `Headers` refuses, so the request on the wire is the one
 * a `Headers` would have sent and a bad value still fails before anything is sent. Handed to `fetch` as a record.
 */
class FieldList implements HeaderFields {
  readonly #fields = new Map<string, readonly [name: string, value: string]>();

  get(name: string): string | null {
    return this.#fields.get(name.toLowerCase())?.[1] ?? null;
  }
  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    const trimmed = String(value).replace(EDGE_WHITESPACE, "");
    // The name only: a value may be a credential.
    if (!HEADER_NAME.test(name) || REFUSED_IN_VALUE.test(trimmed)) throw new TypeError(`Invalid header name or value: ${JSON.stringify(name)}`);
    this.#fields.set(name.toLowerCase(), [name, trimmed]);
  }
  delete(name: string): void {
    this.#fields.delete(name.toLowerCase());
  }
  record(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [name, value] of this.#fields.values()) record[name] = value;
    return record;
  }
}

/**
 * The parts of a request the vendors use: a path with parameters, a query (a credential check's GET), a body and
 * its serializer, headers, text answers.
 */
interface RequestParts {
  readonly params?: { readonly path?: Readonly<Record<string, string | number>>; readonly query?: Readonly<Record<string, string>> };
  readonly body?: unknown;
  readonly bodySerializer?: (body: never, headers?: Readonly<Record<string, string>>) => BodyInit;
  readonly headers?: Readonly<Record<string, string>>;
  readonly parseAs?: "text";
  readonly signal?: AbortSignal | null;
}

/** openapi-fetch's default query serializer, as its client would use it. */
const querySerializer = createQuerySerializer();

export function createVendorHttpClient<Paths extends {}>(options: CommonClientOptions): VendorHttpClient<Paths> {
  const baseUrl = removeTrailingSlash(options.baseUrl);
  const middleware = options.middleware ?? [];
  // Refused when the client is made, with openapi-fetch's words, as its `use()` refused it.
  for (const hook of middleware) {
    if (hook && (typeof hook !== "object" || !("onRequest" in hook || "onResponse" in hook || "onError" in hook))) {
      throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
    }
  }

  /** Credentials on, `beforeFetch` awaited, then the request handed to `fetch`: the injected one gets a `Request`. */
  const send = async (outgoing: OutgoingRequest, redirect: RequestInit["redirect"], attemptSignal: AbortSignal | null | undefined, authorizeNow: Authorize, beforeFetch?: () => void | Promise<void>) => {
    await authorizeNow(outgoing);
    if (beforeFetch) {
      await beforeFetch();
      // The attempt may have timed out or been aborted while the hook ran: then nothing is handed to fetch.
      attemptSignal?.throwIfAborted();
    }
    const { headers } = outgoing;
    const init: RequestInit = {
      method: outgoing.method,
      headers: headers instanceof FieldList ? headers.record() : (headers as Headers),
      body: outgoing.body,
      signal: outgoing.signal,
      ...(redirect ? { redirect } : {}),
    };
    const injected = options.fetch;
    if (attemptSignal) handedToFetch.add(attemptSignal);
    return injected ? injected(new Request(outgoing.url, init)) : globalThis.fetch(outgoing.url, init);
  };

  const request = async (method: "POST" | "GET", path: string, init: RequestParts, authorizeNow: Authorize, beforeFetch?: () => void | Promise<void>) => {
    const { params, body, headers, signal } = init;
    const bodySerializer = (init.bodySerializer ?? defaultBodySerializer) as (body: unknown, headers?: Readonly<Record<string, string>>) => BodyInit;
    const serialized = body === undefined ? undefined : bodySerializer(body, headers);
    const fields = new FieldList();
    if (serialized !== undefined && !(serialized instanceof FormData)) fields.set("Content-Type", "application/json");
    for (const name in headers) fields.set(name, headers[name]!);
    const url = params?.query
      ? createFinalURL(path, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer })
      : params?.path
        ? defaultPathSerializer(`${baseUrl}${path}`, params.path)
        : `${baseUrl}${path}`;
    const response = middleware.length
      ? await throughMiddleware(middleware, new Request(url, { method, headers: fields.record(), body: serialized, signal, redirect: "follow" }), {
          schemaPath: path,
          params: params ?? {},
          // Per call, so the attempt that made the request is known whatever a middleware returns.
          fetch: async (request: Request) => send(await detach(request), request.redirect, signal, authorizeNow, beforeFetch),
          bodySerializer,
          baseUrl,
        })
      : await send({ url, method, headers: fields, body: serialized, signal }, undefined, signal, authorizeNow, beforeFetch);
    // As openapi-fetch's `parseAs: "text"` leaves it for `responseBody` (which parses what is JSON): an answer
    // that says it is empty is not read at all, which is much cheaper than reading nothing.
    const length = response.headers.get("Content-Length");
    const empty = response.status === 204 || (length === "0" && !response.headers.get("Transfer-Encoding")?.includes("chunked"));
    const text = empty ? undefined : await response.text();
    return response.ok ? { data: text, response } : { error: text, response };
  };

  return {
    authorizedBy: (authorizeNow, beforeFetch) => ({
      POST: ((path: string, init: RequestParts) => request("POST", path, init, authorizeNow, beforeFetch)) as unknown as Client<Paths>["POST"],
      GET: ((path: string, init: RequestParts) => request("GET", path, init, authorizeNow, beforeFetch)) as unknown as Client<Paths>["GET"],
    }),
  };
}

/** What openapi-fetch hands every hook beside the request. */
interface HookContext {
  readonly schemaPath: string;
  readonly params: object;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly bodySerializer: (body: never) => unknown;
  readonly baseUrl: string;
}

/**
 * openapi-fetch's middleware steps, as its `coreFetch` runs them: `onRequest` in order (a `Request` replaces the
 * request, a `Response` answers it without a fetch), then `fetch`, then `onError` (if it threw) and `onResponse`
 * in reverse order; anything else a hook returns is refused with openapi-fetch's words.
 */
async function throughMiddleware(middleware: readonly Middleware[], request: Request, context: HookContext): Promise<Response> {
  const { schemaPath, params, fetch } = context;
  const id = Math.random().toString(36).slice(2, 11);
  const options = Object.freeze({ baseUrl: context.baseUrl, fetch, parseAs: "text", querySerializer, bodySerializer: context.bodySerializer, pathSerializer: defaultPathSerializer });
  const hooks = { schemaPath, params, options, id } as unknown as Omit<Parameters<NonNullable<Middleware["onRequest"]>>[0], "request">;
  let response: Response | undefined;
  for (const hook of middleware) {
    const result: Request | Response | undefined | void = typeof hook?.onRequest === "function" ? await hook.onRequest({ ...hooks, request }) : undefined;
    if (!result) continue;
    if (result instanceof Response) {
      response = result;
      break;
    }
    if (!(result instanceof Request)) throw new Error("onRequest: must return new Request() or Response() when modifying the request");
    request = result;
  }
  if (response) return response;
  try {
    response = await fetch(request);
  } catch (thrown) {
    let error: unknown = thrown;
    for (let i = middleware.length - 1; i >= 0; i--) {
      const hook = middleware[i];
      const result: Response | Error | undefined | void = typeof hook?.onError === "function" ? await hook.onError({ ...hooks, request, error }) : undefined;
      if (!result) continue;
      if (result instanceof Response) {
        // An answer in place of the error: `onResponse` still sees it.
        response = result;
        error = undefined;
        break;
      }
      if (!(result instanceof Error)) throw new Error("onError: must return new Response() or instance of Error");
      error = result;
    }
    if (!response) throw error;
  }
  for (let i = middleware.length - 1; i >= 0; i--) {
    const hook = middleware[i];
    const result: Response | undefined | void = typeof hook?.onResponse === "function" ? await hook.onResponse({ ...hooks, request, response }) : undefined;
    if (!result) continue;
    if (!(result instanceof Response)) throw new Error("onResponse: must return new Response() when modifying the response");
    response = result;
  }
  return response;
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
