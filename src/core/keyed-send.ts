/**
 * What a keyed send loads (`loadLedger`): `sendOncePerKey` alone. A dynamic `import()` keeps every export of the
 * module it loads, and idempotency.ts also holds what only the library's users and tests call (`idempotentSend`);
 * through this module a bundle keeps only what a keyed send runs.
 */
export { sendOncePerKey } from "./idempotency.ts";
