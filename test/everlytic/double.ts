/**
 * An Everlytic double: `POST /transactional/email/v1/mail` as the vendor page documents it. HTTP Basic with the
 * username and API key (401 "Login Required" otherwise); 412 with field errors for missing or malformed fields;
 * 400 for an unknown template, an unverified sending domain, a suppressed recipient or an empty quota; 200 with
 * one transaction id per recipient (to, cc, bcc), ids that look like UUIDs but are not hex. Accepted emails are
 * rendered per recipient (personalisation tags filled, attachments decoded) so tests can assert what a recipient
 * would get. Every request body and every answer is checked against specs/everlytic.yaml; disagreements are
 * recorded in `specViolations`.
 *
 * The page documents the bodies of the unverified-domain 400, the 401 and the from-email 412 only; the wording
 * of the other errors here is the double's own, in the same shape.
 */
import { specErrors } from "../support/spec.js";
import { startHttpDouble, type DoubleAnswer, type HttpDouble, type RecordedRequest } from "../support/http-double.js";

type Json = Record<string, any>;

export const EVERLYTIC_USER = "acme-mailer";
export const EVERLYTIC_API_KEY = "evk_7Hq2LmP9xZr4TnW8";

/** One email as one recipient received it. */
export interface DeliveredEmail {
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

export interface EverlyticTemplate {
  readonly subject: string;
  readonly from: string;
  readonly html: string;
  readonly text?: string;
}

export interface EverlyticDouble extends HttpDouble {
  readonly delivered: DeliveredEmail[];
  readonly specViolations: string[];
}

export interface EverlyticDoubleSetup {
  readonly verifiedDomains?: readonly string[];
  readonly templates?: Readonly<Record<string, EverlyticTemplate>>;
  readonly suppressed?: readonly string[];
  /** Emails the account may still send; each recipient costs one. */
  readonly quota?: number;
}

export const TEMPLATE_ID = "g789123d-8924-4811-b964-4d7255c6c54a";

/** An Everlytic 4xx body: `{code, message, error: {errors: [detail]}}`. */
export function everlyticError(code: number, detail: { domain?: string; reason: string; message: unknown; locationType?: string; location: string }): DoubleAnswer {
  const { domain = "global", locationType = "request", ...rest } = detail;
  return { status: code, body: { code, message: detail.message, error: { errors: [{ domain, ...rest, locationType }] } } };
}

/** The page's own 412 example. */
export const FROM_EMAIL_412 = everlyticError(412, {
  reason: "invalidParameter",
  message: { errors: { "headers.from.email": ["The headers.from.email format is invalid."] } },
  location: "sendValidation",
});

/** A transaction id in the vendor's style: UUID-shaped, not strictly hex. */
function transactionId(): string {
  const id = crypto.randomUUID();
  return `${id.slice(0, 24)}q${id.slice(25)}`;
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fill(text: string, tags: Json): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (tag, name: string) => (name in tags ? String(tags[name]) : tag));
}

