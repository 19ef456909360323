/**
 * A fake ExpertSender API v2: `POST /v2/Api/SystemTransactionals/{id}` as the vendor documents it. XML in, read
 * back into the model of specs/expertsender.yaml and held to it; the API key checked from `<ApiKey>` (403),
 * unknown message ids 404, inactive ones 400, the subscriber found by Id (which takes precedence), Email (created
 * when missing, as the page's introduction says) or its MD5/SHA-256 hash, 201 with an empty body or
 * `<ApiResponse><Data>GUID</Data></ApiResponse>` when `ReturnGuid` is true. `GET /v2/Api/Time?apiKey=…` (the
 * credential check's read) answers 200 with the time, or 403 for another key.
 */
import spec from "../../generated/expertsender.spec.json" with { type: "json" };
import { md5 } from "@noble/hashes/legacy.js";
import { parseApiRequest, type SpecDocument } from "./expertsender-xml.ts";
import { answered, asRequest, base64Bytes, FailurePlan, hang, specViolations } from "./fake.ts";
import type { FakeFailure, FakeMessage, FakeOptions, VendorFake } from "./fake.ts";

/**
 * The API key an ExpertSender fake accepts unless told otherwise. Not a secret.
 *
 * @example
 * const client = createExpertSenderClient({ baseUrl: "https://api.expertsender.example", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: createExpertSenderFake().fetch });
 */
export const EXPERTSENDER_FAKE_API_KEY = "fake-expertsender-key";

/**
 * A subscriber of the fake account.
 *
 * @example
 * const jane: ExpertSenderSubscriber = { id: 7, email: "jane@example.com" };
 * const expertsender = createExpertSenderFake({ subscribers: [jane] });
 */
export interface ExpertSenderSubscriber {
  readonly id: number;
  readonly email: string;
}

/**
 * What an ExpertSender fake is set up with.
 *
 * @example
 * const expertsender = createExpertSenderFake({ transactionals: { 123: "active", 124: "inactive" } } satisfies ExpertSenderFakeOptions);
 */
export interface ExpertSenderFakeOptions extends FakeOptions {
  readonly apiKey?: string;
  /** Transactional message ids and whether each is active; every id is active when absent. */
  readonly transactionals?: Readonly<Record<number, "active" | "inactive">>;
  /** The subscribers; every receiver is one when absent. */
  readonly subscribers?: readonly ExpertSenderSubscriber[];
  /** Start every XML answer with a UTF-8 byte-order mark, as some ExpertSender hosts do. */
  readonly byteOrderMark?: boolean;
}

/**
 * One transactional message ExpertSender accepted.
 *
 * @example
 * const [copy]: ExpertSenderSent[] = expertsender.sent;
 * expect(copy?.snippets).toEqual({ name: "Jane" });
 */
export interface ExpertSenderSent {
  readonly transactionalId: number;
  readonly subscriber: ExpertSenderSubscriber;
  readonly apiKey: string;
  /** Snippet values by name, as the vendor reads them. */
  readonly snippets: Record<string, string>;
  readonly attachments: { fileName: string; mimeType: string; bytes: Uint8Array }[];
  readonly guid?: string;
  /** The whole request as the spec's model. */
  readonly model: Record<string, unknown>;
}

/**
 * An ExpertSender fake.
 *
 * @example
 * const expertsender: ExpertSenderFake = createExpertSenderFake();
 * await client.send({ transactionalId: 123, Receiver: { Email: "jane@example.com" } });
 * expect(expertsender.sent).toHaveLength(1);
 */
export interface ExpertSenderFake extends VendorFake {
  readonly sent: ExpertSenderSent[];
  /** The account's subscribers, including the ones created by sends to a new address. */
  readonly subscribers: ExpertSenderSubscriber[];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (char) => (char === "<" ? "&lt;" : char === ">" ? "&gt;" : "&amp;"));
}

