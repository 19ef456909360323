/**
 * The listmonk sandbox: `POST /api/tx` as listmonk v6 answers it (403 for any credential problem, 415 for a
 * body that is neither JSON nor multipart, validateTxMessage's 400s), every message checked against
 * specs/listmonk.yaml. Every address counts as a subscriber, and every template exists.
 */
import type { VendorName } from "../../src/core/public.ts";
import type { Outbox } from "./outbox.ts";
import { basicCredentials, jsonAnswer, type SandboxVendor } from "./http.ts";
import { specViolations } from "./spec-check.ts";

/** The credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const LISTMONK_SANDBOX = { username: "sandbox", token: "sandbox-listmonk-token" };

const vendor: VendorName = "listmonk";
const fail = (status: number, message: string) => jsonAnswer(status, { message });

/**
 * @example
 * const listmonk = listmonkSandbox(outbox);
 * const response = await listmonk(new Request("https://sandbox.invalid/api/tx", { method: "POST", ... }));
 */
export function listmonkSandbox(outbox: Outbox): SandboxVendor {
  const pair = `${LISTMONK_SANDBOX.username}:${LISTMONK_SANDBOX.token}`;
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path !== "/api/tx") return fail(404, "Not Found");
    if (request.method !== "POST") return fail(405, "Method Not Allowed");
    if (basicCredentials(request) !== pair && request.headers.get("authorization") !== `token ${pair}`) {
      return fail(403, "invalid API credentials");
    }

    let message: Record<string, unknown>;
    const attachments: { name: string; type: string; bytes: number }[] = [];
    const type = request.headers.get("content-type") ?? "";
    try {
      if (type.startsWith("multipart/form-data")) {
        const form = await request.formData();
        const data = form.getAll("data");
        if (data.length !== 1) return fail(400, "Invalid fields: data");
        message = JSON.parse(String(data[0]));
        for (const file of form.getAll("file")) {
          if (typeof file !== "string") attachments.push({ name: file.name, type: file.type, bytes: file.size });
        }
      } else if (type.startsWith("application/json")) {
        message = await request.json();
      } else {
        return fail(415, "Unsupported Media Type");
      }
    } catch {
      return fail(400, "Syntax error: invalid JSON");
    }

    if (!message || typeof message !== "object" || Array.isArray(message)) return fail(400, "Invalid fields: the body must be an object");
    const violations = specViolations(vendor, "TxMessage", message);
    const emails = [...((message?.subscriber_emails as string[] | undefined) ?? [])];
    if (typeof message?.subscriber_email === "string") emails.push(message.subscriber_email);
    const ids = [...((message?.subscriber_ids as number[] | undefined) ?? [])];
    if (typeof message?.subscriber_id === "number") ids.push(message.subscriber_id);
    const to = ids.length ? ids.map((id) => `subscriber #${id}`) : emails.map((email) => email.trim().toLowerCase());
    // listmonk's own checks speak first: they are the words a real instance answers with.
    const refusal = recipientRule(message, emails, ids) ?? (violations.length ? `Invalid fields: ${violations[0]}` : undefined);

    const status = refusal ? 400 : 200;
    outbox.record({
      vendor,
      status,
      accepted: !refusal,
      ...(refusal ? { refusal } : {}),
      template: message?.template_id as number | undefined,
      from: message?.from_email as string | undefined,
      to,
      subject: message?.subject as string | undefined,
      data: (message?.data as Record<string, unknown> | undefined) ?? {},
      ...(message?.altbody ? { text: String(message.altbody) } : {}),
      attachments,
      specViolations: violations,
    });
    return refusal ? fail(400, refusal) : jsonAnswer(200, { data: true });
  };
}

/** validateTxMessage's recipient rules, in listmonk's words. */
function recipientRule(message: Record<string, unknown>, emails: string[], ids: number[]): string | undefined {
  const mode = (message.subscriber_mode as string | undefined) || "default";
  if (mode === "default" && (emails.length === 0) === (ids.length === 0)) return "Invalid fields: send subscriber_emails OR subscriber_ids";
  if (mode !== "default" && ids.length) return "Invalid fields: subscriber_ids not allowed in fallback or external mode";
  if (mode !== "default" && !emails.length) return "Invalid fields: subscriber_emails";
  if (emails.some((email) => !/^[^\s<>"(),;:@]+@[^\s<>"(),;:@]+\.[^\s<>"(),;:@]+$/.test(email.trim()))) return "Invalid email.";
  return undefined;
}
