/**
 * A listmonk v6 double: `POST /api/tx` as listmonk's cmd/tx.go behaves (auth answered 403, 415 for bodies that
 * are neither JSON nor multipart, validateTxMessage's rules and messages, recipients queued one by one with
 * missing subscribers reported in a 400 after the others were queued). Every incoming message is also checked
 * against specs/listmonk.yaml, and any disagreement is recorded in `specViolations`.
 */
import { specErrors } from "../support/spec.js";
import { recordedFormData, startHttpDouble, type DoubleAnswer, type HttpDouble, type RecordedRequest } from "../support/http-double.js";

export interface QueuedTxMessage {
  readonly email: string;
  readonly templateId: number;
  readonly message: Record<string, unknown>;
  readonly files: { name: string; type: string; bytes: Uint8Array }[];
}

export interface ListmonkDouble extends HttpDouble {
  readonly queued: QueuedTxMessage[];
  readonly specViolations: string[];
}

export interface ListmonkDoubleSetup {
  readonly username?: string;
  readonly token?: string;
  readonly templates?: readonly number[];
  readonly subscribers?: readonly { id: number; email: string }[];
  readonly messengers?: readonly string[];
}

export const LISTMONK_USER = "api_user";
export const LISTMONK_TOKEN = "lm-secret-token-7f3a9c";

export async function startListmonkDouble(setup: ListmonkDoubleSetup = {}): Promise<ListmonkDouble> {
  const username = setup.username ?? LISTMONK_USER;
  const token = setup.token ?? LISTMONK_TOKEN;
  const templates = new Set(setup.templates ?? [2, 4]);
  const subscribers = setup.subscribers ?? [
    { id: 1, email: "ada@example.com" },
    { id: 2, email: "grace@example.com" },
  ];
  const messengers = new Set(["email", ...(setup.messengers ?? [])]);
  const queued: QueuedTxMessage[] = [];
  const specViolations: string[] = [];
  const fail = (status: number, message: string): DoubleAnswer => ({ status, body: { message } });

  const handle = async (request: RecordedRequest): Promise<DoubleAnswer> => {
    if (!request.path.startsWith("/api/tx")) return fail(404, "Not Found");
    if (request.method !== "POST") return fail(405, "Method Not Allowed");
    const auth = request.headers.authorization ?? "";
    const expected = [`Basic ${btoa(`${username}:${token}`)}`, `token ${username}:${token}`];
    if (!expected.includes(auth)) return fail(403, "invalid API credentials");

    let message: Record<string, unknown>;
    const files: QueuedTxMessage["files"] = [];
    const contentType = request.headers["content-type"] ?? "";
    if (contentType.startsWith("multipart/form-data")) {
      const form = await recordedFormData(request);
      const data = form.getAll("data");
      if (data.length !== 1) return fail(400, "Invalid fields: data");
      try {
        message = JSON.parse(String(data[0]));
      } catch (error) {
        return fail(400, `Invalid fields: data: ${(error as Error).message}`);
      }
      for (const file of form.getAll("file")) {
        if (typeof file === "string") continue;
        files.push({ name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
      if (form.getAll("file").length === 0 && [...form.keys()].some((key) => key !== "data")) {
        specViolations.push(`multipart fields other than data/file: ${[...form.keys()].join(",")}`);
      }
    } else if (contentType.startsWith("application/json")) {
      try {
        message = JSON.parse(request.text);
      } catch {
        return fail(400, "Syntax error: invalid JSON");
      }
    } else {
      return fail(415, "Unsupported Media Type");
    }
    for (const error of specErrors("listmonk", "TxMessage", message)) specViolations.push(error);

    // validateTxMessage, in listmonk's order and words.
    const m = {
      mode: (message.subscriber_mode as string | undefined) || "default",
      emails: [...((message.subscriber_emails as string[] | undefined) ?? [])],
      ids: [...((message.subscriber_ids as number[] | undefined) ?? [])],
    };
    if (m.emails.length > 0 && message.subscriber_email) return fail(400, "Invalid fields: do not send `subscriber_email`");
    if (m.ids.length > 0 && message.subscriber_id) return fail(400, "Invalid fields: do not send `subscriber_id`");
    if (message.subscriber_email) m.emails.push(message.subscriber_email as string);
    if (message.subscriber_id) m.ids.push(message.subscriber_id as number);
    if (m.mode === "default") {
      if ((m.emails.length === 0 && m.ids.length === 0) || (m.emails.length > 0 && m.ids.length > 0)) {
        return fail(400, "Invalid fields: send subscriber_emails OR subscriber_ids");
      }
    } else if (m.mode === "fallback" || m.mode === "external") {
      if (m.ids.length > 0) return fail(400, "Invalid fields: subscriber_ids not allowed in fallback or external mode");
      if (m.emails.length === 0) return fail(400, "Invalid fields: subscriber_emails");
    } else {
      return fail(400, "Invalid fields: subscriber_mode");
    }
    for (const [index, email] of m.emails.entries()) {
      const clean = email.trim().toLowerCase();
      // Go's mail.ParseAddress(s).Address == s: a bare address, no display name or comments.
      if (!/^[^\s<>"(),;:@]+@[^\s<>"(),;:@]+\.[^\s<>"(),;:@]+$/.test(clean)) return fail(400, "Invalid email.");
      m.emails[index] = clean;
    }
    const messenger = message.messenger as string | undefined;
    if (messenger && !messengers.has(messenger)) return fail(400, `Unknown messenger ${messenger}.`);

    const templateId = message.template_id as number;
    if (!templates.has(templateId)) return fail(400, `template ${templateId} not found`);

    const notFound: string[] = [];
    const count = m.ids.length > 0 ? m.ids.length : m.emails.length;
    for (let n = 0; n < count; n++) {
      let email: string;
      if (m.mode === "external") email = m.emails[n]!;
      else {
        const id = m.ids.length > 0 ? m.ids[n]! : 0;
        const byEmail = m.ids.length > 0 ? "" : m.emails[n]!;
        const found = subscribers.find((s) => (id ? s.id === id : s.email === byEmail));
        if (found) email = found.email;
        else if (m.mode === "fallback") email = byEmail;
        else {
          notFound.push(`Subscriber (${id}: ${byEmail}) not found`);
          continue;
        }
      }
      queued.push({ email, templateId, message, files });
    }
    if (notFound.length > 0) return fail(400, notFound.join("; "));
    return { status: 200, body: { data: true } };
  };

  const double = await startHttpDouble(handle);
  return Object.assign(double, { queued, specViolations });
}
