/**
 * `GET /` on the local worker: the first page a newcomer opens after `npm start`, leading to the demo, the sandbox
 * outbox and the docs. Served only where the other local pages are (sandbox mode, a loopback host); a deployment's
 * `/` stays the package's one-line index.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The docs of this repository, listed on the page by their paths in the clone (a local worker has no files to
 * serve them from); test/docs/links.test.ts checks that each one exists.
 */
export const LOCAL_DOCS: readonly { readonly path: string; readonly title: string }[] = [
  { path: "README.md", title: "what txgate is, and one example of each way in" },
  { path: "docs/worker.md", title: "the worker: routes, the policy, the gates, deploying" },
  { path: "docs/operating.md", title: "operating it: a message's life end to end, delivery events, retries, health, logs" },
  { path: "docs/many-and-later.md", title: "many messages at once, and scheduled ones" },
  { path: "docs/library.md", title: "sending with the library: the catalogue, outcomes, options" },
  { path: "docs/vendors/README.md", title: "the vendors, and what each can carry" },
  { path: "docs/testing.md", title: "testing with txgate/testing" },
  { path: "docs/opentelemetry.md", title: "traces with txgate/opentelemetry" },
  { path: "docs/runtimes.md", title: "runtimes and packaging" },
  { path: "docs/benchmarks.md", title: "benchmarks" },
  { path: "docs/ARCHITECTURE.md", title: "how txgate is built" },
];

/**
 * The local index page.
 *
 * @example
 * if (pathname === "/") return homePage();
 */
export function homePage(): Response {
  const docs = LOCAL_DOCS.map((doc) => `<li><code>${doc.path}</code>: ${doc.title}</li>`).join("\n    ");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>txgate, running locally</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; padding: 0 1rem; color: #1d1d1f; }
  p, li { color: #333; }
  nav a { display: block; border: 1px solid #d0d0d5; border-radius: 8px; padding: .75rem 1rem; margin: .6rem 0; color: inherit; text-decoration: none; }
  nav a:hover { border-color: #1f5eff; }
  nav strong { color: #1f5eff; }
  pre { background: #f4f4f6; padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; font-size: .85rem; }
</style>
</head>
<body>
<h1>txgate, running locally</h1>
<p>This worker is in sandbox mode: no vendor has credentials, so every send goes to txgate's built-in sandbox, which
checks each request against the vendor's spec, answers as the vendor would and records the message. Nothing leaves
your machine.</p>
<nav>
  <a href="/demo"><strong>The demo</strong>: a contact form that sends through txgate's browser client, and shows what the worker did.</a>
  <a href="/sandbox"><strong>The outbox</strong>: every message the sandbox vendors received, and each queued message's state.</a>
</nav>
<h2>Send one from a terminal</h2>
<pre>curl -s localhost:8787/v1/send/listmonk -H 'authorization: Bearer txgate-local-sandbox' \\
  -H 'content-type: application/json' -d '{"template_id": 2, "subscriber_emails": ["ada@example.com"]}'</pre>
<p>The key <code>txgate-local-sandbox</code> works only here: in sandbox mode, on a loopback host.</p>
<h2>The docs</h2>
<p>In this repository:</p>
<ul>
    ${docs}
</ul>
</body>
</html>`;
  return new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": CSP, "x-content-type-options": "nosniff", "cache-control": "no-store" },
  });
}
