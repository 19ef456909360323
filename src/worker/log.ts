/**
 * One structured JSON line per request (`console.log`), written when the response is ready. It holds what an
 * operator needs (route, status, problem kind, action, vendor, caller id, outcome, time) and never a header,
 * body, query string or secret: the whole line also goes through the redactor that knows every secret value.
 */
import type { Redactor } from "../core/redact.ts";

export class RequestLog {
  readonly #started = Date.now();
  readonly #fields: Record<string, unknown>;
  redactor?: Redactor;

  constructor(request: Request) {
    const { pathname } = new URL(request.url);
    this.#fields = { method: request.method.slice(0, 10), path: pathname.slice(0, 100) };
  }

  /** Adds fields to the line (action, vendor, caller, kind, error, ...). */
  set(fields: Record<string, unknown>): void {
    Object.assign(this.#fields, fields);
  }

  /** Writes the line for `response`. */
  write(response: Response): void {
    const line = JSON.stringify({ at: new Date(this.#started).toISOString(), ...this.#fields, status: response.status, ms: Date.now() - this.#started });
    console.log(this.redactor ? this.redactor.text(line) : line);
  }
}
