/**
 * A contact form that sends through the Worker in ../worker: the page names an action and its variables, nothing
 * else (no vendor, no sender, no credential). The action types come from the Worker's actions as a type-only
 * import, so a wrong action or variable fails to compile and no Worker code reaches the bundle.
 */
import { createBrowserClient } from "txgate/browser";
import type { Actions } from "../../worker/src/actions.ts";

/** Where the Worker runs: `npm start` in ../worker serves it here. */
const WORKER_ORIGIN = "http://localhost:8787";

const mail = createBrowserClient<Actions>({ endpoint: `${WORKER_ORIGIN}/v1/actions` });

const form = document.querySelector<HTMLFormElement>("form#contact")!;
const status = document.querySelector<HTMLOutputElement>("output#status")!;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? "");
  const outcome = await mail.send("contact-form", {
    variables: { name: text("name"), replyTo: text("replyTo"), message: text("message") },
    // Turnstile's widget puts its token in this field; on localhost the Worker's sandbox takes the dummy token.
    turnstileToken: text("cf-turnstile-response") || "XXXX.DUMMY.TOKEN.XXXX",
  });
  if (outcome.ok) {
    status.textContent = outcome.kind === "queued" ? "Queued: it will be sent shortly." : "Sent. Thank you!";
    form.reset();
    return;
  }
  // Each issue names the field it is about, in the action's own words (`variables.replyTo`).
  status.textContent = [outcome.detail, ...(outcome.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`)].join("\n");
});
