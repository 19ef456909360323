/**
 * `txgate/listmonk`: send listmonk transactional messages (`POST /api/tx`) from any runtime with `fetch`.
 */
export { createListmonkClient, type ListmonkClient } from "./client.js";
export type { ListmonkAuthScheme, ListmonkOptions } from "./options.js";
export { ListmonkMessageSchema, type ListmonkMessage } from "./schema.js";
export type { TxQueued } from "./response.js";
export type * from "../core/public.js";
