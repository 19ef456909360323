/**
 * A fake listmonk v6: `POST /api/tx` as listmonk's cmd/tx.go answers it (403 for any credential problem, 415 for
 * a body that is neither JSON nor multipart, validateTxMessage's 400s in its words, recipients queued one by one
 * with the ones that are not subscribers named in a 400 after the others were queued), every message held to
 * specs/listmonk.yaml. `GET /api/profile` (the credential check's read) answers 200, or 403 for other credentials.
 */
import spec from "../../generated/listmonk.spec.json" with { type: "json" };
import { asRequest, basicCredentials, failureOf, FailurePlan, hang, jsonAnswer, specViolations } from "./fake.ts";
import type { FakeFailure, FakeMessage, FakeOptions, VendorFake } from "./fake.ts";

/**
 * The credentials a listmonk fake accepts unless told otherwise. Not secrets.
 *
 * @example
 * const client = createListmonkClient({ baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS, fetch: createListmonkFake().fetch });
 */
export const LISTMONK_FAKE_CREDENTIALS = { username: "fake", token: "fake-listmonk-token" };

/**
 * What a listmonk fake is set up with.
 *
 * @example
 * const listmonk = createListmonkFake({ subscribers: [{ id: 7, email: "jane@example.com" }], templates: [3] } satisfies ListmonkFakeOptions);
 */
export interface ListmonkFakeOptions extends FakeOptions {
  readonly username?: string;
  readonly token?: string;
  /** Template ids that exist; every id when absent. */
  readonly templates?: readonly number[];
  /** The subscribers; every address is one (with id 0) when absent. */
  readonly subscribers?: readonly { readonly id: number; readonly email: string }[];
  /** Messengers besides `email`. */
  readonly messengers?: readonly string[];
}

/**
 * One recipient's copy of a message, as listmonk queued it.
 *
 * @example
 * const [copy]: ListmonkQueued[] = listmonk.queued;
 * expect(copy?.email).toBe("jane@example.com");
 */
export interface ListmonkQueued {
  readonly email: string;
  readonly templateId: number;
  readonly message: Record<string, unknown>;
  readonly files: { name: string; type: string; bytes: Uint8Array }[];
}

/**
 * A listmonk fake.
 *
 * @example
 * const listmonk: ListmonkFake = createListmonkFake();
 * await client.send(message);
 * expect(listmonk.queued).toHaveLength(1);
 */
export interface ListmonkFake extends VendorFake {
  /** Each recipient's copy of each accepted message, in order. */
  readonly queued: ListmonkQueued[];
}

