/**
 * The shared send path: a failure before `fetch` is called sends nothing and says so; the request reaches the
 * vendor whole, with its credentials, with or without middleware; and a middleware never sees a credential, not
 * even on the `Request` it keeps after the send.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Middleware } from "openapi-fetch";
import { createActOnClient, memoryTokenStore } from "../../src/acton/index.js";
import { createListmonkClient, type ListmonkOptions } from "../../src/listmonk/index.js";
import { minimal as actOnMinimal } from "../acton/fixtures.js";
import { createExpertSenderClient } from "../../src/expertsender/index.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS } from "../acton/double.js";
import { startListmonkDouble, LISTMONK_TOKEN, LISTMONK_USER, type ListmonkDouble } from "../listmonk/double.js";

const message = { subscriber_emails: ["ada@example.com"], template_id: 2 };

/** A fetch that records every request it is handed and answers like the vendor would. */
function recordingFetch(answer: (request: Request) => Response | Promise<Response>) {
  const calls: string[] = [];
  const fetch = async (request: Request) => {
    calls.push(`${request.method} ${new URL(request.url).pathname}`);
    return answer(request);
  };
  return { fetch, calls };
}

/** An Act-On client whose token endpoint and send endpoint answer with success, every request recorded (`steps` sees each first). */
function recordedActOn(steps?: string[]) {
  const { fetch, calls } = recordingFetch((request) =>
    new URL(request.url).pathname === "/token"
      ? Response.json({ access_token: "access-1", refresh_token: "refresh-1", token_type: "bearer", expires_in: 3600 })
      : Response.json({ status: "QUEUED" }),
  );
  const acton = createActOnClient({
    baseUrl: "http://acton.test",
    accountId: ACTON_ACCOUNT,
    credentials: ACTON_CREDENTIALS,
    tokenStore: memoryTokenStore(),
    fetch: (request) => (steps?.push(`${request.method} ${new URL(request.url).pathname}`), fetch(request)),
  });
  return { acton, calls };
}

const listmonkClient = (options: Partial<ListmonkOptions>) =>
  createListmonkClient({ baseUrl: "http://listmonk.test", username: LISTMONK_USER, token: LISTMONK_TOKEN, ...options });

describe("a failure before fetch is called sends nothing", () => {
  it("Act-On: a template ID encodeURIComponent refuses ends not_sent, and the send endpoint is never called", async () => {
    const { acton, calls } = recordedActOn();
    const outcome = await acton.send({ ...actOnMinimal, templateId: "t-\uD800" });
    expect(outcome).toMatchObject({ ok: false, delivery: "not_sent", retryable: false, attempts: expect.any(Number) });
    expect(calls.filter((call) => call.includes("/ete/"))).toEqual([]);
  });

  it("a middleware that throws before the request leaves: not_sent, not retried, the vendor never called", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const broken: Middleware = {
      onRequest() {
        throw new Error("hook broke");
      },
    };
    const outcome = await listmonkClient({ fetch, middleware: [broken] }).send(message);
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: false, attempts: 1 });
    expect(outcome.ok || outcome.message).toContain("nothing was sent");
    expect(calls).toEqual([]);
  });

  it("a failure once fetch was called still says the email may have gone", async () => {
    const { fetch, calls } = recordingFetch(() => {
      throw new TypeError("socket hang up");
    });
    const outcome = await listmonkClient({ fetch }).send(message);
    expect(outcome).toMatchObject({ kind: "network", delivery: "unknown", attempts: 1 });
    expect(calls).toEqual(["POST /api/tx"]);
  });
});

