/**
 * `txgate/expertsender`: send ExpertSender API v2 system transactional messages
 * (`POST /v2/Api/SystemTransactionals/{id}`, XML) from any runtime with `fetch`.
 */
export { createExpertSenderClient, type ExpertSenderClient } from "./client.js";
export { EXPERTSENDER_HOSTS, type ExpertSenderHost, type ExpertSenderOptions } from "./options.js";
export { ExpertSenderMessageSchema, type ExpertSenderMessage, type PropertyType } from "./schema.js";
export type { ExpertSenderSent } from "./response.js";
export type * from "../core/public.js";
