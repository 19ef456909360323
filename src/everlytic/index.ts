/**
 * `txgate/everlytic`: send Everlytic transactional emails (`POST /transactional/email/v1/mail`) from any runtime
 * with `fetch`.
 */
export { createEverlyticClient, type EverlyticClient } from "./client.ts";
export { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.ts";
export { EverlyticMessageSchema, type EverlyticMessage } from "./schema.ts";
export type { SendMailSuccess } from "./response.ts";
export { everlyticCapabilities } from "./capabilities.ts";
export { EVERLYTIC_MESSAGE_ID_HEADER, parseEverlyticEvents } from "./events.ts";
export { basicAuthMatches, parseBasicAuthorization, type BasicCredentials } from "../core/basic-auth.ts";
export { everlyticVendor } from "./descriptor.ts";
export type { MessageAddress, MessageAttachment, TemplateMessage } from "../core/message.ts";
export type { AddressCapability, VendorCapabilities } from "../core/capabilities.ts";
export { TxgateConfigError } from "../core/credentials.ts";
export type * from "../core/public.ts";
