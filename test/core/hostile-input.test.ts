/**
 * Hostile input through the four real clients, against their doubles: a send never rejects, whatever reading
 * the input does; bad input is a validation outcome naming the field and the rule, and nothing is sent; what is
 * sent is exactly what was checked, keys named `constructor` and `prototype` included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActOnClient, type ActOnMessage } from "../../src/acton/index.js";
import type { Outcome } from "../../src/core/outcome.js";
import { createEverlyticClient, type EverlyticMessage } from "../../src/everlytic/index.js";
import { createExpertSenderClient, type ExpertSenderMessage } from "../../src/expertsender/index.js";
import { createListmonkClient, type ListmonkMessage } from "../../src/listmonk/index.js";
import { memoryTokenStore } from "../../src/acton/tokens.js";
import { ACTON_ACCOUNT, ACTON_CREDENTIALS, startActOnDouble, type ActOnDouble } from "../acton/double.js";
import { EVERLYTIC_API_KEY, EVERLYTIC_USER, startEverlyticDouble, type EverlyticDouble } from "../everlytic/double.js";
import { EXPERTSENDER_API_KEY, startExpertSenderDouble, type ExpertSenderDouble } from "../expertsender/double.js";
import { LISTMONK_TOKEN, LISTMONK_USER, startListmonkDouble, type ListmonkDouble } from "../listmonk/double.js";

let listmonk: ListmonkDouble;
let acton: ActOnDouble;
let everlytic: EverlyticDouble;
let expertsender: ExpertSenderDouble;
beforeAll(async () => {
  [listmonk, acton, everlytic, expertsender] = await Promise.all([
    startListmonkDouble(),
    startActOnDouble(),
    startEverlyticDouble(),
    startExpertSenderDouble({ transactionals: { 123: "active" } }),
  ]);
});
afterAll(async () => {
  for (const double of [listmonk, acton, everlytic, expertsender]) expect(double.specViolations).toEqual([]);
  await Promise.all([listmonk, acton, everlytic, expertsender].map((double) => double.close()));
});

const clients = {
  listmonk: () => createListmonkClient({ baseUrl: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN }),
  acton: () =>
    createActOnClient({ baseUrl: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS, tokenStore: memoryTokenStore() }),
  everlytic: () => createEverlyticClient({ baseUrl: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY }),
  expertsender: () => createExpertSenderClient({ baseUrl: expertsender.url, apiKey: EXPERTSENDER_API_KEY }),
};
type Vendor = keyof typeof clients;
const send = (vendor: Vendor, message: unknown, call?: unknown): Promise<Outcome<unknown>> => clients[vendor]().send(message as never, call as never);
const requestCount = () => listmonk.requests.length + acton.requests.length + everlytic.requests.length + expertsender.requests.length;

const valid: Record<Vendor, Record<string, unknown>> = {
  listmonk: { subscriber_emails: ["ada@example.com"], template_id: 2 },
  acton: {
    templateId: "t-plain",
    envelope: { toAddress: "jane.doe@example.com" },
    metadata: { transactional: false, externalId: "order-1001" },
    actions: { trackOpens: false, trackClicks: false },
  },
  everlytic: { body: { html: "<p>Hi</p>" }, headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] } },
  expertsender: { transactionalId: 123, Receiver: { Email: "patrick@example.com" } },
};

/** `path rule` of every issue, or the outcome's kind when it is not a validation outcome. */
async function refusal(vendor: Vendor, message: unknown, call?: unknown): Promise<string[]> {
  const before = requestCount();
  const outcome = await send(vendor, message, call);
  expect(requestCount() - before).toBe(0);
  if (outcome.ok || outcome.kind !== "validation") return [outcome.kind];
  expect(outcome).toMatchObject({ delivery: "not_sent", retryable: false, attempts: 0 });
  return outcome.issues.map((issue) => `${issue.path} ${issue.rule}`);
}

const vendors = Object.keys(clients) as Vendor[];

