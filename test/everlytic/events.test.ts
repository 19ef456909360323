/**
 * Everlytic's webhook payloads (help.everlytic.com, "Webhook payloads"; /work/shared/vendor-docs README) read into
 * delivery events: both documented shapes, as JSON and form-encoded, and every way a body can be refused.
 */
import { describe, expect, it } from "vitest";
import { EVERLYTIC_MESSAGE_ID_HEADER, everlyticCapabilities, parseEverlyticEvents, type DeliveryEvent, type ParsedEvents } from "../../src/everlytic/index.js";
import { MAX_EVENT_BODY_LENGTH, MAX_EVENTS_PER_BODY } from "../../src/core/delivery-event.js";

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
const TRANSACTION_ID = "8faa62ec-6c01-4020-8322-933a8q046d9e";

/** The standard payload, shaped like Everlytic's: one transaction to one recipient. */
function standardPayload(type: string, overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) {
  return {
    id: "5c0a4f59-1b1e-4d7e-9b55-2f7c51e3a001",
    type,
    timestamp: "2026-12-06T10:15:00+02:00",
    data: [
      {
        transaction: {
          id: TRANSACTION_ID,
          message_id: "<20261206081500.1234@mail.everlytic.net>",
          method: "api",
          group: { id: "17", name: "Track Engagement" },
          sent_timestamp: "2026-12-06T10:14:58+02:00",
          subject: "Your reset link for Joe",
          message_size_bytes: "20480",
        },
        recipient: { name: "Joe", email: "joe@example.com" },
        ...item,
      },
    ],
    ...overrides,
  };
}

/** The legacy field set (`field_set: legacy`), which echoes the email's custom headers. */
function legacyPayload(eventType: string, event: Record<string, unknown> = {}) {
  return {
    event: {
      event_id: "991234",
      event_date: "2026-12-06 08:15:00",
      event_type: eventType,
      email_to: "joe@example.com",
      group_name: "Track Engagement",
      custom_headers: { "X-Txgate-Message-Id": ["msg_01JEXAMPLE"], "X-Campaign": ["autumn"] },
      trans_id: TRANSACTION_ID,
      ...event,
    },
  };
}