describe("beforeFetch: awaited right before the request goes out", () => {
  it("runs after the pacer's slot and before fetch, once per attempt that reaches fetch", async () => {
    const steps: string[] = [];
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const pacer = { acquire: async () => (steps.push("slot"), () => undefined) };
    const outcome = await listmonkClient({ fetch: (request) => (steps.push("fetch"), fetch(request)), pacer }).send(message, {
      beforeFetch: async () => {
        steps.push("beforeFetch");
        expect(calls).toEqual([]);
      },
    });
    expect(outcome.ok).toBe(true);
    expect(steps).toEqual(["slot", "beforeFetch", "fetch"]);
  });

  it("is called again for the retry after a 503, since each attempt is a request", async () => {
    let answers = 0;
    const { fetch } = recordingFetch(() => (answers++ === 0 ? new Response("busy", { status: 503, headers: { "retry-after": "0" } }) : Response.json({ data: true })));
    let hooked = 0;
    const outcome = await listmonkClient({ fetch }).send(message, { beforeFetch: () => void hooked++ });
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(hooked).toBe(2);
  });

  it("is never called for input refused before sending", async () => {
    let hooked = 0;
    const outcome = await listmonkClient({ fetch: recordingFetch(() => Response.json({ data: true })).fetch }).send({ template_id: 2 } as never, { beforeFetch: () => void hooked++ });
    expect(outcome).toMatchObject({ kind: "validation", delivery: "not_sent" });
    expect(hooked).toBe(0);
  });

  it("one that throws stops the request: not_sent, not retried, the vendor never called", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const outcome = await listmonkClient({ fetch }).send(message, {
      beforeFetch: async () => {
        throw new Error("cancelled by its owner");
      },
    });
    expect(outcome).toMatchObject({ kind: "network", delivery: "not_sent", retryable: false, attempts: 1, cause: { message: "cancelled by its owner" } });
    expect(calls).toEqual([]);
  });

  it("a timeout that fires while it is awaited sends nothing and says so", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const outcome = await listmonkClient({ fetch, timeoutMs: 5 }).send(message, { beforeFetch: () => new Promise((resolve) => setTimeout(resolve, 50)) });
    expect(outcome).toMatchObject({ kind: "timeout", delivery: "not_sent" });
    expect(calls).toEqual([]);
  });

  it("Act-On: runs after the token is had, for the send only, never for POST /token", async () => {
    const steps: string[] = [];
    const { acton, calls } = recordedActOn(steps);
    const outcome = await acton.send(actOnMinimal, { beforeFetch: () => void steps.push("beforeFetch") });
    expect(outcome.ok).toBe(true);
    expect(steps[0]).toBe("POST /token");
    expect(steps.slice(1, 2)).toEqual(["beforeFetch"]);
    expect(steps.filter((step) => step === "beforeFetch")).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  it("is refused when it is not a function", async () => {
    const outcome = await listmonkClient({ fetch: recordingFetch(() => Response.json({ data: true })).fetch }).send(message, { beforeFetch: "soon" } as never);
    expect(outcome).toMatchObject({ kind: "validation", issues: [{ path: "(call).beforeFetch", rule: "function" }] });
  });
});

describe("the request reaches the vendor whole", () => {
  let listmonk: ListmonkDouble;
  beforeAll(async () => {
    listmonk = await startListmonkDouble();
  });
  afterAll(async () => {
    await listmonk.close();
  });

  const attachment = () => ({ content: new File(["hello \u00e9\u0000\u00ff"], "hello.txt", { type: "text/plain" }) });

  it.each([
    ["without middleware", []],
    ["through a middleware that only looks", [{ onRequest() {} } satisfies Middleware]],
  ])("JSON and multipart bodies and the credentials arrive %s", async (_, middleware) => {
    const client = listmonkClient({ baseUrl: listmonk.url, middleware });
    expect(await client.send({ ...message, data: { order: "1234" } })).toMatchObject({ ok: true });
    const sent = await client.send({ ...message, attachments: [attachment()] });
    expect(sent, JSON.stringify(sent)).toMatchObject({ ok: true });
    const [json, multipart] = listmonk.queued.slice(-2);
    expect(json!.message).toMatchObject({ data: { order: "1234" } });
    expect(multipart!.files[0]).toMatchObject({ name: "hello.txt" });
    expect(new TextDecoder().decode(multipart!.files[0]!.bytes)).toBe("hello \u00e9\u0000\u00ff");
    expect(listmonk.specViolations).toEqual([]);
  });

  it("a middleware's Request never carries the credentials, even read after the send", async () => {
    const kept: Request[] = [];
    const keeper: Middleware = {
      onRequest({ request }) {
        kept.push(request);
      },
    };
    expect(await listmonkClient({ baseUrl: listmonk.url, middleware: [keeper] }).send(message)).toMatchObject({ ok: true });
    expect(listmonk.requests.at(-1)!.headers.authorization).toContain("Basic ");
    expect(kept).toHaveLength(1);
    expect(kept[0]!.headers.get("authorization")).toBeNull();
  });

  it("a middleware's changes to the request are kept", async () => {
    const tagging: Middleware = {
      onRequest({ request }) {
        const headers = new Headers(request.headers);
        headers.set("X-Trace", "t-1");
        return new Request(request, { headers });
      },
    };
    expect(await listmonkClient({ baseUrl: listmonk.url, middleware: [tagging] }).send(message)).toMatchObject({ ok: true });
    expect(listmonk.requests.at(-1)!.headers["x-trace"]).toBe("t-1");
  });
});

