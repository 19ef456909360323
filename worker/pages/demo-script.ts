/**
 * The demo page's own script, served at `/demo/demo.js` (the page's CSP allows scripts from this worker only,
 * so nothing is inline). It sends the form with txgate's real browser client and tells the person, in plain
 * words, what the worker answered; after a send it shows the message the sandbox recorded. Every value is put
 * into the page as text (`textContent`), never as HTML.
 */
export const DEMO_SCRIPT = String.raw`import { createBrowserClient } from "/demo/txgate-browser.js";

// In production the Turnstile widget hands out a fresh token per form; the local worker, in sandbox mode,
// accepts Cloudflare's dummy token instead (what the test sitekey 1x00000000000000000000AA hands out).
const TURNSTILE_DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
const SEND_TIMEOUT_MS = 15000;

const mail = createBrowserClient({ endpoint: "/v1/actions" });
const form = document.getElementById("contact");
const result = document.getElementById("result");
const button = form.querySelector("button[type=submit]");
const allowed = [...form.recipient.options].filter((option) => "allowed" in option.dataset).map((option) => option.value);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearIssues();
  button.disabled = true;
  show("pending", [el("p", "Sending…")]);
  const fields = new FormData(form);
  const recipient = String(fields.get("recipient"));
  try {
    const outcome = await mail.send("contact-form", {
      variables: { name: String(fields.get("name")), replyTo: String(fields.get("replyTo")), message: String(fields.get("message")) },
      recipient,
      turnstileToken: TURNSTILE_DUMMY_TOKEN,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (outcome.ok) await showSent();
    else showRefusal(outcome, recipient);
  } finally {
    button.disabled = false;
  }
});

/** Success: the worker's answer, then the newest message in the sandbox's outbox. */
async function showSent() {
  const parts = [el("h2", "Sent"), el("p", "The worker accepted the form and handed the email to the sandbox, which recorded it instead of delivering it.")];
  const answer = await fetch("/sandbox/messages", { cache: "no-store" }).catch(() => undefined);
  const message = answer?.ok ? (await answer.json()).messages?.[0] : undefined;
  if (message) parts.push(recordedMessage(message));
  else parts.push(el("p", "The sandbox outbox could not be read just now; open it below."));
  const link = el("a", "Open the sandbox outbox");
  link.href = "/sandbox";
  parts.push(el("p", link));
  show("sent", parts);
}

function recordedMessage(message) {
  const figure = el("figure", el("figcaption", "Recorded by the sandbox"));
  const rows = [
    ["Vendor", message.vendor],
    ["Template", message.template === undefined ? undefined : String(message.template)],
    ["From", message.from],
    ["To", (message.to ?? []).join(", ")],
    ["Subject", message.subject],
    ["Recorded at", message.at],
  ];
  const list = el("dl");
  for (const [name, value] of rows) if (value) list.append(el("dt", name), el("dd", value));
  figure.append(list);
  const variables = Object.entries(message.data ?? {});
  if (variables.length) {
    const body = el("tbody");
    for (const [name, value] of variables) body.append(el("tr", el("td", name), el("td", typeof value === "string" ? value : JSON.stringify(value))));
    figure.append(el("table", el("caption", "Variables"), el("thead", el("tr", el("th", "Name"), el("th", "Value"))), body));
  }
  return figure;
}

/** A refusal or failure: what happened in plain words, what to do, then the worker's own words, small. */
function showRefusal(outcome, recipient) {
  const [headline, advice] = explain(outcome, recipient);
  const parts = [el("h2", headline)];
  if (advice) parts.push(el("p", advice));
  parts.push(el("p", deliveryWords(outcome.delivery)));
  const unplaced = placeIssues(outcome.issues ?? []);
  if (unplaced.length) parts.push(el("ul", ...unplaced.map((issue) => el("li", (issue.path ? issue.path + ": " : "") + issue.message))));
  const technical = el("p", el("small", "The worker answered " + outcome.status + " " + outcome.kind + ": " + outcome.detail));
  technical.className = "technical";
  parts.push(technical);
  show("refused", parts);
}

function explain(outcome, recipient) {
  switch (outcome.kind) {
    case "forbidden_recipient":
      return ["This recipient is not allowed.", "This form sends only to " + allowed.join(" or ") + ". The worker refused " + recipient + " before any email was made."];
    case "validation":
      return ["Some fields need attention.", "The worker checked the form against the action's rules; the notes beside the fields say what to change."];
    case "unauthenticated":
      return ["The human check did not pass.", "The Turnstile token was missing, expired or already used. Reload the page and try again."];
    case "rate_limited":
      return ["Too many messages from your address.", "Try again in " + (outcome.retryAfter ?? 60) + " seconds."];
    case "forbidden_origin":
      return ["This page may not send through the worker.", "Its address, " + location.origin + ", is not in the worker's ALLOWED_ORIGINS (npm start allows http://localhost:8787 and http://127.0.0.1:8787)."];
    case "payload_too_large":
      return ["The message is too long.", "Shorten it and send again."];
    case "network":
      return ["The worker could not be reached.", "Check that it is running (npm start), then try again."];
    case "aborted":
      return ["The worker did not answer in time.", "Try again in a moment."];
    default:
      return ["The email was not sent.", outcome.title];
  }
}

function deliveryWords(delivery) {
  if (delivery === "not_sent") return "Nothing was sent.";
  if (delivery === "partial") return "Some recipients may have received it; check the sandbox outbox before sending again.";
  return "It is not known whether the email went out; check the sandbox outbox before sending again.";
}

/** The worker names the rule a field broke; these say it to a person. Other rules keep the worker's message. */
const ISSUE_WORDS = {
  required: "Fill this in.",
  min_length: "Fill this in.",
  max_length: "This is too long.",
  email: "Enter an email address, like ada@example.com.",
  no_markup: "Use plain text: no HTML tags.",
  no_line_breaks: "Keep this on one line.",
  no_control_characters: "Remove the invisible control characters.",
};

/** Puts each issue beside the field it names (variables.replyTo → the replyTo field); returns the rest. */
function placeIssues(issues) {
  const unplaced = [];
  for (const issue of issues) {
    const name = String(issue.path ?? "").replace(/^variables\./, "").split(".")[0];
    const note = name ? form.querySelector('[data-issue-for="' + CSS.escape(name) + '"]') : null;
    if (!note) {
      unplaced.push(issue);
      continue;
    }
    const words = ISSUE_WORDS[issue.rule] ?? issue.message;
    note.textContent = note.textContent ? note.textContent + " " + words : words;
    note.hidden = false;
    form.elements[name]?.setAttribute("aria-invalid", "true");
  }
  return unplaced;
}

function clearIssues() {
  for (const note of form.querySelectorAll("[data-issue-for]")) {
    note.textContent = "";
    note.hidden = true;
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
}

function show(state, parts) {
  result.className = state;
  result.setAttribute("role", state === "refused" ? "alert" : "status");
  result.replaceChildren(...parts);
  result.hidden = false;
}

/** An element holding text or other elements; text is always text, never markup. */
function el(tag, ...children) {
  const element = document.createElement(tag);
  for (const child of children) {
    if (typeof child === "string") element.append(document.createTextNode(child));
    else element.append(child);
  }
  return element;
}
`;
