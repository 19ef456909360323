/**
 * `GET /demo`: a contact form that sends the `contact-form` action through txgate's real browser client, so a
 * person can watch the worker accept a message (and see what the sandbox recorded) or refuse one (a recipient
 * outside the rule, a bad field). Three files: the page, its script, and the browser client as built for npm.
 * The page's CSP lets scripts come from this worker only and lets them call this worker only.
 */
import { actions } from "../actions.ts";
import { Refusal } from "../../src/worker/problem.ts";
import { browserClientSource } from "./demo-client.ts";
import { DEMO_SCRIPT } from "./demo-script.ts";
import { escape } from "../../src/worker/local/outbox-page.ts";

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** An address outside the contact form's allow-list, offered so a person can see the worker refuse it. */
export const DEMO_FORBIDDEN_RECIPIENT = "ceo@example.com";

/**
 * The demo's page or one of its scripts; `not_found` for any other path under `/demo`.
 *
 * @example
 * if (pathname === "/demo" || pathname.startsWith("/demo/")) return serveDemo(pathname);
 */
export function serveDemo(pathname: string): Response {
  if (pathname === "/demo") return answer(demoPage(), "text/html; charset=utf-8", { "content-security-policy": CSP });
  if (pathname === "/demo/demo.js") return answer(DEMO_SCRIPT, "text/javascript; charset=utf-8");
  if (pathname === "/demo/txgate-browser.js") return answer(browserClientSource, "text/javascript; charset=utf-8");
  throw new Refusal("not_found", "no such demo file");
}

function answer(body: string, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers: { "content-type": contentType, "x-content-type-options": "nosniff", "cache-control": "no-store", ...headers } });
}

function demoPage(): string {
  const action = actions["contact-form"];
  const allowed = action.recipient.kind === "allow" ? action.recipient.addresses : [];
  const options = [
    ...allowed.map((address) => `<option value="${escape(address)}" data-allowed>${escape(address)}</option>`),
    `<option value="${DEMO_FORBIDDEN_RECIPIENT}">${DEMO_FORBIDDEN_RECIPIENT} (not on the allow-list)</option>`,
  ].join("\n      ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>txgate demo: contact form</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; padding: 0 1rem; color: #1d1d1f; }
  header p, .hint, .technical { color: #555; }
  form { display: grid; gap: .35rem; margin: 1.5rem 0; }
  label { font-weight: 600; margin-top: .6rem; }
  input, select, textarea { font: inherit; padding: .45rem .6rem; border: 1px solid #b8b8c0; border-radius: 6px; }
  textarea { min-height: 6rem; resize: vertical; }
  [aria-invalid="true"] { border-color: #c62828; outline: 1px solid #c62828; }
  .issue { color: #b71c1c; margin: 0; font-size: .9rem; }
  .issue::before { content: "⚠ "; }
  button { justify-self: start; margin-top: 1rem; font: inherit; font-weight: 600; padding: .5rem 1.4rem; border: 0; border-radius: 6px; background: #1f5eff; color: #fff; cursor: pointer; }
  button:disabled { opacity: .6; cursor: progress; }
  #result { border-radius: 8px; padding: .25rem 1.25rem 1rem; margin: 1rem 0; border: 1px solid #d0d0d5; }
  #result.sent { border-color: #2e7d32; background: #f3faf3; }
  #result.refused { border-color: #c62828; background: #fff5f5; }
  #result h2 { font-size: 1.15rem; margin: .9rem 0 .3rem; }
  #result.sent h2 { color: #1b5e20; }
  #result.refused h2 { color: #b71c1c; }
  figure { margin: 1rem 0; padding: .75rem 1rem; background: #fff; border: 1px solid #e0e0e5; border-radius: 6px; }
  figcaption { font-weight: 600; margin-bottom: .4rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .5rem; }
  dt { color: #555; }
  dd { margin: 0; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; }
  caption { text-align: left; color: #555; padding: .3rem 0; }
  td, th { border: 1px solid #e0e0e5; padding: .2rem .5rem; text-align: left; vertical-align: top; white-space: pre-wrap; overflow-wrap: anywhere; }
  code { font-size: .9em; }
</style>
<script type="module" src="/demo/demo.js"></script>
</head>
<body>
<header>
  <h1>Contact us</h1>
  <p>A txgate demo, served by your local worker in sandbox mode. The form sends the <code>contact-form</code> action
  with txgate's browser client to <code>POST /v1/actions</code>; the worker checks the page's origin, the Turnstile
  token, the recipient rule and the fields, then hands the email to the sandbox Everlytic, which records it instead
  of delivering it. Nothing leaves your machine. Pick <code>${DEMO_FORBIDDEN_RECIPIENT}</code> to see a refusal.</p>
</header>
<main>
  <form id="contact" novalidate>
    <label for="name">Your name</label>
    <input id="name" name="name" autocomplete="name" maxlength="200">
    <p class="issue" data-issue-for="name" hidden></p>
    <label for="replyTo">Your email</label>
    <input id="replyTo" name="replyTo" type="email" autocomplete="email">
    <p class="issue" data-issue-for="replyTo" hidden></p>
    <label for="message">Message</label>
    <textarea id="message" name="message"></textarea>
    <p class="issue" data-issue-for="message" hidden></p>
    <label for="recipient">Send to</label>
    <select id="recipient" name="recipient">
      ${options}
    </select>
    <p class="issue" data-issue-for="recipient" hidden></p>
    <button type="submit">Send</button>
  </form>
  <section id="result" aria-live="polite" hidden></section>
  <p class="hint">Every message the sandbox received: <a href="/sandbox">the sandbox outbox</a>.</p>
</main>
</body>
</html>`;
}