const ADDRESS = /^[^\s<>"(),;:@]+@[^\s<>"(),;:@]+\.[^\s<>"(),;:@]+$/;
const fail = (status: number, message: string, headers?: Record<string, string>) => jsonAnswer(status, { message }, headers);

/**
 * A fake listmonk to pass as the client's `fetch`. A recipient `fail+<failure>@…` (or `failNext`) plays a
 * failure: `fail+timeout`, `fail+429` (with `Retry-After`), `fail+503`, `fail+500` (queued, then a 500),
 * `fail+auth` (403), `fail+partial` (not a subscriber: the others are queued, the answer is listmonk's 400).
 *
 * @example
 * const listmonk = createListmonkFake();
 * const client = createListmonkClient({ baseUrl: "https://listmonk.example", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonk.fetch });
 * await client.send({ template_id: 2, subscriber_emails: ["ada@example.com"] });
 * expect(listmonk.outbox[0]?.to).toEqual(["ada@example.com"]);
 *
 * @example
 * const listmonk = createListmonkFake({ failNext: ["429"] }); // the first send is rate limited
 */
export function createListmonkFake(options: ListmonkFakeOptions = {}): ListmonkFake {
  const username = options.username ?? LISTMONK_FAKE_CREDENTIALS.username;
  const token = options.token ?? LISTMONK_FAKE_CREDENTIALS.token;
  const templates = options.templates && new Set(options.templates);
  const messengers = new Set(["email", ...(options.messengers ?? [])]);
  const plan = new FailurePlan(options);
  const outbox: FakeMessage[] = [];
  const queued: ListmonkQueued[] = [];
  const violations: string[] = [];
  const record = (message: FakeMessage) => {
    outbox.push(message);
    options.onMessage?.(message);
  };

  const handle = async (request: Request): Promise<Response> => {
    const pair = `${username}:${token}`;
    const authorized = basicCredentials(request) === pair || request.headers.get("authorization") === `token ${pair}`;
    // The caller's own profile (v4+), read by the credential check: signed in is enough, no permission.
    if (new URL(request.url).pathname === "/api/profile") {
      if (request.method !== "GET") return fail(405, "Method Not Allowed");
      if (!authorized) return fail(403, "invalid API credentials");
      return jsonAnswer(200, { data: { id: 1, username, type: "api", status: "enabled" } });
    }
    if (!new URL(request.url).pathname.startsWith("/api/tx")) return fail(404, "Not Found");
    if (request.method !== "POST") return fail(405, "Method Not Allowed");
    if (!authorized) return fail(403, "invalid API credentials");

    let message: Record<string, unknown>;
    const files: ListmonkQueued["files"] = [];
    const type = request.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await request.formData().catch(() => undefined);
      const data = form?.getAll("data") ?? [];
      if (data.length !== 1) return fail(400, "Invalid fields: data");
      try {
        message = JSON.parse(String(data[0]));
      } catch (error) {
        return fail(400, `Invalid fields: data: ${(error as Error).message}`);
      }
      for (const file of form!.getAll("file")) {
        if (typeof file !== "string") files.push({ name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
      if (files.length === 0 && [...form!.keys()].some((key) => key !== "data")) violations.push(`multipart fields other than data/file: ${[...form!.keys()].join(",")}`);
    } else if (type.startsWith("application/json")) {
      try {
        message = JSON.parse(new TextDecoder().decode(await request.arrayBuffer()));
      } catch {
        return fail(400, "Syntax error: invalid JSON");
      }
    } else {
      return fail(415, "Unsupported Media Type");
    }
    if (!message || typeof message !== "object" || Array.isArray(message)) return fail(400, "Invalid fields: the body must be an object");

    const broken = specViolations(spec, "listmonk", "TxMessage", message);
    violations.push(...broken);
    const mode = (message.subscriber_mode as string | undefined) || "default";
    const emails = [...((message.subscriber_emails as string[] | undefined) ?? [])];
    const ids = [...((message.subscriber_ids as number[] | undefined) ?? [])];
    const failure = plan.take(emails);
    const templateId = message.template_id as number;
    const base = {
      vendor: "listmonk" as const,
      template: templateId,
      from: message.from_email as string | undefined,
      to: [...emails.map((email) => String(email).trim().toLowerCase()), ...ids.map((id) => `subscriber #${id}`)],
      subject: message.subject as string | undefined,
      data: (message.data as Record<string, unknown> | undefined) ?? {},
      ...(message.altbody ? { text: String(message.altbody) } : {}),
      attachments: files.map((file) => ({ name: file.name, type: file.type, bytes: file.bytes.length })),
      specViolations: broken,
      ...(failure ? { failure } : {}),
    };
    const refuse = (status: number, refusal: string, headers?: Record<string, string>) => {
      record({ ...base, status, accepted: false, refusal });
      return fail(status, refusal, headers);
    };
    if (failure === "auth") return fail(403, "invalid API credentials");
    if (failure === "timeout") return hang(request);
    if (failure === "429") return refuse(429, "Too Many Requests", plan.retryHeaders);
    if (failure === "503") return refuse(503, "Service Unavailable", plan.retryHeaders);

    // validateTxMessage, in listmonk's order and words; the spec's own rules after them.
    if (emails.length > 0 && message.subscriber_email) return refuse(400, "Invalid fields: do not send `subscriber_email`");
    if (ids.length > 0 && message.subscriber_id) return refuse(400, "Invalid fields: do not send `subscriber_id`");
    if (message.subscriber_email) emails.push(message.subscriber_email as string);
    if (message.subscriber_id) ids.push(message.subscriber_id as number);
    if (mode === "default") {
      if ((emails.length === 0) === (ids.length === 0)) return refuse(400, "Invalid fields: send subscriber_emails OR subscriber_ids");
    } else if (mode === "fallback" || mode === "external") {
      if (ids.length > 0) return refuse(400, "Invalid fields: subscriber_ids not allowed in fallback or external mode");
      if (emails.length === 0) return refuse(400, "Invalid fields: subscriber_emails");
    } else {
      return refuse(400, "Invalid fields: subscriber_mode");
    }
    for (const [index, email] of emails.entries()) {
      const clean = String(email).trim().toLowerCase();
      // Go's mail.ParseAddress(s).Address == s: a bare address, no display name or comments.
      if (!ADDRESS.test(clean)) return refuse(400, "Invalid email.");
      emails[index] = clean;
    }
    const messenger = message.messenger as string | undefined;
    if (messenger && !messengers.has(messenger)) return refuse(400, `Unknown messenger ${messenger}.`);
    if (broken.length) return refuse(400, `Invalid fields: ${broken[0]}`);
    if (templates && !templates.has(templateId)) return refuse(400, `template ${templateId} not found`);

    const notFound: string[] = [];
    const count = ids.length > 0 ? ids.length : emails.length;
    for (let n = 0; n < count; n++) {
      const id = ids.length > 0 ? ids[n]! : 0;
      const byEmail = ids.length > 0 ? "" : emails[n]!;
      const refused = failure === "partial" && failureOf(byEmail) === "partial" && mode === "default";
      const found = refused ? undefined : subscriber(id, byEmail);
      const email = mode === "external" ? byEmail : (found?.email ?? (mode === "fallback" ? byEmail : undefined));
      if (email === undefined) notFound.push(`Subscriber (${id}: ${byEmail}) not found`);
      else queued.push({ email, templateId, message, files });
    }
    if (notFound.length > 0) {
      const sent = count - notFound.length;
      const refusal = notFound.join("; ");
      record({ ...base, status: 400, accepted: sent > 0, refusal });
      return fail(400, refusal);
    }
    record({ ...base, status: failure === "500" ? 500 : 200, accepted: true });
    return failure === "500" ? fail(500, "Internal Server Error") : jsonAnswer(200, { data: true });
  };

  function subscriber(id: number, email: string): { id: number; email: string } | undefined {
    if (!options.subscribers) return { id, email: email || `subscriber-${id}@fake.invalid` };
    return options.subscribers.find((s) => (id ? s.id === id : s.email === email));
  }

  return {
    fetch: (input, init) => handle(asRequest(input, init)),
    outbox,
    queued,
    specViolations: violations,
    failNext: (...failures: FakeFailure[]) => plan.push(...failures),
  };
}
