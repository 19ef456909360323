/**
 * A module split off with a dynamic `import()`, loaded on first use and kept: every later call gets the module
 * already in hand. An `import()` on every send is a trip through the runtime's module loader each time (tens of
 * microseconds in Node, a few percent of a send).
 */

/**
 * Wraps a loader so it runs once. Callers awaiting at the same time share the one load; a load that failed is not
 * kept, so the next call tries again (a chunk a network blip kept from loading is not lost for good).
 *
 * @example
 * const loadConverter = loadOnce(async () => (await import("./message-converter.ts")).toAcmeMessage);
 * const convert = await loadConverter(); // loads
 * await loadConverter(); // the same function, no import()
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/** The idempotency ledger, loaded with the first keyed send of any client or mailer, then kept. */
export const loadLedger = /* @__PURE__ */ loadOnce(() => import("./keyed-send.ts"));

/** The batch sender behind every `sendMany`, loaded with the first batch, then kept. */
export const loadBatchSender = /* @__PURE__ */ loadOnce(() => import("./send-many.ts"));