describe("a send never rejects when reading the input throws (rule unreadable_input)", () => {
  const throwing = (vendor: Vendor) =>
    Object.defineProperty({ ...valid[vendor] }, Object.keys(valid[vendor])[0]!, {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const trapping = (vendor: Vendor) =>
    new Proxy(valid[vendor], {
      get() {
        throw new Error("trap");
      },
    });

  it.each(vendors)("%s: a throwing getter", async (vendor) => {
    expect(await refusal(vendor, throwing(vendor))).toEqual([" unreadable_input"]);
  });
  it.each(vendors)("%s: a revoked Proxy", async (vendor) => {
    expect(await refusal(vendor, revoked())).toEqual([" unreadable_input"]);
  });
  it.each(vendors)("%s: a Proxy whose get trap throws", async (vendor) => {
    expect(await refusal(vendor, trapping(vendor))).toEqual([" unreadable_input"]);
  });
  it("a throwing getter deep in listmonk's data is blamed on its own path", async () => {
    const data = Object.defineProperty({}, "total", { enumerable: true, get: () => { throw new Error("getter"); } });
    expect(await refusal("listmonk", { ...valid.listmonk, data })).toEqual(["data.total unreadable_input"]);
  });
});

describe("a send never rejects when its options are not what the types say (issues at (call))", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwingSignal = Object.defineProperty({}, "signal", { enumerable: true, get: () => { throw new Error("getter"); } });
  it.each<[string, unknown, string]>([
    ["a signal that only looks like one", { signal: { aborted: false } }, "(call).signal abort_signal"],
    ["a string as the signal", { signal: "x" }, "(call).signal abort_signal"],
    ["a revoked Proxy as the signal", { signal: revoked.proxy }, "(call).signal abort_signal"],
    ["a throwing signal getter", throwingSignal, "(call) unreadable_input"],
    ["a revoked Proxy as the options", revoked.proxy, "(call) unreadable_input"],
    ["options that are not an object", 5, "(call) call_options"],
    ["a NaN timeout", { timeoutMs: NaN }, "(call).timeoutMs timeout_ms"],
    ["a negative timeout", { timeoutMs: -1 }, "(call).timeoutMs timeout_ms"],
    ["a timeout no timer keeps", { timeoutMs: 2 ** 31 }, "(call).timeoutMs timeout_ms"],
    ["a timeout as text", { timeoutMs: "100" }, "(call).timeoutMs timeout_ms"],
  ])("%s", async (_, call, expected) => {
    for (const vendor of vendors) expect(await refusal(vendor, valid[vendor], call)).toEqual([expected]);
  });

  it("real options still work", async () => {
    for (const vendor of vendors) {
      expect(await send(vendor, valid[vendor], { signal: new AbortController().signal, timeoutMs: 5000 })).toMatchObject({ ok: true });
    }
  });
});

describe("an unknown key spelled \"\" is named, not the root", () => {
  it.each(vendors)("%s", async (vendor) => {
    expect(await refusal(vendor, { ...valid[vendor], "": 1 })).toEqual(['[""] unknown_field']);
  });
});

/** A File whose `name` answers differently each time it is read. */
function fickleFile(names: string[]): File {
  let reads = 0;
  const file = new File(["%PDF"], names[0]!, { type: "application/pdf" });
  Object.defineProperty(file, "name", { get: () => names[Math.min(reads++, names.length - 1)] });
  return file;
}

describe("every attachment name passes one rule, attachment_name, however it is given", () => {
  const bad = ["a\r\nContent-Type: text/html.pdf", "nul\u0000.pdf", 'quote".pdf', "dir/file.pdf", "back\\slash.pdf", "del\u007f.pdf", "c1\u0085.pdf"];

  it("an explicit name with an unpaired surrogate is refused everywhere (a File's own name cannot hold one)", async () => {
    const name = "lone\uD800.pdf";
    const bytes = new Uint8Array([1]);
    expect(await refusal("listmonk", { ...valid.listmonk, attachments: [{ content: bytes, filename: name }] })).toEqual(["attachments.0.filename attachment_name"]);
    expect(await refusal("everlytic", { ...valid.everlytic, attachments: { data: [{ content: bytes, filename: name }] } })).toEqual([
      "attachments.data.0.filename attachment_name",
    ]);
    expect(await refusal("expertsender", { ...valid.expertsender, Attachments: [{ Content: bytes, FileName: name }] })).toEqual([
      "Attachments.0.FileName attachment_name",
    ]);
  });

  it.each(bad)("listmonk refuses %j as a filename and as a File's own name", async (name) => {
    const content = new File(["x"], name);
    expect(await refusal("listmonk", { ...valid.listmonk, attachments: [{ content: new Uint8Array([1]), filename: name }] })).toEqual([
      "attachments.0.filename attachment_name",
    ]);
    expect(await refusal("listmonk", { ...valid.listmonk, attachments: [{ content }] })).toEqual(["attachments.0.filename attachment_name"]);
  });

  it.each(bad)("Everlytic refuses %j as a filename and as a File's own name", async (name) => {
    const attachments = (file: object) => ({ ...valid.everlytic, attachments: { data: [file] } });
    expect(await refusal("everlytic", attachments({ content: new Uint8Array([1]), filename: name }))).toEqual([
      "attachments.data.0.filename attachment_name",
    ]);
    expect(await refusal("everlytic", attachments({ content: new File(["x"], name) }))).toEqual(["attachments.data.0.filename attachment_name"]);
  });

  it.each(bad)("ExpertSender refuses %j as a FileName and as a File's own name", async (name) => {
    expect(await refusal("expertsender", { ...valid.expertsender, Attachments: [{ Content: new Uint8Array([1]), FileName: name }] })).toEqual([
      "Attachments.0.FileName attachment_name",
    ]);
    expect(await refusal("expertsender", { ...valid.expertsender, Attachments: [{ Content: new File(["x"], name) }] })).toEqual([
      "Attachments.0.FileName attachment_name",
    ]);
  });

  it("a File's name is read once: listmonk sends the name that was checked", async () => {
    const outcome = await send("listmonk", { ...valid.listmonk, attachments: [{ content: fickleFile(["invoice.pdf", 'x"\r\nX-Evil: 1']) }] });
    expect(outcome.ok).toBe(true);
    const request = listmonk.requests.at(-1)!;
    expect(request.text).toContain('filename="invoice.pdf"');
    expect(request.text).not.toContain("X-Evil");
  });

  it("a File's name is read once: Everlytic sends the name that was checked", async () => {
    const outcome = await send("everlytic", { ...valid.everlytic, attachments: { data: [{ content: fickleFile(["invoice.pdf", "evil\r\n.pdf"]) }] } });
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(everlytic.requests.at(-1)!.text).attachments.data[0].filename).toBe("invoice.pdf");
  });

  it("a File's name is read once: ExpertSender sends the name that was checked", async () => {
    const outcome = await send("expertsender", { ...valid.expertsender, Attachments: [{ Content: fickleFile(["invoice.pdf", "evil\u0000.pdf"]) }] });
    expect(outcome.ok).toBe(true);
    expect(expertsender.sent.at(-1)!.attachments.map((file) => file.fileName)).toEqual(["invoice.pdf"]);
  });

  it.each(["\u0000text/plain", "text/plaïn", "Text/Plain", "text/plain; name=A.txt", "text", "text/plain\r\nX: 1"])(
    "listmonk refuses a contentType a Blob would change: %j",
    async (contentType) => {
      const attachments = [{ content: new Uint8Array([0]), filename: "a.txt", contentType }];
      expect(await refusal("listmonk", { ...valid.listmonk, attachments })).toEqual(["attachments.0.contentType content_type"]);
    },
  );

  it("listmonk sends a contentType with parameters as given", async () => {
    const contentType = "text/plain; charset=utf-8";
    expect((await send("listmonk", { ...valid.listmonk, attachments: [{ content: new Uint8Array([65]), filename: "a.txt", contentType }] })).ok).toBe(true);
    expect(listmonk.queued.at(-1)!.files.map((file) => file.type)).toEqual([contentType]);
  });

  it("ordinary names from every source still go out unchanged", async () => {
    const name = "Rechnung März (2026) #7 — final.pdf";
    expect((await send("listmonk", { ...valid.listmonk, attachments: [{ content: new File(["x"], name) }] })).ok).toBe(true);
    expect(listmonk.queued.at(-1)!.files.map((file) => file.name)).toEqual([name]);
  });
});

