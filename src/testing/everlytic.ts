/**
 * A fake Everlytic: `POST /transactional/email/v1/mail` as the vendor page documents it. HTTP Basic with the
 * username and API key (401 "Login Required" otherwise); 412 with field errors for missing or malformed fields
 * and for a body specs/everlytic.yaml refuses; 400 for an unknown template, an unverified sending domain, a
 * suppressed recipient or an empty quota; 200 with one transaction id per recipient (to, cc, bcc), ids that look
 * like UUIDs but are not hex. Accepted emails are rendered per recipient (personalisation tags filled,
 * attachments decoded). The page documents the bodies of the unverified-domain 400, the 401 and the from-email
 * 412 only; the wording of the other errors is the fake's own, in the same shape. `GET
 * /transactional/email/v1/webhooks` (the credential check's read) answers 200 with an empty list, or the 401.
 */
import spec from "../../generated/everlytic.spec.json" with { type: "json" };
import { answered, asRequest, base64Bytes, base64Size, basicCredentials, failureOf, FailurePlan, hang, jsonAnswer, specViolations } from "./fake.ts";
import type { FakeFailure, FakeMessage, FakeOptions, VendorFake } from "./fake.ts";

type Json = Record<string, any>;

/**
 * The credentials an Everlytic fake accepts unless told otherwise. Not secrets.
 *
 * @example
 * const client = createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: createEverlyticFake().fetch });
 */
export const EVERLYTIC_FAKE_CREDENTIALS = { username: "fake", apiKey: "fake-everlytic-key" };

/**
 * A template stored in the fake account.
 *
 * @example
 * const template: EverlyticFakeTemplate = { subject: "Shipped", from: "shop@example.com", html: "<p>Your order shipped</p>" };
 * const everlytic = createEverlyticFake({ templates: { "order-shipped": template } });
 */
export interface EverlyticFakeTemplate {
  readonly subject: string;
  readonly from: string;
  readonly html: string;
  readonly text?: string;
}

/**
 * What an Everlytic fake is set up with.
 *
 * @example
 * const everlytic = createEverlyticFake({ verifiedDomains: ["example.com"] } satisfies EverlyticFakeOptions);
 */
export interface EverlyticFakeOptions extends FakeOptions {
  readonly username?: string;
  readonly apiKey?: string;
  /** Verified sending domains; every domain when absent. */
  readonly verifiedDomains?: readonly string[];
  /** Templates by id; every id is a plain template when absent. */
  readonly templates?: Readonly<Record<string, EverlyticFakeTemplate>>;
  readonly suppressed?: readonly string[];
  /** Emails the account may still send; each recipient costs one. Unlimited when absent. */
  readonly quota?: number;
  /**
   * Receives the webhook posts Everlytic would make about each email it took (legacy field set, JSON, one event a
   * post, with the email's custom headers): `bounced@…` bounces (hard), `opened@…` is delivered and opened, any
   * other address is delivered. Absent: no posts.
   */
  readonly onWebhook?: (post: EverlyticWebhookPost) => void;
}

/**
 * A webhook post as the fake makes it: what Everlytic would `POST` to the webhook's URL.
 *
 * @example
 * createEverlyticFake({ onWebhook: (post: EverlyticWebhookPost) => posts.push(post) });
 */
export interface EverlyticWebhookPost {
  readonly body: string;
  readonly contentType: "application/json";
}

/**
 * One email as one recipient received it.
 *
 * @example
 * const [copy]: EverlyticDelivered[] = everlytic.delivered;
 * expect(copy?.recipient).toBe("jane@example.com");
 */
export interface EverlyticDelivered {
  readonly transactionId: string;
  readonly recipient: string;
  readonly field: "to" | "cc" | "bcc";
  readonly subject: string;
  readonly from: string;
  readonly html: string;
  readonly text?: string;
  readonly customHeaders: Json;
  readonly options: Json;
  readonly attachments: { filename?: string; bytes?: Uint8Array; path?: string; contentId?: string }[];
  readonly trackAttachments: boolean;
}

