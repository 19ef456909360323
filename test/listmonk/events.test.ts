/**
 * listmonk's bounce records (`GET /api/bounces`, `GET /api/subscribers/{id}/bounces`) read into delivery events.
 * listmonk posts no events; these records are what it documents about a message after `/api/tx` queued it.
 */
import { describe, expect, it } from "vitest";
import { listmonkCapabilities, parseListmonkBounces, type ParsedEvents } from "../../src/listmonk/index.js";

/** A bounce record shaped like listmonk's: `meta` is the bounce source's own report, kept by listmonk as JSON. */
function record(overrides: Record<string, unknown> = {}) {
  return {
    id: 481,
    type: "hard",
    source: "api",
    meta: { notification: "550 5.1.1 <joe@example.com>: user unknown", api_token: "never-kept" },
    created_at: "2026-12-06T10:15:00.123456+05:30",
    email: "joe@example.com",
    subscriber_uuid: "e44b4135-1e1d-40c5-8a30-0f9a886c2884",
    subscriber_id: 12,
    subscriber_status: "enabled",
    campaign: null,
    ...overrides,
  };
}
const page = (...results: unknown[]) => JSON.stringify({ data: { results, query: "", total: results.length, per_page: 20, page: 1 } });

function events(parsed: ParsedEvents) {
  if ("problem" in parsed) throw new Error(`expected events, got ${JSON.stringify(parsed.problem)}`);
  return parsed.events;
}

describe("listmonk's bounce records", () => {
  it("become bounced events of the record's kind, and complaints complained events, matched by address", () => {
    const parsed = parseListmonkBounces(page(record(), record({ id: 482, type: "soft" }), record({ id: 483, type: "complaint" })));
    expect(events(parsed)).toEqual([
      {
        kind: "bounced",
        bounce: "hard",
        vendor: "listmonk",
        vendorIds: [],
        recipient: "joe@example.com",
        at: "2026-12-06T04:45:00.123Z",
        dedupeKey: "listmonk|bounce|481",
        details: { type: "hard", source: "api", subscriber_status: "enabled" },
      },
      expect.objectContaining({ kind: "bounced", bounce: "soft", dedupeKey: "listmonk|bounce|482" }),
      expect.objectContaining({ kind: "complained", dedupeKey: "listmonk|bounce|483" }),
    ]);
    for (const event of events(parsed)) expect(listmonkCapabilities.deliveryEventKinds).toContain(event.kind);
    expect(listmonkCapabilities.deliveryEventMatch).toBe("recipient");
  });

  it("keeps nothing of the bounce source's report", () => {
    expect(JSON.stringify(parseListmonkBounces(page(record())))).not.toMatch(/never-kept|user unknown/);
  });

  it("counts a campaign's bounce as ignored: it is not a transactional message's", () => {
    expect(parseListmonkBounces(page(record({ campaign: { id: 3, name: "Autumn" } }), record({ id: 9 })))).toMatchObject({ ignored: 1, events: [{ dedupeKey: "listmonk|bounce|9" }] });
  });

  it("reads a subscriber's bounces (`data` is the list itself)", () => {
    expect(events(parseListmonkBounces(JSON.stringify({ data: [record()] })))).toHaveLength(1);
  });

  it("gives a record read twice the same dedupe key", () => {
    expect(events(parseListmonkBounces(page(record())))[0]!.dedupeKey).toBe(events(parseListmonkBounces(page(record())))[0]!.dedupeKey);
  });

  it.each([
    ["not JSON", "{"],
    ["no data", "{}"],
    ["data.results not a list", JSON.stringify({ data: { results: {} } })],
    ["a record without an email", page(record({ email: undefined }))],
    ["a record that is not an object", page(1)],
  ])("refuses a body that is %s, and never throws", (_, body) => {
    expect(parseListmonkBounces(body)).toMatchObject({ problem: { kind: "malformed" } });
  });

  it("refuses more records than one body may hold", () => {
    expect(parseListmonkBounces(page(...Array.from({ length: 1001 }, (_, id) => record({ id }))))).toMatchObject({ problem: { kind: "too_many_events" } });
  });
});
