/**
 * `GET /sandbox`: the messages the sandbox vendors received, newest first. Everything shown came from a caller,
 * so every value is escaped; an HTML body is shown rendered, but inside a sandboxed `<iframe srcdoc>` (no
 * scripts, no same-origin access) under a page CSP that lets nothing load.
 */
import type { Env } from "../env.ts";
import type { MessageView } from "../delivery/message-state.ts";
import { recentlyQueued } from "../delivery/recent.ts";
import type { RecordedMessage } from "./outbox.ts";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The outbox page for `messages`.
 *
 * @example
 * return outboxPage(outbox.list());
 */
export function outboxPage(messages: readonly RecordedMessage[], queued: readonly MessageView[] = []): Response {
  const body = messages.length
    ? messages.map(messageCard).join("\n")
    : `<p class="empty">No messages yet. Send one with <code>POST /v1/actions</code> or <code>POST /v1/send/&lt;vendor&gt;</code>.</p>`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>txgate sandbox outbox</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
  header p { color: #555; }
  article { border: 1px solid #d0d0d5; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
  article.refused { border-color: #d33; background: #fff6f6; }
  h2 { font-size: 1rem; margin: 0 0 .5rem; }
  .badge { display: inline-block; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; background: #e8e8ed; margin-right: .4rem; }
  .refused .badge.status { background: #f5c6c6; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
  dt { color: #555; }
  dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  table { border-collapse: collapse; margin: .5rem 0; }
  td, th { border: 1px solid #e0e0e5; padding: .2rem .5rem; text-align: left; vertical-align: top; white-space: pre-wrap; overflow-wrap: anywhere; }
  iframe { width: 100%; min-height: 12rem; border: 1px solid #e0e0e5; border-radius: 4px; background: #fff; }
  .empty { color: #555; }
</style>
</head>
<body>
<header>
  <h1>Sandbox outbox</h1>
  <p>No vendor credentials are configured, so every send goes to txgate's built-in sandbox, which checks each request
  against the vendor's spec and answers as the vendor documents. ${messages.length} message(s) in this worker's memory.
  <a href="/sandbox">Refresh</a> · <a href="/sandbox/messages">JSON</a></p>
</header>
<main>
${queuedSection(queued)}
${body}
</main>
</body>
</html>`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}

/**
 * The states of the messages this isolate queued lately, newest first.
 *
 * @example
 * return outboxPage(outbox.list(), await queuedViews(env));
 */
export async function queuedViews(env: Env): Promise<MessageView[]> {
  const namespace = env.MESSAGES;
  if (!namespace) return [];
  const views = await Promise.all(recentlyQueued().map((id) => (namespace.get(namespace.idFromName(id)).peek() as Promise<MessageView | undefined>).catch(() => undefined)));
  return views.filter((view): view is MessageView => view !== undefined);
}

function messageCard(message: RecordedMessage): string {
  const rows: [string, string | undefined][] = [
    ["Template", message.template === undefined ? undefined : String(message.template)],
    ["From", message.from],
    ["To", message.to.join(", ")],
    ["Cc", message.cc?.length ? message.cc.join(", ") : undefined],
    ["Bcc", message.bcc?.length ? message.bcc.join(", ") : undefined],
    ["Subject", message.subject],
    ["Refused", message.refusal],
    ["Spec", message.specViolations.length ? message.specViolations.join("\n") : undefined],
  ];
  const data = Object.entries(message.data ?? {});
  const attachments = message.attachments ?? [];
  return `<article class="${message.accepted ? "accepted" : "refused"}">
  <h2><span class="badge">${escape(message.vendor)}</span><span class="badge status">${message.status}</span>${escape(message.at)}</h2>
  <dl>${rows
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([name, value]) => `<dt>${name}</dt><dd>${escape(value!)}</dd>`)
    .join("")}</dl>
  ${data.length ? `<table><thead><tr><th>Variable</th><th>Value</th></tr></thead><tbody>${data.map(([name, value]) => `<tr><td>${escape(name)}</td><td>${escape(typeof value === "string" ? value : JSON.stringify(value))}</td></tr>`).join("")}</tbody></table>` : ""}
  ${attachments.length ? `<p>Attachments: ${attachments.map((file) => escape(`${file.name}${file.type ? ` (${file.type})` : ""}${file.bytes === undefined ? "" : `, ${file.bytes} bytes`}${file.path ? ` from ${file.path}` : ""}`)).join("; ")}</p>` : ""}
  ${message.html === undefined ? "" : `<iframe sandbox title="HTML body" srcdoc="${escape(message.html)}"></iframe>`}
  ${message.text === undefined ? "" : `<dl><dt>Text</dt><dd>${escape(message.text)}</dd></dl>`}
</article>`;
}

/**
 * The messages queued with `Prefer: respond-async`, each with its state, its time if it is scheduled, and its
 * history: watch one retry after `POST /sandbox/failures {"status": 429, "retryAfter": 30}`, a scheduled one
 * wait, a cancelled one stay unsent.
 */
function queuedSection(queued: readonly MessageView[]): string {
  if (!queued.length) return "";
  const rows = queued
    .map((message) => {
      const history = message.history
        .map((entry) => `${entry.at.slice(11, 19)} ${entry.state}${entry.attempt ? ` #${entry.attempt}` : ""}${entry.outcome?.kind ? ` (${String(entry.outcome.kind)})` : ""}${entry.note ? ` ${entry.note}` : ""}`)
        .join("\n");
      // After the vendor took it: what it reported (a sandbox vendor that posts events reports on every email it takes).
      const events = (message.events ?? []).map((event) => `${event.at.slice(11, 19)} ${event.kind}${event.bounce ? ` (${event.bounce})` : ""}`).join("\n");
      const delivery = message.delivery ? `<span class="badge">${escape(message.delivery.state)}</span>${events ? `\n${escape(events)}` : ""}` : "";
      return `<tr class="state-${escape(message.state)}"><td><code>${escape(message.id)}</code></td><td>${escape(message.vendor)}</td><td><span class="badge">${escape(message.state)}</span></td><td>${message.sendAt ? escape(message.sendAt) : "now"}</td><td>${message.attempts}</td><td>${escape(history)}</td><td>${delivery}</td></tr>`;
    })
    .join("");
  return `<section><h2>Queued messages</h2><p>Sent with <code>Prefer: respond-async</code>; each one's state lives in its Durable Object (<code>GET /v1/messages/{id}</code>). A <code>Send-At</code> header (or an action's <code>sendAt</code>) makes one <em>scheduled</em> until its time; <code>DELETE /v1/messages/{id}</code> makes one that has not started <em>cancelled</em>, and nothing is sent. Make the sandbox answer 429, 500 or 503 with <code>POST /sandbox/failures</code> to watch a retry. Once sent, a vendor that posts delivery events reports on it (<code>POST /v1/events/{vendor}</code>): its sandbox fake bounces <code>bounced@example.com</code>, opens <code>opened@example.com</code> and delivers any other address.</p>
<table><thead><tr><th>Id</th><th>Vendor</th><th>State</th><th>Send at</th><th>Attempts</th><th>History</th><th>Delivery events</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Text for HTML content and double-quoted attributes alike. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