async function hash(algorithm: "md5" | "sha256", email: string): Promise<string> {
  const bytes = new TextEncoder().encode(email.toLowerCase());
  const digest = algorithm === "md5" ? md5(bytes) : new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * A fake ExpertSender to pass as the client's `fetch`. A receiver `fail+<failure>@…` (or `failNext`) plays a
 * failure: `fail+timeout`, `fail+429` (with `Retry-After`), `fail+503`, `fail+500` (sent, then a 500),
 * `fail+auth` (403). ExpertSender sends to one receiver, so `fail+partial` is an ordinary send.
 *
 * @example
 * const expertsender = createExpertSenderFake();
 * const client = createExpertSenderClient({ baseUrl: "https://api.expertsender.example", apiKey: EXPERTSENDER_FAKE_API_KEY, fetch: expertsender.fetch });
 * await client.send({ transactionalId: 1593, Receiver: { Email: "ada@example.com" } });
 * expect(expertsender.sent[0]?.subscriber.email).toBe("ada@example.com");
 */
export function createExpertSenderFake(options: ExpertSenderFakeOptions = {}): ExpertSenderFake {
  const apiKey = options.apiKey ?? EXPERTSENDER_FAKE_API_KEY;
  const subscribers: ExpertSenderSubscriber[] = [...(options.subscribers ?? [])];
  const plan = new FailurePlan(options);
  const outbox: FakeMessage[] = [];
  const sent: ExpertSenderSent[] = [];
  const violations: string[] = [];
  const bom = options.byteOrderMark ? "\uFEFF" : "";
  const xml = (status: number, body: string, headers: Record<string, string> = {}) =>
    new Response(`${bom}<ApiResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</ApiResponse>`, {
      status,
      headers: { "content-type": "text/xml; charset=utf-8", ...headers },
    });
  const error = (status: number, message: string, headers?: Record<string, string>) =>
    xml(status, `<ErrorMessage><Code>${status}</Code><Message>${escapeXml(message)}</Message></ErrorMessage>`, headers);
  const errors = (status: number, messages: [string, string][]) =>
    xml(status, `<ErrorMessage><Code>${status}</Code><Messages>${messages.map(([field, text]) => `<Message for="${field}">${escapeXml(text)}</Message>`).join("")}</Messages></ErrorMessage>`);

  const find = async (receiver: Record<string, unknown>): Promise<ExpertSenderSubscriber | undefined> => {
    const { Id, Email, EmailMd5, EmailSha256 } = receiver;
    if (Id !== undefined) return subscribers.find((s) => s.id === Id) ?? (options.subscribers ? undefined : { id: Number(Id), email: `subscriber-${Id}@fake.invalid` });
    if (typeof Email === "string") {
      let found = subscribers.find((s) => s.email.toLowerCase() === Email.toLowerCase());
      if (!found) subscribers.push((found = { id: 100000 + subscribers.length, email: Email }));
      return found;
    }
    const [algorithm, digest] = EmailMd5 !== undefined ? (["md5", EmailMd5] as const) : (["sha256", EmailSha256] as const);
    for (const s of subscribers) if ((await hash(algorithm, s.email)) === digest) return s;
    return options.subscribers ? undefined : { id: 0, email: String(digest) };
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    // "Get server time", read by the credential check: the key in the `apiKey` URL parameter, as every GET takes it.
    if (url.pathname === "/v2/Api/Time") {
      if (request.method !== "GET") return error(405, "Method not allowed.");
      if (url.searchParams.get("apiKey") !== apiKey) return error(403, "Invalid API key.");
      return xml(200, `<Data>${new Date().toISOString()}</Data>`);
    }
    const path = /^\/v2\/Api\/SystemTransactionals\/(\d+)$/.exec(url.pathname);
    if (!path) return error(404, "Resource not found.");
    if (request.method !== "POST") return error(405, "Method not allowed.");
    const type = request.headers.get("content-type") ?? "";
    if (!/^(text|application)\/xml\s*(;|$)/i.test(type)) {
      violations.push(`content-type ${type}`);
      return error(400, "Request body must be XML.");
    }
    let model: Record<string, any>;
    try {
      ({ model } = parseApiRequest(new TextDecoder().decode(await request.arrayBuffer()), spec as SpecDocument));
    } catch (problem) {
      violations.push(String(problem));
      return error(400, "Invalid XML.");
    }
    // Two <ApiKey> elements would parse as an array, which the spec's string type refuses.
    const broken = specViolations(spec, "expertsender", "SystemTransactionalRequest", model);
    violations.push(...broken);
    if (model.ApiKey !== apiKey) return error(403, "Invalid API key.");

    const transactionalId = Number(path[1]);
    const data = (model.Data ?? {}) as Record<string, any>;
    const receiver = (data.Receiver ?? {}) as Record<string, unknown>;
    const snippets: { Name: string; Value: string }[] = Array.isArray(data.Snippets) ? data.Snippets : [];
    const files: { FileName: string; MimeType?: string; Content: string }[] = Array.isArray(data.Attachments) ? data.Attachments : [];
    const failure = plan.take([receiver.Email]);
    const record = (status: number, refusal?: string, accepted = refusal === undefined) => {
      const message: FakeMessage = {
        vendor: "expertsender",
        ...answered(status, refusal, accepted),
        template: transactionalId,
        to: [receiver.Email ?? (receiver.Id !== undefined ? `subscriber #${receiver.Id}` : (receiver.EmailMd5 ?? receiver.EmailSha256))].filter(Boolean).map(String),
        ...(typeof receiver.Bcc === "string" ? { bcc: [receiver.Bcc] } : {}),
        // Snippet values are HTML in ExpertSender's messages.
        data: Object.fromEntries(snippets.map((snippet) => [snippet?.Name, snippet?.Value])),
        attachments: files.map((file) => ({
          name: String(file?.FileName),
          type: file?.MimeType ?? "application/octet-stream",
          bytes: typeof file?.Content === "string" ? (base64Bytes(file.Content)?.length ?? 0) : 0,
        })),
        specViolations: broken,
        ...(failure ? { failure } : {}),
      };
      outbox.push(message);
      options.onMessage?.(message);
    };
    const refuse = (status: number, message: string) => {
      record(status, message);
      return error(status, message);
    };
    if (failure === "auth") return error(403, "Invalid API key.");
    if (failure === "timeout") return hang(request);
    if (failure === "429" || failure === "503") {
      const message = failure === "429" ? "Too many requests." : "Service unavailable.";
      record(Number(failure), message);
      return error(Number(failure), message, plan.retryHeaders);
    }
    if (broken.length) return refuse(400, `Request is invalid: ${broken[0]}`);

    const state = options.transactionals ? options.transactionals[transactionalId] : "active";
    if (!state) return refuse(404, "Transactional message not found.");
    if (state === "inactive") return refuse(400, "Transactional message is inactive.");
    const subscriber = await find(receiver);
    if (!subscriber) {
      record(400, "Subscriber not found.");
      return errors(400, [["Receiver", "Subscriber not found."]]);
    }
    const fileNames = files.map((file) => file.FileName);
    if (new Set(fileNames).size !== fileNames.length) {
      record(400, "Attachment file names must be unique.");
      return errors(400, [["Attachments", "Attachment file names must be unique."]]);
    }

    const guid = data.ReturnGuid ? crypto.randomUUID() : undefined;
    sent.push({
      transactionalId,
      subscriber,
      apiKey: model.ApiKey as string,
      snippets: Object.fromEntries(snippets.map((snippet) => [snippet.Name, snippet.Value])),
      attachments: files.map((file) => ({ fileName: file.FileName, mimeType: file.MimeType ?? "application/octet-stream", bytes: base64Bytes(file.Content) ?? new Uint8Array() })),
      ...(guid ? { guid } : {}),
      model,
    });
    if (failure === "500") {
      record(500, undefined, true);
      return error(500, "Internal server error.");
    }
    record(201);
    return guid ? xml(201, `<Data>${guid}</Data>`) : new Response(null, { status: 201 });
  };

  return {
    fetch: (input, init) => handle(asRequest(input, init)),
    outbox,
    sent,
    subscribers,
    specViolations: violations,
    failNext: (...failures: FakeFailure[]) => plan.push(...failures),
  };
}
