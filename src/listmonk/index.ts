/**
 * `txgate/listmonk`: send listmonk transactional messages (`POST /api/tx`) from any runtime with `fetch`.
 */
export { createListmonkClient, type ListmonkClient } from "./client.ts";
export type { ListmonkAuthScheme, ListmonkOptions } from "./options.ts";
export { ListmonkMessageSchema, type ListmonkMessage } from "./schema.ts";
export type { TxQueued } from "./response.ts";
export { listmonkCapabilities } from "./capabilities.ts";
export { parseListmonkBounces } from "./events.ts";
export { listmonkVendor } from "./descriptor.ts";
export type { MessageAddress, MessageAttachment, TemplateMessage } from "../core/message.ts";
export type { AddressCapability, VendorCapabilities } from "../core/capabilities.ts";
export { TxgateConfigError } from "../core/credentials.ts";
export type * from "../core/public.ts";