describe("record keys constructor and prototype are carried; __proto__ is refused (rule reserved_key)", () => {
  it("Act-On personalizationDataMap sends constructor and prototype", async () => {
    const personalizationDataMap = { constructor: "Ada", prototype: "v2", name: "Ada" };
    const outcome = await send("acton", { ...valid.acton, content: { personalizationDataMap } });
    expect(outcome.ok).toBe(true);
    expect(acton.delivered.at(-1)!.body.content.personalizationDataMap).toEqual(personalizationDataMap);
  });

  it("Act-On personalizationDataMap checks their values and refuses __proto__", async () => {
    expect(await refusal("acton", { ...valid.acton, content: { personalizationDataMap: { constructor: 5 } } })).toEqual([
      "content.personalizationDataMap.constructor string",
    ]);
    expect(await refusal("acton", { ...valid.acton, content: { personalizationDataMap: JSON.parse('{"__proto__": "x"}') } })).toEqual([
      "content.personalizationDataMap.__proto__ reserved_key",
    ]);
  });

  it("listmonk data and headers send constructor and prototype", async () => {
    const message = { ...valid.listmonk, data: { constructor: "c", prototype: { x: 1 } }, headers: [{ constructor: "yes" }] };
    expect((await send("listmonk", message)).ok).toBe(true);
    expect(listmonk.queued.at(-1)!.message).toMatchObject({ data: message.data, headers: message.headers });
  });

  it("listmonk headers check a constructor header's value", async () => {
    expect(await refusal("listmonk", { ...valid.listmonk, headers: [{ constructor: "a\r\nBcc: x@example.com" }] })).toEqual([
      "headers.0.constructor no_line_breaks",
    ]);
    expect(await refusal("listmonk", { ...valid.listmonk, data: JSON.parse('{"__proto__": {"admin": true}}') })).toEqual(["data.__proto__ reserved_key"]);
  });

  it("Everlytic common_fields send constructor; unique_fields count it toward one entry", async () => {
    const personalisation_fields = { common_fields: { constructor: "c", prototype: "p" } };
    const message = { ...valid.everlytic, body: { html: "<p>Hi</p>", personalisation_fields } };
    expect((await send("everlytic", message)).ok).toBe(true);
    expect(JSON.parse(everlytic.requests.at(-1)!.text).body.personalisation_fields).toEqual(personalisation_fields);
    const twoKeys = { unique_fields: [{ "joe@example.com": { n: "Joe" }, constructor: { n: "x" } }] };
    const issues = await refusal("everlytic", { ...valid.everlytic, body: { html: "<p>Hi</p>", personalisation_fields: twoKeys } });
    expect(issues).toEqual(expect.arrayContaining(["body.personalisation_fields.unique_fields.0.constructor email"]));
  });
});

