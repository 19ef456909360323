// One client in one process (bench/send-cpu.mjs starts it, pinned to its core): `capture` sends once and prints the
// request the mock vendor received; `measure` sends WARMUP times, then SENDS times, and prints the process's CPU
// µs per send (user + system, so the garbage a client makes is charged to it and to nothing else). Copied into the
// bench's scratch project, where `txgate/*` and the peers resolve as they do for a user.
import { peers, vendors } from "./send-cpu-cases.mjs";

const { mode, client, vendor, port, request, warmup, sends } = JSON.parse(process.argv[2]);
const baseUrl = `http://127.0.0.1:${port}`;

/** Headers the runtime's HTTP client adds by itself: a hand-written fetch does not spell them out. */
const TRANSPORT_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "user-agent", "accept-encoding", "accept-language", "sec-fetch-mode", "keep-alive"]);

async function sender() {
  if (client === "peer") return peers[vendor].send(baseUrl);
  if (client === "fetch") {
    // The hand-written fetch of the identical request: the body built per send (JSON.stringify of the object, as
    // code would write it; XML as the text itself), the answer read and checked.
    const url = `${baseUrl}${request.path}`;
    const { method, headers } = request;
    const json = /json/.test(headers["content-type"] ?? "");
    const body = json ? JSON.parse(request.body) : request.body;
    return async () => {
      const response = await fetch(url, { method, headers, body: json ? JSON.stringify(body) : body });
      const answer = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
      if (!response.ok) throw new Error(`fetch: ${response.status} ${JSON.stringify(answer)}`);
    };
  }
  if (client === "openapi-fetch") {
    const { default: createClient } = await import("openapi-fetch");
    const openapi = createClient({ baseUrl });
    const json = /json/.test(request.headers["content-type"] ?? "");
    const body = json ? JSON.parse(request.body) : request.body;
    const init = { body, headers: request.headers, ...(json ? {} : { bodySerializer: (text) => text, parseAs: "text" }) };
    return async () => {
      const { response } = await openapi.POST(request.path, init);
      if (!response.ok) throw new Error(`openapi-fetch: ${response.status}`);
    };
  }
  // txgate: `send`, `sendMessage` or a catalogue's `send`, from the published entry.
  const cases = vendors[vendor];
  const entry = await import(cases.entry);
  const txgate = cases.create(entry, baseUrl);
  const check = (outcome) => {
    if (!outcome.ok) throw new Error(`${vendor} ${client}: ${outcome.kind} ${outcome.message}`);
  };
  if (client === "send") return async () => check(await txgate.send(cases.send));
  if (client === "sendMessage") return async () => check(await txgate.sendMessage(cases.message));
  const v = await import("valibot");
  const { createMailer, defineCatalogue } = await import("txgate/catalogue");
  const mail = createMailer(defineCatalogue({ bench: { variables: cases.variables(v), via: [cases.route] } }), { [vendor]: txgate });
  const { template, data, ...rest } = cases.message;
  const message = { ...rest, data, byVendor: cases.byVendor };
  for (const key of Object.keys(cases.route.message ?? {})) delete message[key];
  for (const key of Object.keys(cases.byVendor?.[vendor] ?? {})) delete message[key];
  return async () => check(await mail.send("bench", message));
}

const send = await sender();
if (mode === "capture") {
  await send();
  const last = await (await fetch(`${baseUrl}/__last`)).json();
  const headers = Object.fromEntries(Object.entries(last.headers).filter(([name, value]) => !TRANSPORT_HEADERS.has(name) && !(name === "accept" && value === "*/*")));
  console.log(JSON.stringify({ method: last.method, path: last.path, headers, body: last.body }));
} else {
  for (let i = 0; i < warmup; i++) await send();
  const start = process.cpuUsage();
  for (let i = 0; i < sends; i++) await send();
  const used = process.cpuUsage(start);
  console.log(JSON.stringify({ micros: (used.user + used.system) / sends }));
}
