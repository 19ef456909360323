/**
 * The ExpertSender sandbox: `POST /v2/Api/SystemTransactionals/{id}` as the vendor documents it: XML in, the
 * key checked from `<ApiKey>` (403), a document that breaks specs/expertsender.yaml answered 400 with
 * `<ErrorMessage>`, and 201 with an empty body, or `<Data>GUID</Data>` when `ReturnGuid` is true. Every
 * transactional message id exists and is active; every receiver is a subscriber.
 */
import type { VendorName } from "../../src/core/public.ts";
import type { Outbox } from "./outbox.ts";
import { base64Size, type SandboxVendor } from "./http.ts";
import { parseApiRequest, type SpecDocument } from "./expertsender-xml.ts";
import { specDocument, specViolations } from "./spec-check.ts";

/** The API key the sandbox accepts; the worker's own sandbox client uses it. Not a secret. */
export const EXPERTSENDER_SANDBOX = { apiKey: "sandbox-expertsender-key" };

const vendor: VendorName = "expertsender";

function xml(status: number, body: string): Response {
  return new Response(
    `<ApiResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</ApiResponse>`,
    { status, headers: { "content-type": "text/xml; charset=utf-8" } },
  );
}

const error = (status: number, message: string) => xml(status, `<ErrorMessage><Code>${status}</Code><Message>${escapeXml(message)}</Message></ErrorMessage>`);

/**
 * @example
 * const expertsender = expertsenderSandbox(outbox);
 */
export function expertsenderSandbox(outbox: Outbox): SandboxVendor {
  return async (request) => {
    const path = /^\/v2\/Api\/SystemTransactionals\/(\d+)$/.exec(new URL(request.url).pathname);
    if (!path) return error(404, "Resource not found.");
    if (request.method !== "POST") return error(405, "Method not allowed.");
    if (!/^(text|application)\/xml\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) return error(400, "Request body must be XML.");
    let model: Record<string, any>;
    try {
      ({ model } = parseApiRequest(await request.text(), specDocument("expertsender") as SpecDocument));
    } catch {
      return error(400, "Invalid XML.");
    }
    if (model.ApiKey !== EXPERTSENDER_SANDBOX.apiKey) return error(403, "Invalid API key.");

    const violations = specViolations(vendor, "SystemTransactionalRequest", model);
    const data = (model.Data ?? {}) as Record<string, any>;
    const receiver = (data.Receiver ?? {}) as Record<string, unknown>;
    const to = [receiver.Email ?? (receiver.Id !== undefined ? `subscriber #${receiver.Id}` : receiver.EmailMd5 ?? receiver.EmailSha256)].filter(Boolean).map(String);
    const refusal = violations.length ? `Request is invalid: ${violations[0]}` : undefined;
    const snippets = Array.isArray(data.Snippets) ? data.Snippets : [];
    outbox.record({
      vendor,
      status: refusal ? 400 : 201,
      accepted: !refusal,
      ...(refusal ? { refusal } : {}),
      template: Number(path[1]),
      to,
      ...(typeof receiver.Bcc === "string" ? { bcc: [receiver.Bcc] } : {}),
      // Snippet values are HTML in ExpertSender's messages: the outbox shows them as such, in a sandboxed frame.
      data: Object.fromEntries(snippets.map((snippet: { Name: string; Value: string }) => [snippet.Name, snippet.Value])),
      attachments: (Array.isArray(data.Attachments) ? data.Attachments : []).map((file: any) => ({
        name: String(file?.FileName),
        type: file?.MimeType ?? "application/octet-stream",
        bytes: typeof file?.Content === "string" ? base64Size(file.Content) : 0,
      })),
      specViolations: violations,
    });
    if (refusal) return error(400, refusal);
    return data.ReturnGuid === true ? xml(201, `<Data>${crypto.randomUUID()}</Data>`) : new Response(null, { status: 201 });
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (char) => (char === "<" ? "&lt;" : char === ">" ? "&gt;" : "&amp;"));
}
