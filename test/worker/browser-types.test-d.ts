/**
 * Type-level tests of the browser client, checked by `tsc -p worker` (part of `npm test`): the
 * worker's own actions type makes a wrong action name or variable a compile error.
 */
import { createBrowserClient, type ActionOutcome, type CancelOutcome, type MessageStatusOutcome } from "../../src/browser/index.ts";
import type { Actions } from "../../worker/actions.ts";

const mail = createBrowserClient<Actions>({ endpoint: "/v1/actions" });

export async function typeChecks(): Promise<ActionOutcome[]> {
  return [
    await mail.send("contact-form", {
      variables: { name: "Ada", replyTo: "ada@example.com", message: "Hello" },
      recipient: "support@example.com",
      turnstileToken: "token",
    }),
    await mail.send("order-shipped", { variables: { orderNumber: "A-1001" }, idToken: "jwt" }),
    // @ts-expect-error: no such action
    await mail.send("delete-account", { variables: {} }),
    // @ts-expect-error: a variable of another action
    await mail.send("order-shipped", { variables: { orderNumber: "A-1", name: "Ada" } }),
    // @ts-expect-error: a required variable is missing
    await mail.send("contact-form", { variables: { name: "Ada", replyTo: "ada@example.com" } }),
    // @ts-expect-error: a variable of the wrong type
    await mail.send("welcome", { variables: { firstName: 42 } }),
  ];
}

export function narrowsOnOk(outcome: ActionOutcome): string {
  if (outcome.ok) return outcome.kind;
  // Failures carry the worker's problem: kind, detail, retryable, delivery, issues.
  return `${outcome.kind} ${outcome.detail} ${outcome.retryable} ${outcome.delivery} ${outcome.issues?.length ?? 0}`;
}

/** A sandbox worker's sent answer says so, and the type lets a page show it. */
export function saysSandbox(outcome: ActionOutcome): boolean {
  return outcome.ok && outcome.kind === "sent" && outcome.sandbox === true;
}

/** A scheduled send takes a Date or an RFC 3339 string, and its cancel narrows to the state it was too late for. */
export async function schedulesAndCancels(): Promise<string> {
  const queued = await mail.send("welcome", { variables: { firstName: "Ada" }, idToken: "jwt", sendAt: new Date() });
  await mail.send("welcome", { variables: { firstName: "Ada" }, idToken: "jwt", sendAt: "2030-01-01T09:00:00Z" });
  // @ts-expect-error: a number of seconds is not a time
  await mail.send("welcome", { variables: { firstName: "Ada" }, idToken: "jwt", sendAt: 86_400 });
  if (!queued.ok || queued.kind !== "queued") return "not queued";
  const outcome: CancelOutcome = await mail.cancel(queued.id, { idToken: "jwt" });
  if (outcome.ok) return `${outcome.kind} ${outcome.id}`;
  return outcome.kind === "not_cancellable" ? outcome.state : outcome.detail;
}

/** A message's status narrows on `ok`: its state and history, or the refusal's detail; an id is a string. */
export async function readsStatus(): Promise<string> {
  const status: MessageStatusOutcome = await mail.messageStatus("5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90", { idToken: "jwt", signal: AbortSignal.timeout(5000) });
  // @ts-expect-error: an id is a string
  await mail.messageStatus(42);
  // @ts-expect-error: a refusal has no state
  if (!status.ok) return status.state;
  return `${status.state} after ${status.attempts} attempts, ${status.history.length} entries`;
}
