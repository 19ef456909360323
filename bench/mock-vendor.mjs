// The four vendors' success answers on 127.0.0.1, in a process of its own so the client's CPU time is the
// client's alone. Prints its port on the first line; ends when its parent closes stdin.
import { createServer } from "node:http";

const json = (body) => ({ status: 200, type: "application/json", body: JSON.stringify(body) });
const answers = [
  [/^\/api\/tx$/, json({ data: true })],
  [/^\/transactional\/email\/v1\/mail$/, json({ transactions: [{ id: "8faa62ec-6c01-4020-8322-933a8q046d9e" }] })],
  [/^\/token$/, json({ access_token: "bench-access", refresh_token: "bench-refresh", scope: "PRODUCTION", token_type: "Bearer", expires_in: 3600 })],
  [/^\/ete\/v1\/email\//, json({ success: true, message: "Email sent successfully" })],
  [/^\/v2\/Api\/SystemTransactionals\//, { status: 201, type: "text/xml", body: "" }],
];

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const path = new URL(request.url, "http://x").pathname;
    const answer = answers.find(([pattern]) => pattern.test(path))?.[1] ?? { status: 404, type: "text/plain", body: "not found" };
    response.writeHead(answer.status, { "content-type": answer.type, "content-length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
