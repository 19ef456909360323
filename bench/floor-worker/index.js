// The floor for the queued path (bench/queued-sends.mjs): the least a queued send can do on Workers. Per request,
// one Durable Object (one per message, as txgate's MessageObject) writes one row, then one queue.send, then a 202
// with the id; the consumer acknowledges each message and does nothing else. GET /count says how many the
// consumer has seen and when the first and last arrived.
import { DurableObject } from "cloudflare:workers";

export class FloorMessage extends DurableObject {
  accept(id, body) {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, body TEXT)");
    this.ctx.storage.sql.exec("INSERT INTO message (id, body) VALUES (?, ?)", id, body);
  }
}

let consumed = { count: 0, first: 0, last: 0 };

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/count") return Response.json(consumed);
    if (pathname !== "/accept" || request.method !== "POST") return new Response("ok");
    const body = await request.text();
    const id = crypto.randomUUID();
    await env.MESSAGES.get(env.MESSAGES.idFromName(id)).accept(id, body);
    await env.QUEUE.send({ id }, { contentType: "json" });
    return Response.json({ ok: true, id }, { status: 202 });
  },
  async queue(batch) {
    for (const message of batch.messages) {
      const now = Date.now();
      consumed = { count: consumed.count + 1, first: consumed.first || now, last: now };
      message.ack();
    }
  },
};
