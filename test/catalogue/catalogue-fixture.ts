/**
 * One catalogue template, `orderShipped`, declared once and sent through each vendor's real client in
 * test/<vendor>/message-converter.test.ts.
 */
import * as v from "valibot";
import { defineCatalogue, type VendorRoute } from "../../src/catalogue/index.ts";

export const orderShipped = {
  variables: v.object({ orderNumber: v.string(), trackingLink: v.string(), name: v.string() }),
  message: { transactional: true },
} as const;

/** The same declaration, rendered by one vendor template. */
export function catalogueVia<R extends VendorRoute>(route: R) {
  return defineCatalogue({ orderShipped: { ...orderShipped, via: [route] } });
}

export const shipment = { orderNumber: "3423423-234234", trackingLink: "https://track.example.com/3423423", name: "Jane Doe" };
