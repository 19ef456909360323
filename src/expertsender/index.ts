/**
 * `txgate/expertsender`: send ExpertSender API v2 system transactional messages
 * (`POST /v2/Api/SystemTransactionals/{id}`, XML) from any runtime with `fetch`.
 */
export { createExpertSenderClient, type ExpertSenderClient } from "./client.ts";
export { EXPERTSENDER_HOSTS, type ExpertSenderHost, type ExpertSenderOptions } from "./options.ts";
export { ExpertSenderMessageSchema, type ExpertSenderMessage, type PropertyType } from "./schema.ts";
export type { ExpertSenderSent } from "./response.ts";
export { expertSenderCapabilities } from "./capabilities.ts";
export { expertSenderVendor } from "./descriptor.ts";
export type { MessageAddress, MessageAttachment, TemplateMessage } from "../core/message.ts";
export type { AddressCapability, VendorCapabilities } from "../core/capabilities.ts";
export { TxgateConfigError } from "../core/credentials.ts";
export type * from "../core/public.ts";
