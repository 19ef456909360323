/**
 * Setup file of the worker suite: every response a test reads (through harness.ts) and every console line
 * (the worker's logs run in the tests' isolate) goes into a journal, and after each file the journal is
 * searched for every secret value the suite knows. One hit fails the file, naming the secret's index and where.
 */
import { afterAll } from "vitest";
import { env } from "cloudflare:workers";
import { TEST_SECRETS } from "./bindings.ts";

export interface JournalEntry {
  readonly source: string;
  readonly text: string;
}

/** What this file's tests saw: responses (status line, headers, body) and console lines. */
export const journal: JournalEntry[] = [];

// Wrapped by assignment, not vi.spyOn: tests call vi.restoreAllMocks() for their fetch fakes. The worker's
// request lines (console.log) are kept, not printed: a test that wants one reads `journal`.
for (const level of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    journal.push({ source: `console.${level}`, text: args.map((arg) => (typeof arg === "string" ? arg : safeJson(arg))).join(" ") });
    if (level !== "log") original(...args);
  };
}

/** Every secret of the suite, the JWT signing keys' private parts included. */
export function allSecrets(): string[] {
  const signing = JSON.parse((env as unknown as { TEST_JWT_SIGNING_KEYS: string }).TEST_JWT_SIGNING_KEYS) as { d: string }[];
  return [...TEST_SECRETS, ...signing.map((key) => key.d)];
}

/** The entries of `entries` that contain a secret, as `secret #i in <source>`. */
export function leaks(entries: readonly JournalEntry[]): string[] {
  const secrets = allSecrets();
  return entries.flatMap((entry) =>
    secrets.flatMap((secret, index) => (entry.text.includes(secret) ? [`secret #${index} in ${entry.source}: ${entry.text.slice(0, 200)}`] : [])),
  );
}

afterAll(() => {
  const found = leaks(journal);
  if (found.length) throw new Error(`secrets leaked into responses or logs:\n${found.join("\n")}`);
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
