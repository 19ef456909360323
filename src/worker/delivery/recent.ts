/**
 * The ids of the messages this isolate queued lately, newest first, so the local sandbox's outbox page can show
 * their states (a Durable Object per message cannot be listed). Local development runs one isolate, which
 * queues, consumes and serves the page; a deployment never shows this list.
 */
const LIMIT = 50;
const ids: string[] = [];

/**
 * @example
 * rememberQueued(id);
 */
export function rememberQueued(id: string): void {
  ids.unshift(id);
  ids.length = Math.min(ids.length, LIMIT);
}

/** The ids, newest first. */
export function recentlyQueued(): readonly string[] {
  return ids;
}

/** Forgets them (the outbox's DELETE). */
export function forgetQueued(): void {
  ids.length = 0;
}