export async function startEverlyticDouble(setup: EverlyticDoubleSetup = {}): Promise<EverlyticDouble> {
  const verified = new Set(setup.verifiedDomains ?? ["example.com"]);
  const templates: Record<string, EverlyticTemplate> = setup.templates ?? {
    [TEMPLATE_ID]: { subject: "Your statement, {{name}}", from: "statements@example.com", html: "<p>Dear {{name}}, your {{month}} statement is ready.</p>", text: "Dear {{name}}" },
  };
  const suppressed = new Set((setup.suppressed ?? []).map((email) => email.toLowerCase()));
  let quota = setup.quota ?? Infinity;
  const delivered: DeliveredEmail[] = [];
  const specViolations: string[] = [];

  const answer = (reply: DoubleAnswer): DoubleAnswer => {
    const schema = reply.status === 200 ? "SendMailSuccess" : "ErrorBody";
    for (const error of specErrors("everlytic", schema, reply.body)) specViolations.push(`answer ${reply.status}: ${error}`);
    return reply;
  };

  const handle = (request: RecordedRequest): DoubleAnswer => {
    if (request.path !== "/transactional/email/v1/mail") return { status: 404, body: "Not Found" };
    if (request.method !== "POST") return { status: 405, body: "Method Not Allowed" };
    if (request.headers.authorization !== `Basic ${btoa(`${EVERLYTIC_USER}:${EVERLYTIC_API_KEY}`)}`) {
      return answer(everlyticError(401, { reason: "required", message: "Login Required", location: "authorization" }));
    }
    let mail: Json;
    try {
      mail = JSON.parse(request.text);
    } catch {
      return answer(everlyticError(400, { reason: "invalid", message: "Invalid JSON body", location: "default" }));
    }
    for (const error of specErrors("everlytic", "SendMailRequest", mail)) specViolations.push(`request: ${error}`);

    const { body = {}, headers = {}, options = {}, attachments = {} } = mail;
    const templateId: string | undefined = options.template_id || undefined;
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
      for (const [index, address] of (headers[field] ?? []).entries()) {
        if (!ADDRESS.test(address?.email ?? "")) fieldError(`headers.${field}.${index}.email`, `The headers.${field}.${index}.email format is invalid.`);
        else recipients.push({ email: address.email, field });
      }
    }
    if (Object.keys(fieldErrors).length) {
      return answer(everlyticError(412, { reason: "invalidParameter", message: { errors: fieldErrors }, location: "sendValidation" }));
    }

    const template = templateId === undefined ? undefined : templates[templateId];
    if (templateId !== undefined && !template) {
      return answer(everlyticError(400, { reason: "invalid", message: `Send Failed - Template not found: ${templateId}`, location: "templateValidation" }));
    }
    const from: string = headers.from?.email ?? template!.from;
    const domain = from.split("@")[1]!;
    if (!verified.has(domain)) {
      const message = `Send Failed - Unable to send: Unverified Domain - ${domain}`;
      return answer(everlyticError(400, { reason: "invalid", message, location: "default" }));
    }
    const blocked = recipients.filter((recipient) => suppressed.has(recipient.email.toLowerCase()));
    if (blocked.length) {
      const message = `Send Failed - Suppressed recipients: ${blocked.map((recipient) => recipient.email.toLowerCase()).join(", ")}`;
      return answer(everlyticError(400, { reason: "Suppressed", message, locationType: "body", location: "suppressionValidation" }));
    }
    if (recipients.length > quota) {
      return answer(everlyticError(400, { domain: "NoQuota", reason: "NoQuota", message: "Send Failed - Insufficient credits", location: "default" }));
    }
    quota -= recipients.length;

    const common: Json = body.personalisation_fields?.common_fields ?? {};
    const unique: Json = Object.assign({}, ...(body.personalisation_fields?.unique_fields ?? []));
    const files = (attachments.data ?? []).map((file: Json) => ({
      filename: file.filename,
      bytes: file.data === undefined ? undefined : new Uint8Array(Buffer.from(file.data, "base64")),
      path: file.path,
      contentId: file.content_id,
    }));
    const transactions = recipients.map(({ email, field }) => {
      const tags = { ...common, ...unique[email] };
      const id = transactionId();
      const text = body.text ?? template?.text;
      delivered.push({
        transactionId: id,
        recipient: email,
        field,
        subject: fill(headers.subject ?? template!.subject, tags),
        from,
        html: fill(body.html ?? template!.html, tags),
        ...(text === undefined ? {} : { text: fill(text, tags) }),
        customHeaders: headers.custom_headers ?? {},
        options,
        attachments: files,
        trackAttachments: attachments.options?.track === true,
      });
      return { id };
    });
    return answer({ status: 200, body: { transactions } });
  };

  const double = await startHttpDouble(handle);
  return Object.assign(double, { delivered, specViolations });
}