describe("how the request is handed to fetch", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** Stubs the global fetch, recording the arguments of every call. */
  function stubGlobalFetch(answer: () => Response = () => Response.json({ data: true })) {
    const calls: unknown[][] = [];
    vi.stubGlobal("fetch", async (...args: unknown[]) => (calls.push(args), answer()));
    return calls;
  }

  it("without middleware, the global fetch is called as hand-written code calls it: a URL, a plain header record, a string body", async () => {
    const calls = stubGlobalFetch();
    expect(await listmonkClient({}).send({ ...message, data: { order: "1234" } })).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
    const [url, init] = calls[0] as [unknown, RequestInit];
    expect(url).toBe("http://listmonk.test/api/tx");
    expect(init.method).toBe("POST");
    // A plain record, not a `Headers`: fetch copies it once instead of checking and copying a Headers again.
    expect(Object.getPrototypeOf(init.headers)).toBe(Object.prototype);
    expect(init.headers).toEqual({ "Content-Type": "application/json", Authorization: expect.stringMatching(/^Basic /) });
    expect(init.body).toBe(JSON.stringify({ ...message, data: { order: "1234" } }));
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it("a vendor's own Content-Type takes the default's place, as openapi-fetch put it", async () => {
    const calls = stubGlobalFetch(() => new Response(null, { status: 201 }));
    const expertsender = createExpertSenderClient({ baseUrl: "http://expertsender.test/", apiKey: "es-key-1234" });
    const outcome = await expertsender.send({ transactionalId: 123, Receiver: { Email: "patrick@example.com" } });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
    const [url, init] = calls[0] as [string, RequestInit];
    // The base URL's trailing slash dropped, the path parameter written in.
    expect(url).toBe("http://expertsender.test/v2/Api/SystemTransactionals/123");
    expect(init.headers).toEqual({ "Content-Type": "text/xml; charset=utf-8" });
    expect(init.body).toContain("<ApiKey>es-key-1234</ApiKey>");
  });

  it.each([
    ["without middleware", []],
    ["through a middleware that only looks", [{ onRequest() {} } satisfies Middleware]],
  ])("an injected fetch is handed one Request, complete with credentials, %s", async (_, middleware) => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const handed: unknown[][] = [];
    const client = listmonkClient({ fetch: (...args: [Request]) => (handed.push(args), fetch(...args)), middleware });
    expect(await client.send({ ...message, data: { order: "1234" } })).toMatchObject({ ok: true });
    expect(calls).toEqual(["POST /api/tx"]);
    expect(handed[0]).toHaveLength(1);
    const request = handed[0]![0] as Request;
    expect(request).toBeInstanceOf(Request);
    expect(request.headers.get("authorization")).toMatch(/^Basic /);
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.json()).toEqual({ ...message, data: { order: "1234" } });
  });
});

describe("middleware runs as openapi-fetch runs it", () => {
  it("onRequest sees the path, its parameters, the options and the request; a Response it returns answers without a fetch", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const seen: unknown[] = [];
    const answering: Middleware = {
      onRequest({ request, schemaPath, params, options, id }) {
        seen.push({ method: request.method, url: request.url, schemaPath, params, baseUrl: options.baseUrl, parseAs: options.parseAs, id: typeof id });
        return Response.json({ data: true });
      },
    };
    let hooked = 0;
    const outcome = await listmonkClient({ baseUrl: "http://listmonk.test/", fetch, middleware: [answering] }).send(message, { beforeFetch: () => void hooked++ });
    expect(outcome).toMatchObject({ ok: true });
    expect(seen).toEqual([{ method: "POST", url: "http://listmonk.test/api/tx", schemaPath: "/api/tx", params: {}, baseUrl: "http://listmonk.test", parseAs: "text", id: "string" }]);
    expect(calls).toEqual([]);
    expect(hooked).toBe(0);
  });

  it("onError's Response stands in for a failed fetch, and onResponse hooks, last first, see and may replace it", async () => {
    const { fetch } = recordingFetch(() => {
      throw new TypeError("socket hang up");
    });
    const order: string[] = [];
    const first: Middleware = {
      onResponse({ response }) {
        order.push(`first saw ${response.status}`);
        return Response.json({ data: true });
      },
    };
    const second: Middleware = {
      onError({ error }) {
        order.push(`onError ${(error as Error).message}`);
        return new Response("stand-in", { status: 599 });
      },
      onResponse({ response }) {
        order.push(`second saw ${response.status}`);
      },
    };
    const outcome = await listmonkClient({ fetch, middleware: [first, second] }).send(message);
    expect(outcome).toMatchObject({ ok: true });
    expect(order).toEqual(["onError socket hang up", "second saw 599", "first saw 599"]);
  });

  it("an Error from onError replaces the one thrown: the send still ends unknown, since fetch was called", async () => {
    const { fetch } = recordingFetch(() => {
      throw new TypeError("socket hang up");
    });
    const renaming: Middleware = { onError: () => new Error("renamed by a hook") };
    const outcome = await listmonkClient({ fetch, middleware: [renaming] }).send(message);
    expect(outcome).toMatchObject({ ok: false, kind: "network", delivery: "unknown", cause: { message: "renamed by a hook" } });
  });

  it("a hook that returns something else fails the send before anything is sent", async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: true }));
    const odd = { onRequest: () => "not a request" } as unknown as Middleware;
    const outcome = await listmonkClient({ fetch, middleware: [odd] }).send(message);
    expect(outcome).toMatchObject({ ok: false, kind: "network", delivery: "not_sent" });
    expect(outcome.ok || outcome.message).toContain("onRequest: must return new Request() or Response()");
    expect(calls).toEqual([]);
  });

  it("a middleware with no hook is refused when the client is made", () => {
    expect(() => listmonkClient({ middleware: [{} as Middleware] })).toThrow("Middleware must be an object with one of");
  });
});
