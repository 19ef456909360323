/**
 * One structured JSON line per request (`console.log`), written when the response is ready, and one per queued
 * attempt (`writeAttemptLog`), so Workers Logs can query both by field. A line holds what an operator needs
 * (route, status, problem kind, action, vendor, caller id, message id, outcome kind, delivery, attempts, time) and
 * never a header, body, query string, address or secret: the whole line also goes through the redactor that
 * knows every secret value.
 */
import type { Redactor } from "../core/redact.ts";

/** The route a path belongs to, with its variable parts named (`/v1/messages/{id}`), for grouping lines. */
function routeOf(pathname: string): string {
  return pathname
    .replace(/^\/v1\/send\/[^/]+(\/batch)?$/, "/v1/send/{vendor}$1")
    .replace(/^\/v1\/messages\/[^/]+(\/retry)?$/, "/v1/messages/{id}$1")
    .slice(0, 100);
}

const MESSAGE_PATH = /^\/v1\/messages\/([0-9a-f-]{36})(?:\/|$)/;

export class RequestLog {
  readonly #started = Date.now();
  readonly #fields: Record<string, unknown>;
  redactor?: Redactor;

  constructor(request: Request) {
    const { pathname } = new URL(request.url);
    const message = MESSAGE_PATH.exec(pathname)?.[1];
    this.#fields = { method: request.method.slice(0, 10), path: pathname.slice(0, 100), route: routeOf(pathname), ...(message ? { message } : {}) };
  }

  /** Adds fields to the line (action, vendor, caller, kind, error, ...). */
  set(fields: Record<string, unknown>): void {
    Object.assign(this.#fields, fields);
  }

  /** Writes the line for `response`; a queued send's line names the message it made (its `Location`). */
  write(response: Response): void {
    const message = MESSAGE_PATH.exec(response.headers.get("location") ?? "")?.[1];
    if (message && this.#fields.message === undefined) this.#fields.message = message;
    writeLine({ at: new Date(this.#started).toISOString(), ...this.#fields, status: response.status, ms: Date.now() - this.#started }, this.redactor);
  }
}

/** What the line of one queued attempt holds. */
export interface AttemptLine {
  readonly message: string;
  readonly vendor: string;
  /** The browser action a queued browser send came from. */
  readonly action?: string;
  /** The attempt's number for the message (1 for its first pickup). */
  readonly attempt: number;
  /** The outcome's kind (`sent`, `rate_limited`, a refusal's kind, ...). */
  readonly kind: string;
  readonly delivery: string;
  /** Requests the library made within the attempt (its retries and failovers). */
  readonly attempts?: number;
  /** What the message became: `sent`, `queued` (to be retried), `failed`, `unknown`, `partial`. */
  readonly state: string;
  readonly ms: number;
}

/**
 * Writes the line of one queued attempt (`route: "queue"`), through `redactor`.
 *
 * @example
 * writeAttemptLog({ message: id, vendor: "acme", attempt: 1, kind: "sent", delivery: "sent", attempts: 1, state: "sent", ms: 84 }, config.redactor);
 */
export function writeAttemptLog(line: AttemptLine, redactor?: Redactor): void {
  writeLine({ at: new Date(Date.now() - line.ms).toISOString(), route: "queue", ...line }, redactor);
}

function writeLine(fields: Record<string, unknown>, redactor: Redactor | undefined): void {
  const line = JSON.stringify(fields);
  console.log(redactor ? redactor.text(line) : line);
}