describe("where JSON is expected, only plain JSON (rule json_value)", () => {
  const sparse = ["a", , "b"]; // eslint-disable-line no-sparse-arrays
  it.each<[string, unknown, string]>([
    ["a Map", new Map([["a", 1]]), "data object"],
    ["a Date", new Date(0), "data object"],
    ["an object with toJSON", { toJSON: () => 5 }, "data.toJSON json_value"],
    ["a Set inside", { s: new Set([1]) }, "data.s json_value"],
    ["a typed array inside", { t: new Uint8Array(1) }, "data.t json_value"],
    ["a boxed string inside", { b: new String("x") }, "data.b json_value"],
    ["NaN inside", { n: NaN }, "data.n json_value"],
    ["Infinity inside", { n: -Infinity }, "data.n json_value"],
    ["undefined inside", { u: undefined }, "data.u json_value"],
    ["an array hole", { list: sparse }, "data.list.1 json_value"],
  ])("listmonk data: %s", async (_, data, expected) => {
    expect(await refusal("listmonk", { ...valid.listmonk, data })).toEqual([expected]);
  });

  it("listmonk data nested 10,000 deep is refused by depth, not a thrown stack overflow", async () => {
    let deep: unknown = {};
    for (let level = 0; level < 10_000; level++) deep = { deep };
    const issues = await refusal("listmonk", { ...valid.listmonk, data: deep });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^data(\.deep)+ json_depth$/);
  });

  it("listmonk sends the data that was checked, read once", async () => {
    let reads = 0;
    const order = {
      get id() {
        return ++reads === 1 ? "1234" : "tampered";
      },
    };
    expect((await send("listmonk", { ...valid.listmonk, data: { order } })).ok).toBe(true);
    expect(listmonk.queued.at(-1)!.message.data).toEqual({ order: { id: "1234" } });
    expect(reads).toBe(1);
  });

  it.each([new Map(), new Date(0), new (class Vars {})()])("Act-On personalizationDataMap and Everlytic common_fields refuse %o", async (value) => {
    expect(await refusal("acton", { ...valid.acton, content: { personalizationDataMap: value } })).toEqual(["content.personalizationDataMap object"]);
    const everlyticMessage = { ...valid.everlytic, body: { html: "<p>Hi</p>", personalisation_fields: { common_fields: value } } };
    expect(await refusal("everlytic", everlyticMessage)).toEqual(["body.personalisation_fields.common_fields object"]);
  });
});

describe("addresses and IPs as the specs' formats have them", () => {
  it.each(["a@b", ".a@b.co", "a..b@b.co"])("Act-On refuses %j in toAddress", async (toAddress) => {
    expect(await refusal("acton", { ...valid.acton, envelope: { toAddress } })).toEqual(["envelope.toAddress email"]);
  });

  it("listmonk and ExpertSender send !a@a.aa", async () => {
    expect((await send("listmonk", { ...valid.listmonk, subscriber_mode: "external", subscriber_emails: ["!a@a.aa"] })).ok).toBe(true);
    expect(await refusal("expertsender", { ...valid.expertsender, Receiver: { Email: "!a@a.aa", Ip: "fe80::1%eth0" } })).toEqual(["Receiver.Ip ip"]);
  });

  it("ExpertSender sends an IPv6 address with an embedded IPv4", async () => {
    const outcome = await send("expertsender", { ...valid.expertsender, Receiver: { ...valid.expertsender.Receiver as object, Ip: "::0:0:0:0:0:0.0.0.0" } });
    expect(outcome.ok).toBe(true);
    expect((expertsender.sent.at(-1)!.model as any).Data.Receiver.Ip).toBe("::0:0:0:0:0:0.0.0.0");
  });
});

// Keep the public message types honest about what the tests pass.
export type Checked = [ActOnMessage, EverlyticMessage, ExpertSenderMessage, ListmonkMessage];
