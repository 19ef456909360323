/**
 * The one place an openapi-fetch client is made. Credentials are attached inside the `fetch` handed to
 * openapi-fetch, which runs after every middleware: hooks see the request as it will be sent, minus secrets.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { CommonClientOptions } from "./options.ts";

/** Adds credentials to an outgoing request, as late as possible. */
export type Authorize = (request: Request) => Request | Promise<Request>;

export function createVendorHttpClient<Paths extends {}>(
  options: CommonClientOptions,
  authorize: Authorize,
  extra?: Pick<ClientOptions, "bodySerializer">,
): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: options.baseUrl,
    ...extra,
    fetch: async (request: Request) => {
      const send = options.fetch ?? globalThis.fetch;
      return send(await authorize(request));
    },
  });
  if (options.middleware?.length) client.use(...options.middleware);
  return client;
}

/** A copy of `request` with one header set; the body stream moves to the copy. */
export function withHeader(request: Request, name: string, value: string): Request {
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}