/** PHP's `http_build_query`: nested keys in brackets, as a PHP webhook sender form-encodes a nested body. */
function phpForm(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`];
  return Object.entries(value).flatMap(([key, item]) => phpForm(item, prefix ? `${prefix}[${key}]` : key));
}
const form = (value: unknown) => phpForm(value).join("&");

function events(parsed: ParsedEvents): readonly DeliveryEvent[] {
  if ("problem" in parsed) throw new Error(`expected events, got ${JSON.stringify(parsed.problem)}`);
  return parsed.events;
}
function problem(parsed: ParsedEvents) {
  if (!("problem" in parsed)) throw new Error(`expected a problem, got ${JSON.stringify(parsed)}`);
  return parsed.problem;
}

describe("Everlytic's standard webhook payload", () => {
  it.each([
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["failed", "failed"],
    ["bounce", "bounced"],
    ["open", "opened"],
    ["click", "clicked"],
    ["unsubscribe", "unsubscribed"],
  ] as const)("type %s becomes a %s event for the transaction and recipient", (type, kind) => {
    const [event, ...rest] = events(parseEverlyticEvents(JSON.stringify(standardPayload(type)), JSON_TYPE));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      kind,
      vendor: "everlytic",
      vendorIds: [TRANSACTION_ID],
      recipient: "joe@example.com",
      at: "2026-12-06T08:15:00.000Z",
      details: { event: type, method: "api", group: "Track Engagement" },
    });
    expect(everlyticCapabilities.deliveryEventKinds).toContain(kind);
  });

  it("counts resubscribe, which has no delivery event kind, as ignored", () => {
    expect(parseEverlyticEvents(JSON.stringify(standardPayload("resubscribe")), JSON_TYPE)).toEqual({ events: [], ignored: 1 });
  });

  it("gives one event per item of data", () => {
    const payload = standardPayload("delivered");
    payload.data.push({ ...payload.data[0]!, recipient: { name: "John", email: "john@example.com" } });
    const parsed = events(parseEverlyticEvents(JSON.stringify(payload), "application/json; charset=utf-8"));
    expect(parsed.map((event) => event.recipient)).toEqual(["joe@example.com", "john@example.com"]);
    expect(new Set(parsed.map((event) => event.dedupeKey)).size).toBe(2);
  });

  it("reads the same events from a form-encoded body as from JSON", () => {
    const payload = standardPayload("open");
    expect(parseEverlyticEvents(form(payload), FORM_TYPE)).toEqual(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE));
    // ... and from a form whose data field holds the list as JSON text.
    const asText = new URLSearchParams({ id: payload.id, type: payload.type, timestamp: payload.timestamp, data: JSON.stringify(payload.data) });
    expect(parseEverlyticEvents(asText.toString(), FORM_TYPE)).toEqual(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE));
  });

  it("keeps a bounce's kind and reason when Everlytic sends them, and leaves the kind out when it does not", () => {
    const hard = events(parseEverlyticEvents(JSON.stringify(standardPayload("bounce", {}, { bounce_type: "Hard", bounce_reason: "550 5.1.1 no such user" })), JSON_TYPE))[0]!;
    expect(hard).toMatchObject({ kind: "bounced", bounce: "hard", details: { reason: "550 5.1.1 no such user" } });
    const soft = events(parseEverlyticEvents(JSON.stringify(standardPayload("bounce", {}, { bounce_type: "soft" })), JSON_TYPE))[0]!;
    expect(soft).toMatchObject({ kind: "bounced", bounce: "soft" });
    const unsaid = events(parseEverlyticEvents(JSON.stringify(standardPayload("bounce")), JSON_TYPE))[0]!;
    expect(unsaid.kind).toBe("bounced");
    expect(unsaid).not.toHaveProperty("bounce");
  });

  it("keeps a clicked link's origin and path, never its query (links carry tokens)", () => {
    const url = "https://shop.example.com/reset?token=s3cr3t-reset-token#top";
    const [event] = events(parseEverlyticEvents(JSON.stringify(standardPayload("click", {}, { url })), JSON_TYPE));
    expect(event!.details.link).toBe("https://shop.example.com/reset");
    expect(JSON.stringify(event)).not.toContain("s3cr3t-reset-token");
  });

  it("keeps no subject, size or name, and cuts long values", () => {
    const long = "g".repeat(5000);
    const payload = standardPayload("delivered");
    payload.data[0]!.transaction.group.name = long;
    const [event] = events(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE));
    const text = JSON.stringify(event);
    expect(text).not.toContain("Your reset link");
    expect(text).not.toContain("20480");
    expect(text).not.toContain('"Joe"');
    expect(event!.details.group).toHaveLength(200);
  });
});

describe("Everlytic's legacy webhook payload", () => {
  it("gives the event, with our message id from the echoed custom header", () => {
    const [event] = events(parseEverlyticEvents(JSON.stringify(legacyPayload("delivered")), JSON_TYPE));
    expect(event).toEqual({
      kind: "delivered",
      vendor: "everlytic",
      vendorIds: [TRANSACTION_ID],
      messageId: "msg_01JEXAMPLE",
      recipient: "joe@example.com",
      at: "2026-12-06T08:15:00.000Z",
      dedupeKey: "everlytic|event|991234",
      details: { event: "delivered", group: "Track Engagement" },
    });
    // The header the capability table names is the one read back.
    expect(everlyticCapabilities.messageIdCarrier).toMatchObject({ field: `headers.custom_headers.${EVERLYTIC_MESSAGE_ID_HEADER}` });
    // No other echoed header is kept.
    expect(JSON.stringify(event)).not.toContain("autumn");
  });

  it("reads the header however it is spelled and given: one string, a list, or JSON text", () => {
    for (const custom_headers of [{ "x-txgate-message-id": "msg_A" }, { "X-TXGATE-MESSAGE-ID": ["msg_A"] }, JSON.stringify({ "X-Txgate-Message-Id": ["msg_A"] })]) {
      expect(events(parseEverlyticEvents(JSON.stringify(legacyPayload("open", { custom_headers })), JSON_TYPE))[0]!.messageId).toBe("msg_A");
    }
    expect(events(parseEverlyticEvents(JSON.stringify(legacyPayload("open", { custom_headers: {} })), JSON_TYPE))[0]).not.toHaveProperty("messageId");
  });

  it("reads the same event form-encoded", () => {
    const payload = legacyPayload("bounce");
    expect(parseEverlyticEvents(form(payload), FORM_TYPE)).toEqual(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE));
  });
});

describe("a webhook Everlytic sends again", () => {
  it("has the same dedupe key each time, JSON or form-encoded, so it is recorded once", () => {
    for (const payload of [standardPayload("open"), legacyPayload("open")]) {
      const first = events(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE))[0]!.dedupeKey;
      const again = events(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE))[0]!.dedupeKey;
      const asForm = events(parseEverlyticEvents(form(payload), FORM_TYPE))[0]!.dedupeKey;
      expect(again).toBe(first);
      expect(asForm).toBe(first);
    }
  });

  it("keeps two opens at two times apart, and an open apart from a click", () => {
    const key = (payload: unknown) => events(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE))[0]!.dedupeKey;
    const open = key(standardPayload("open"));
    expect(key(standardPayload("open", { timestamp: "2026-12-06T11:00:00+02:00" }))).not.toBe(open);
    expect(key(standardPayload("click"))).not.toBe(open);
    expect(key(legacyPayload("open", { event_id: "991235" }))).not.toBe(key(legacyPayload("open")));
  });
});

describe("a body Everlytic's webhooks would not send", () => {
  it.each([
    ["not JSON", "{", JSON_TYPE],
    ["a list", "[]", JSON_TYPE],
    ["null", "null", JSON_TYPE],
    ["no type", JSON.stringify({ data: [] }), JSON_TYPE],
    ["data not a list", JSON.stringify({ type: "open", data: { transaction: {} } }), JSON_TYPE],
    ["an item without a transaction", JSON.stringify({ type: "open", data: [{ recipient: { email: "a@example.com" } }] }), JSON_TYPE],
    ["a transaction without an id", JSON.stringify(standardPayload("open", { data: [{ transaction: { method: "api" } }] })), JSON_TYPE],
    ["a legacy event without trans_id", JSON.stringify(legacyPayload("open", { trans_id: undefined })), JSON_TYPE],
    ["a form field that does not close its bracket", "type=open&data[0=1", FORM_TYPE],
    ["a form field that is a value and a group", "type=open&data=1&data[0][transaction][id]=2", FORM_TYPE],
  ])("is refused as malformed: %s", (_, body, contentType) => {
    expect(problem(parseEverlyticEvents(body, contentType)).kind).toBe("malformed");
  });

  it("is refused when neither JSON nor form-encoded", () => {
    expect(problem(parseEverlyticEvents("<xml/>", "text/xml")).kind).toBe("unsupported_media_type");
    expect(problem(parseEverlyticEvents("{}", "")).kind).toBe("unsupported_media_type");
  });

  it("is refused unread when over the size bound", () => {
    const body = JSON.stringify(standardPayload("open", { padding: "x".repeat(MAX_EVENT_BODY_LENGTH) }));
    expect(problem(parseEverlyticEvents(body, JSON_TYPE))).toEqual({ kind: "too_large", message: expect.stringContaining("over") });
  });

  it("is refused when it holds more events than one body may", () => {
    const payload = standardPayload("open");
    payload.data = Array.from({ length: MAX_EVENTS_PER_BODY + 1 }, () => payload.data[0]!);
    expect(problem(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE)).kind).toBe("too_many_events");
    payload.data.length = MAX_EVENTS_PER_BODY;
    expect(events(parseEverlyticEvents(JSON.stringify(payload), JSON_TYPE))).toHaveLength(MAX_EVENTS_PER_BODY);
  });

  it("never throws, and a type named like an Object method is just an unknown type", () => {
    for (const body of ["", " ", "0", '"x"', "true", '{"type":"constructor","data":[]}', '{"type":"toString","data":[{}]}', '{"event":"x"}', '{"event":[1]}']) {
      for (const contentType of [JSON_TYPE, FORM_TYPE]) expect(() => parseEverlyticEvents(body, contentType)).not.toThrow();
    }
    expect(parseEverlyticEvents('{"type":"constructor","data":[{}]}', JSON_TYPE)).toEqual({ events: [], ignored: 1 });
    expect(parseEverlyticEvents(JSON.stringify(legacyPayload("__proto__")), JSON_TYPE)).toEqual({ events: [], ignored: 1 });
  });

  it("cannot pollute Object.prototype through a form field's name", () => {
    parseEverlyticEvents("type=open&__proto__[polluted]=1&constructor[prototype][polluted]=1&data[0][transaction][id]=t", FORM_TYPE);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
