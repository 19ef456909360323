// The runtime smoke test's body: plain JavaScript that Node, Bun and Deno all run as is. It imports each
// vendor entry as built for publishing, sends one message to the local double named in its case, and
// prints one JSON line per case. Cases arrive as JSON in the first argument.
const cases = JSON.parse(globalThis.Deno?.args[0] ?? process.argv[2]);
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
for (const { vendor, entry, factory, options, message } of cases) {
  const module = await import(entry);
  const outcome = await module[factory](options).send(message, { timeoutMs: 10_000 });
  console.log(JSON.stringify({ runtime, vendor, ok: outcome.ok, kind: outcome.kind, status: outcome.status }));
}
