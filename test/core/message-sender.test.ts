/**
 * `sendMessage`'s converter is split off and loaded on first use (src/core/message-sender.ts, src/core/load-once.ts):
 * loaded once, then kept, so no send after the first goes through the module loader again; a load that failed is
 * an outcome, and the next send tries again.
 */
import { describe, expect, it } from "vitest";
import { loadOnce } from "../../src/core/load-once.js";
import type { MessageConverter } from "../../src/core/message.js";
import { templateMessageSender } from "../../src/core/message-sender.js";
import type { Outcome } from "../../src/core/outcome.js";
import { Redactor } from "../../src/core/redact.js";

type Native = { readonly template: number };
const converter: MessageConverter<Native> = (message) => ({ success: true, output: { native: { template: Number(message.template) }, origins: [] } });
const message = { template: 7, to: [{ address: "ada@example.com" }] } as const;

function sender(load: () => Promise<MessageConverter<Native>>) {
  const sent: Native[] = [];
  const send = async (native: Native): Promise<Outcome<unknown>> => {
    sent.push(native);
    return { ok: true, kind: "sent", vendor: "listmonk", status: 200, data: {}, ids: [], attempts: 1 } as unknown as Outcome<unknown>;
  };
  return { sent, sendMessage: templateMessageSender("listmonk", load, send, new Redactor()) };
}

describe("sendMessage's converter", () => {
  it("loads on the first sendMessage and is kept: later sends do not load it again", async () => {
    let loads = 0;
    const { sent, sendMessage } = sender(async () => {
      loads++;
      return converter;
    });
    expect(loads).toBe(0);
    for (let i = 0; i < 3; i++) expect((await sendMessage(message)).ok).toBe(true);
    expect(loads).toBe(1);
    expect(sent).toEqual([{ template: 7 }, { template: 7 }, { template: 7 }]);
  });

  it("loads once for sends that start together", async () => {
    let loads = 0;
    const { sendMessage } = sender(async () => {
      loads++;
      return converter;
    });
    const outcomes = await Promise.all([sendMessage(message), sendMessage(message), sendMessage(message)]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(loads).toBe(1);
  });

  it("makes a load that failed a not_sent outcome, and the next send loads again", async () => {
    let loads = 0;
    const { sent, sendMessage } = sender(async () => {
      if (++loads === 1) throw new TypeError("Failed to fetch dynamically imported module");
      return converter;
    });
    const failed = await sendMessage(message);
    expect(failed).toMatchObject({ ok: false, kind: "network", delivery: "not_sent", retryable: true, attempts: 0 });
    expect(sent).toEqual([]);
    expect((await sendMessage(message)).ok).toBe(true);
    expect((await sendMessage(message)).ok).toBe(true);
    expect(loads).toBe(2);
  });
});

describe("loadOnce", () => {
  it("hands every caller the one load, in flight or done", async () => {
    let loads = 0;
    const load = loadOnce(async () => ({ loaded: ++loads }));
    const first = load();
    expect(load()).toBe(first);
    const module = await first;
    expect(await load()).toBe(module);
    expect(loads).toBe(1);
  });
});
