/**
 * Which vendors post their delivery events to a URL (`deliveryEvents: "webhook"` in their capability table), and
 * each one's parser, loaded on first use: a registry beside `VENDORS` (vendors.ts), so the worker's event route
 * reads a vendor's parser by the vendor's name and never names a vendor itself. A vendor whose events are a
 * report to fetch (listmonk's bounces, ExpertSender's activities) has no entry: nothing posts them.
 */
import type { ParsedEvents } from "./delivery-event.ts";
import type { VendorName } from "./outcome.ts";

/** A vendor's webhook parser: the body as text and its `Content-Type`, to events or a problem. Never throws. */
export type WebhookEventParser = (body: string, contentType: string) => ParsedEvents;

/**
 * Each webhook vendor's parser, as a loader: its code loads with the first event, not with every bundle that reads
 * the registry.
 *
 * @example
 * const load = WEBHOOK_EVENT_PARSERS[vendor];
 * if (load) { const parse = await load(); const parsed = parse(await request.text(), request.headers.get("content-type") ?? ""); }
 */
export const WEBHOOK_EVENT_PARSERS: { readonly [V in VendorName]?: () => Promise<WebhookEventParser> } = {
  everlytic: async () => (await import("../everlytic/events.ts")).parseEverlyticEvents,
};
