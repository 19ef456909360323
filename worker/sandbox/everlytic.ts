/**
 * The Everlytic sandbox: `POST /transactional/email/v1/mail` as the vendor page documents it: HTTP Basic (401
 * "Login Required"), 412 with field errors for a body that breaks specs/everlytic.yaml or omits what a missing
 * template must supply, and 200 with one transaction id per recipient. Every template exists and every sending
 * domain is verified.
 */
import type { VendorName } from "../../src/core/public.ts";
import type { Outbox } from "./outbox.ts";
import { base64Size, basicCredentials, jsonAnswer, type SandboxVendor } from "./http.ts";
import { specViolations } from "./spec-check.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const EVERLYTIC_SANDBOX = { username: "sandbox", apiKey: "sandbox-everlytic-key" };

const vendor: VendorName = "everlytic";

function everlyticError(code: number, reason: string, message: unknown, location: string) {
  return jsonAnswer(code, { code, message, error: { errors: [{ domain: "global", reason, message, locationType: "request", location }] } });
}

/**
 * @example
 * const everlytic = everlyticSandbox(outbox);
 */
export function everlyticSandbox(outbox: Outbox): SandboxVendor {
  const pair = `${EVERLYTIC_SANDBOX.username}:${EVERLYTIC_SANDBOX.apiKey}`;
  return async (request) => {
    if (new URL(request.url).pathname !== "/transactional/email/v1/mail") return new Response("Not Found", { status: 404 });
    if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
    if (basicCredentials(request) !== pair) return everlyticError(401, "required", "Login Required", "authorization");
    let mail: Record<string, any>;
    try {
      mail = await request.json();
    } catch {
      return everlyticError(400, "invalid", "Invalid JSON body", "default");
    }

    const violations = specViolations(vendor, "SendMailRequest", mail);
    const { body = {}, headers = {}, options = {}, attachments = {} } = mail ?? {};
    const fieldErrors: Record<string, string[]> = {};
    for (const violation of violations) (fieldErrors[violation.split(" ")[0]!.replace(/^#\/?/, "").replace(/\//g, ".") || "body"] ??= []).push(violation);
    if (!options.template_id) {
      const missing = "field is required when options.template id is not present.";
      if (!body.html) (fieldErrors["body.html"] ??= []).push(`The body.html ${missing}`);
      if (!headers.subject) (fieldErrors["headers.subject"] ??= []).push(`The headers.subject ${missing}`);
      if (!headers.from?.email) (fieldErrors["headers.from.email"] ??= []).push(`The headers.from.email ${missing}`);
    }
    const addresses = (field: string): string[] => (Array.isArray(headers[field]) ? headers[field].map((address: any) => String(address?.email)) : []);
    const refused = Object.keys(fieldErrors).length > 0;
    const status = refused ? 412 : 200;
    const common = body.personalisation_fields?.common_fields ?? {};
    const unique = Object.assign({}, ...(body.personalisation_fields?.unique_fields ?? []));
    outbox.record({
      vendor,
      status,
      accepted: !refused,
      ...(refused ? { refusal: Object.values(fieldErrors).flat().join("; ") } : {}),
      template: options.template_id,
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
      specViolations: violations,
    });
    if (refused) return everlyticError(412, "invalidParameter", { errors: fieldErrors }, "sendValidation");
    const transactions = [...addresses("to"), ...addresses("cc"), ...addresses("bcc")].map(() => ({ id: crypto.randomUUID() }));
    return jsonAnswer(200, { transactions });
  };
}