/**
 * An Everlytic fake.
 *
 * @example
 * const everlytic: EverlyticFake = createEverlyticFake();
 * await client.sendMessage(message);
 * expect(everlytic.delivered.map((copy) => copy.field)).toEqual(["to"]);
 */
export interface EverlyticFake extends VendorFake {
  /** Each recipient's rendered copy of each accepted email, in order. */
  readonly delivered: EverlyticDelivered[];
}

/**
 * An Everlytic 4xx/5xx body: `{code, message, error: {errors: [detail]}}`.
 *
 * @example
 * everlyticError(401, { reason: "required", message: "Login Required", location: "authorization" });
 */
export function everlyticError(
  code: number,
  detail: { domain?: string; reason: string; message: unknown; locationType?: string; location: string },
  headers: Record<string, string> = {},
): Response {
  const { domain = "global", locationType = "request", ...rest } = detail;
  return jsonAnswer(code, { code, message: detail.message, error: { errors: [{ domain, ...rest, locationType }] } }, headers);
}

/** The legacy-field-set posts about one recipient's copy: delivered (and opened), or a hard bounce. */
function webhookPosts(email: EverlyticDelivered): EverlyticWebhookPost[] {
  const local = email.recipient.split("@")[0]!.toLowerCase();
  const types = local === "bounced" ? ["bounce"] : local === "opened" ? ["delivered", "open"] : ["delivered"];
  const now = Date.now();
  // A second apart, in the order they happen: an open comes after the delivery.
  return types.map((type, index) => ({
    contentType: "application/json",
    body: JSON.stringify({
      event: {
        event_id: crypto.randomUUID(),
        event_date: new Date(now + index * 1000).toISOString(),
        event_type: type,
        email_to: email.recipient,
        trans_id: email.transactionId,
        custom_headers: email.customHeaders,
        ...(type === "bounce" ? { bounce_type: "hard", bounce_reason: "mailbox does not exist" } : {}),
      },
    }),
  }));
}

/** A transaction id in the vendor's style: UUID-shaped, not strictly hex. */
function transactionId(): string {
  const id = crypto.randomUUID();
  return `${id.slice(0, 24)}q${id.slice(25)}`;
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fill(text: string, tags: Json): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (tag, name: string) => (name in tags ? String(tags[name]) : tag));
}

/**
 * A fake Everlytic to pass as the client's `fetch`. A recipient `fail+<failure>@…` (or `failNext`) plays a
 * failure: `fail+timeout`, `fail+429` (with `Retry-After`), `fail+503`, `fail+500` (delivered, then a 500),
 * `fail+auth` (401), `fail+partial` (that recipient suppressed: Everlytic's 400 names it, nobody is sent to).
 *
 * @example
 * const everlytic = createEverlyticFake();
 * const client = createEverlyticClient({ baseUrl: "https://everlytic.example", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: everlytic.fetch });
 * await client.send({ headers: { to: [{ email: "ada@example.com" }], subject: "Hi", from: { email: "me@example.com" } }, body: { html: "<p>Hi</p>" } });
 * expect(everlytic.delivered[0]?.recipient).toBe("ada@example.com");
 */
