/**
 * `txgate/everlytic`: send Everlytic transactional emails (`POST /transactional/email/v1/mail`) from any runtime
 * with `fetch`.
 */
export { createEverlyticClient, type EverlyticClient } from "./client.js";
export { EVERLYTIC_BASE_URL, type EverlyticOptions } from "./options.js";
export { EverlyticMessageSchema, type EverlyticMessage } from "./schema.js";
export type { SendMailSuccess } from "./response.js";
export type * from "../core/public.js";
