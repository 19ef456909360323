// The vendors' success answers on 127.0.0.1 (txgate's four, and Resend's and Postmark's for the peers), in a
// process of its own (pinned to its own core by the bench) so the client's CPU time is the client's alone. Prints
// its port on the first line; ends when its parent closes stdin. GET /__last answers the last request it was sent
// (method, path, headers, body): how the bench learns what each client puts on the wire.
import { createServer } from "node:http";

const json = (body) => ({ status: 200, type: "application/json", body: JSON.stringify(body) });
const answers = [
  [/^\/api\/tx$/, json({ data: true })],
  [/^\/transactional\/email\/v1\/mail$/, json({ transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] })],
  [/^\/token$/, json({ access_token: "bench-access", refresh_token: "bench-refresh", scope: "PRODUCTION", token_type: "Bearer", expires_in: 3600 })],
  [/^\/ete\/v1\/email\//, json({ success: true, message: "Email sent successfully" })],
  [/^\/v2\/Api\/SystemTransactionals\//, { status: 201, type: "text/xml", body: "" }],
  [/^\/emails$/, json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" })],
  [/^\/email$/, json({ To: "ada@example.com", SubmittedAt: "2026-12-06T10:00:00Z", MessageID: "b7bc2f4a-e38e-4336-af7d-e6c392c2f817", ErrorCode: 0, Message: "OK" })],
];

let last;
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const path = new URL(request.url, "http://x").pathname;
    if (path === "/__last") {
      response.writeHead(200, { "content-type": "application/json" });
      return response.end(JSON.stringify(last ?? null));
    }
    last = { method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
    const answer = answers.find(([pattern]) => pattern.test(path))?.[1] ?? { status: 404, type: "text/plain", body: "not found" };
    response.writeHead(answer.status, { "content-type": answer.type, "content-length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
