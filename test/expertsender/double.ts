/**
 * An ExpertSender API v2 double: `POST /v2/Api/SystemTransactionals/{id}` as the vendor documents it. XML in,
 * the API key checked from `<ApiKey>` (403), unknown message ids 404, inactive ones 400, the subscriber found by
 * Id (which takes precedence), Email (created when missing, as the page's introduction says) or its MD5/SHA-256
 * hash, 201 with an empty body or `<ApiResponse><Data>GUID</Data></ApiResponse>` when `ReturnGuid` is true.
 * Every incoming document is parsed independently of the client (test/expertsender/xml-model.ts) and checked
 * against specs/expertsender.yaml; any disagreement is recorded in `specViolations`.
 */
import { createHash, randomUUID } from "node:crypto";
import { specErrors } from "../support/spec.js";
import { startHttpDouble, type DoubleAnswer, type HttpDouble, type RecordedRequest } from "../support/http-double.js";
import { parseApiRequest } from "./xml-model.js";

export const EXPERTSENDER_API_KEY = "Qw7zX2mP9kLs4Tn8Vb3R";

export interface Subscriber {
  readonly id: number;
  readonly email: string;
}

export interface SentTransactional {
  readonly transactionalId: number;
  readonly subscriber: Subscriber;
  readonly apiKey: string;
  /** Snippet values by name, as the vendor reads them. */
  readonly snippets: Record<string, string>;
  readonly attachments: { fileName: string; mimeType: string; bytes: Uint8Array }[];
  readonly guid?: string;
  /** The whole request as the spec's model. */
  readonly model: Record<string, unknown>;
}

export interface ExpertSenderDouble extends HttpDouble {
  readonly sent: SentTransactional[];
  readonly subscribers: Subscriber[];
  readonly specViolations: string[];
}

export interface ExpertSenderDoubleSetup {
  readonly apiKey?: string;
  /** Transactional message ids and whether each is active. */
  readonly transactionals?: Record<number, "active" | "inactive">;
  readonly subscribers?: readonly Subscriber[];
  /** Start every XML answer with a UTF-8 byte-order mark, as some ExpertSender hosts do. */
  readonly byteOrderMark?: boolean;
}

const hash = (algorithm: "md5" | "sha256", email: string) => createHash(algorithm).update(email.toLowerCase()).digest("hex");

export async function startExpertSenderDouble(setup: ExpertSenderDoubleSetup = {}): Promise<ExpertSenderDouble> {
  const apiKey = setup.apiKey ?? EXPERTSENDER_API_KEY;
  const transactionals = setup.transactionals ?? { 123: "active", 1593: "active", 2449: "active", 77: "inactive" };
  const subscribers: Subscriber[] = [...(setup.subscribers ?? [
    { id: 12345, email: "patrick@example.com" },
    { id: 67890, email: "Ada.Lovelace@example.com" },
  ])];
  const sent: SentTransactional[] = [];
  const specViolations: string[] = [];
  const bom = setup.byteOrderMark ? "\uFEFF" : "";
  const xml = (status: number, body: string): DoubleAnswer => ({
    status,
    body: `${bom}<ApiResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</ApiResponse>`,
    headers: { "content-type": "text/xml; charset=utf-8" },
  });
  const error = (status: number, message: string) => xml(status, `<ErrorMessage><Code>${status}</Code><Message>${message}</Message></ErrorMessage>`);
  const errors = (status: number, messages: [string, string][]) =>
    xml(status, `<ErrorMessage><Code>${status}</Code><Messages>${messages.map(([field, text]) => `<Message for="${field}">${text}</Message>`).join("")}</Messages></ErrorMessage>`);

  const handle = (request: RecordedRequest): DoubleAnswer => {
    const path = /^\/v2\/Api\/SystemTransactionals\/(\d+)$/.exec(request.path);
    if (!path) return error(404, "Resource not found.");
    if (request.method !== "POST") return error(405, "Method not allowed.");
    if (!/^(text|application)\/xml\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
      specViolations.push(`content-type ${request.headers["content-type"]}`);
      return error(400, "Request body must be XML.");
    }

    let model: Record<string, unknown>;
    try {
      ({ model } = parseApiRequest(request.text));
    } catch (problem) {
      specViolations.push(String(problem));
      return error(400, "Invalid XML.");
    }
    // Two <ApiKey> elements would parse as an array, which the spec's string type refuses.
    for (const problem of specErrors("expertsender", "SystemTransactionalRequest", model)) specViolations.push(problem);
    if (model.ApiKey !== apiKey) return error(403, "Invalid API key.");

    const transactionalId = Number(path[1]);
    const state = transactionals[transactionalId];
    if (!state) return error(404, "Transactional message not found.");
    if (state === "inactive") return error(400, "Transactional message is inactive.");

    const data = model.Data as {
      ReturnGuid?: boolean;
      Receiver: { Id?: number; Email?: string; EmailMd5?: string; EmailSha256?: string };
      Snippets?: { Name: string; Value: string }[];
      Attachments?: { FileName: string; MimeType?: string; Content: string }[];
    };
    const { Id, Email, EmailMd5, EmailSha256 } = data.Receiver;
    let subscriber: Subscriber | undefined;
    if (Id !== undefined) subscriber = subscribers.find((s) => s.id === Id);
    else if (Email !== undefined) {
      subscriber = subscribers.find((s) => s.email.toLowerCase() === Email.toLowerCase());
      if (!subscriber) subscribers.push((subscriber = { id: 100000 + subscribers.length, email: Email }));
    } else if (EmailMd5 !== undefined) subscriber = subscribers.find((s) => hash("md5", s.email) === EmailMd5);
    else if (EmailSha256 !== undefined) subscriber = subscribers.find((s) => hash("sha256", s.email) === EmailSha256);
    if (!subscriber) return errors(400, [["Receiver", "Subscriber not found."]]);

    const fileNames = (data.Attachments ?? []).map((a) => a.FileName);
    if (new Set(fileNames).size !== fileNames.length) return errors(400, [["Attachments", "Attachment file names must be unique."]]);

    const guid = data.ReturnGuid ? randomUUID() : undefined;
    sent.push({
      transactionalId,
      subscriber,
      apiKey: model.ApiKey as string,
      snippets: Object.fromEntries((data.Snippets ?? []).map((s) => [s.Name, s.Value])),
      attachments: (data.Attachments ?? []).map((a) => ({
        fileName: a.FileName,
        mimeType: a.MimeType ?? "application/octet-stream",
        bytes: new Uint8Array(Buffer.from(a.Content, "base64")),
      })),
      guid,
      model,
    });
    return guid ? xml(201, `<Data>${guid}</Data>`) : { status: 201 };
  };

  const double = await startHttpDouble(handle);
  return Object.assign(double, { sent, subscribers, specViolations });
}
