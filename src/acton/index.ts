/**
 * `txgate/acton`: send Act-On Event-Triggered Email (`POST /ete/v1/email/{accountId}/{templateId}`) from any
 * runtime with `fetch`, with the OAuth token lifecycle and Act-On's 20-per-second pacing handled.
 */
export { ACTON_CHECK_KEEPS_LOGINS, createActOnClient, type ActOnClient } from "./client.ts";
export { ACTON_BASE_URL, ACTON_EU_BASE_URL, ACTON_LEGACY_BASE_URL, type ActOnCredentials, type ActOnOptions } from "./options.ts";
export { ActOnMessageSchema, type ActOnMessage } from "./schema.ts";
export { memoryTokenStore, type ActOnTokenRecord, type ActOnTokenStore, type ActOnTokens } from "./tokens.ts";
export type { EteSuccess } from "./response.ts";
export { actOnCapabilities } from "./capabilities.ts";
export { actOnVendor } from "./descriptor.ts";
export type { MessageAddress, MessageAttachment, TemplateMessage } from "../core/message.ts";
export type { AddressCapability, VendorCapabilities } from "../core/capabilities.ts";
export { TxgateConfigError } from "../core/credentials.ts";
export type * from "../core/public.ts";
