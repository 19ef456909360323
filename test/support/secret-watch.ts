/**
 * Everything a caller can see of a client (outcomes, log entries, and what middleware sees of each request and
 * response) collected in one place, so a redaction test can search it all for every form of a secret.
 */
import type { Middleware } from "openapi-fetch";
import type { LogEntry, Outcome } from "../../src/core/public.ts";

export interface SecretWatch {
  /** For the client's `middleware`: records each request (with its body) and response it is shown. */
  readonly middleware: Middleware;
  /** For the client's `logger`. */
  readonly logger: (entry: LogEntry) => void;
  readonly seen: unknown[];
  readonly logs: LogEntry[];
  readonly hookViews: string[];
  /** Awaits a send and keeps its outcome. */
  record<T>(outcome: Promise<Outcome<T>>): Promise<Outcome<T>>;
}

export function watchForSecrets(): SecretWatch {
  const seen: unknown[] = [];
  const logs: LogEntry[] = [];
  const hookViews: string[] = [];
  return {
    middleware: {
      async onRequest({ request }) {
        hookViews.push(`${request.method} ${request.url} ${JSON.stringify([...request.headers])} ${await request.clone().text()}`);
      },
      async onResponse({ request, response }) {
        hookViews.push(`${JSON.stringify([...request.headers])} ${response.status}`);
      },
    },
    logger: (entry) => logs.push(entry),
    seen,
    logs,
    hookViews,
    async record(outcome) {
      const settled = await outcome;
      seen.push(settled);
      return settled;
    },
  };
}