export function createEverlyticFake(options: EverlyticFakeOptions = {}): EverlyticFake {
  const pair = `${options.username ?? EVERLYTIC_FAKE_CREDENTIALS.username}:${options.apiKey ?? EVERLYTIC_FAKE_CREDENTIALS.apiKey}`;
  const verified = options.verifiedDomains && new Set(options.verifiedDomains);
  const suppressed = new Set((options.suppressed ?? []).map((email) => email.toLowerCase()));
  let quota = options.quota ?? Infinity;
  const plan = new FailurePlan(options);
  const outbox: FakeMessage[] = [];
  const delivered: EverlyticDelivered[] = [];
  const violations: string[] = [];

  const answer = (reply: Response, body: unknown): Response => {
    const schema = reply.status === 200 ? "SendMailSuccess" : "ErrorBody";
    for (const error of specViolations(spec, "everlytic", schema, body)) violations.push(`answer ${reply.status}: ${error}`);
    return reply;
  };
  const error = (code: number, detail: Parameters<typeof everlyticError>[1], headers?: Record<string, string>) => {
    const { domain = "global", locationType = "request", ...rest } = detail;
    return answer(everlyticError(code, detail, headers), { code, message: detail.message, error: { errors: [{ domain, ...rest, locationType }] } });
  };
  const template = (id: string): EverlyticFakeTemplate | undefined =>
    options.templates ? options.templates[id] : { subject: `Template ${id}`, from: "templates@example.com", html: `<p>Template ${id}</p>` };

  const handle = async (request: Request): Promise<Response> => {
    // The account's webhooks, read by the credential check: the same Basic credentials as a send.
    if (new URL(request.url).pathname === "/transactional/email/v1/webhooks") {
      if (request.method !== "GET") return new Response("Method Not Allowed", { status: 405 });
      if (basicCredentials(request) !== pair) return error(401, { reason: "required", message: "Login Required", location: "authorization" });
      return Response.json([]);
    }
    if (new URL(request.url).pathname !== "/transactional/email/v1/mail") return new Response("Not Found", { status: 404 });
    if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
    if (basicCredentials(request) !== pair) return error(401, { reason: "required", message: "Login Required", location: "authorization" });
    let mail: Json;
    try {
      mail = JSON.parse(new TextDecoder().decode(await request.arrayBuffer()));
    } catch {
      return error(400, { reason: "invalid", message: "Invalid JSON body", location: "default" });
    }
    const broken = specViolations(spec, "everlytic", "SendMailRequest", mail);
    violations.push(...broken.map((violation) => `request: ${violation}`));

    const { body = {}, headers = {}, options: sendOptions = {}, attachments = {} } = mail ?? {};
    const addresses = (field: string): string[] => (Array.isArray(headers[field]) ? headers[field].map((address: any) => String(address?.email)) : []);
    const everyone = [...addresses("to"), ...addresses("cc"), ...addresses("bcc")];
    const failure = plan.take(everyone);
    const common: Json = body.personalisation_fields?.common_fields ?? {};
    const unique: Json = Object.assign({}, ...(body.personalisation_fields?.unique_fields ?? []));
    const base = {
      vendor: "everlytic" as const,
      template: sendOptions.template_id,
      from: headers.from?.name ? `${headers.from.name} <${headers.from.email}>` : headers.from?.email,
      to: addresses("to"),
      cc: addresses("cc"),
      bcc: addresses("bcc"),
      subject: headers.subject,
      data: { ...common, ...(Object.keys(unique).length ? { unique_fields: unique } : {}) },
      ...(typeof body.html === "string" ? { html: body.html } : {}),
      ...(typeof body.text === "string" ? { text: body.text } : {}),
      attachments: (Array.isArray(attachments.data) ? attachments.data : []).map((file: any) => ({
        name: String(file?.filename ?? file?.path ?? "attachment"),
        ...(typeof file?.data === "string" ? { bytes: base64Size(file.data) } : {}),
        ...(typeof file?.path === "string" ? { path: file.path } : {}),
      })),
      specViolations: broken,
      ...(failure ? { failure } : {}),
    };
    const record = (status: number, refusal?: string) => {
      const message: FakeMessage = { ...base, ...answered(status, refusal) };
      outbox.push(message);
      options.onMessage?.(message);
    };
    const refuse = (code: number, detail: Parameters<typeof everlyticError>[1], headers?: Record<string, string>) => {
      record(code, typeof detail.message === "string" ? detail.message : JSON.stringify(detail.message));
      return error(code, detail, headers);
    };
    if (failure === "auth") return error(401, { reason: "required", message: "Login Required", location: "authorization" });
    if (failure === "timeout") return hang(request);
    if (failure === "429") return refuse(429, { domain: "RequestLimit", reason: "RequestLimit", message: "Too Many Requests", location: "default" }, plan.retryHeaders);
    if (failure === "503") return refuse(503, { reason: "backendError", message: "Service Unavailable", location: "default" }, plan.retryHeaders);

    const templateId: string | undefined = sendOptions.template_id || undefined;
    const fieldErrors: Record<string, string[]> = {};
    const fieldError = (field: string, text: string) => (fieldErrors[field] ??= []).push(text);
    if (!templateId) {
      if (!body.html) fieldError("body.html", "The body.html field is required when options.template id is not present.");
      if (!headers.subject) fieldError("headers.subject", "The headers.subject field is required when options.template id is not present.");
      if (!headers.from?.email) fieldError("headers.from.email", "The headers.from.email field is required when options.template id is not present.");
    }
    if (headers.from?.email && !ADDRESS.test(headers.from.email)) fieldError("headers.from.email", "The headers.from.email format is invalid.");
    if (!Array.isArray(headers.to) || headers.to.length === 0) fieldError("headers.to", "The headers.to field is required.");
    const recipients: { email: string; field: "to" | "cc" | "bcc" }[] = [];
    for (const field of ["to", "cc", "bcc"] as const) {
      for (const [index, address] of (Array.isArray(headers[field]) ? headers[field] : []).entries()) {
        if (!ADDRESS.test(address?.email ?? "")) fieldError(`headers.${field}.${index}.email`, `The headers.${field}.${index}.email format is invalid.`);
        else recipients.push({ email: address.email, field });
      }
    }
    if (!Object.keys(fieldErrors).length) {
      for (const violation of broken) fieldError(violation.split(" ")[0]!.replace(/^#\/?/, "").replace(/\//g, ".") || "body", violation);
    }
    if (Object.keys(fieldErrors).length) {
      return refuse(412, { reason: "invalidParameter", message: { errors: fieldErrors }, location: "sendValidation" });
    }

    const stored = templateId === undefined ? undefined : template(templateId);
    if (templateId !== undefined && !stored) {
      return refuse(400, { reason: "invalid", message: `Send Failed - Template not found: ${templateId}`, location: "templateValidation" });
    }
    const from: string = headers.from?.email ?? stored!.from;
    const domain = from.split("@")[1]!;
    if (verified && !verified.has(domain)) {
      return refuse(400, { reason: "invalid", message: `Send Failed - Unable to send: Unverified Domain - ${domain}`, location: "default" });
    }
    const blocked = recipients.filter(({ email }) => suppressed.has(email.toLowerCase()) || (failure === "partial" && failureOf(email) === "partial"));
    if (blocked.length) {
      const message = `Send Failed - Suppressed recipients: ${blocked.map(({ email }) => email.toLowerCase()).join(", ")}`;
      return refuse(400, { reason: "Suppressed", message, locationType: "body", location: "suppressionValidation" });
    }
    if (recipients.length > quota) {
      return refuse(400, { domain: "NoQuota", reason: "NoQuota", message: "Send Failed - Insufficient credits", location: "default" });
    }
    quota -= recipients.length;

    const files = (Array.isArray(attachments.data) ? attachments.data : []).map((file: Json) => ({
      filename: file.filename,
      bytes: typeof file.data === "string" ? base64Bytes(file.data) : undefined,
      path: file.path,
      contentId: file.content_id,
    }));
    const firstTaken = delivered.length;
    const transactions = recipients.map(({ email, field }) => {
      const tags = { ...common, ...unique[email] };
      const id = transactionId();
      const text = body.text ?? stored?.text;
      delivered.push({
        transactionId: id,
        recipient: email,
        field,
        subject: fill(headers.subject ?? stored!.subject, tags),
        from,
        html: fill(body.html ?? stored!.html, tags),
        ...(text === undefined ? {} : { text: fill(text, tags) }),
        customHeaders: headers.custom_headers ?? {},
        options: sendOptions,
        attachments: files,
        trackAttachments: attachments.options?.track === true,
      });
      return { id };
    });
    // An email taken is reported on, even when the answer to its send was lost.
    if (options.onWebhook) for (const email of delivered.slice(firstTaken)) for (const post of webhookPosts(email)) options.onWebhook(post);
    if (failure === "500") {
      record(500);
      return error(500, { reason: "backendError", message: "Internal Server Error", location: "default" });
    }
    record(200);
    return answer(jsonAnswer(200, { transactions }), { transactions });
  };

  return {
    fetch: (input, init) => handle(asRequest(input, init)),
    outbox,
    delivered,
    specViolations: violations,
    failNext: (...failures: FakeFailure[]) => plan.push(...failures),
  };
}
