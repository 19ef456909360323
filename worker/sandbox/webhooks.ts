/**
 * The webhook posts the sandbox vendors made, waiting for the worker to take them (`WorkerSandbox.takeWebhookPosts`):
 * the worker hands each to its own event handling, as if the vendor had posted it to `POST /v1/events/{vendor}`.
 * Kept in this isolate's memory, the newest 500 at most.
 */
import type { VendorName } from "../../src/core/public.ts";
import type { SandboxWebhookPost } from "../../src/worker/sandbox.ts";

const LIMIT = 500;
let pending: SandboxWebhookPost[] = [];

/**
 * A sandbox vendor's post, kept for the worker.
 *
 * @example
 * createEverlyticFake({ onWebhook: (post) => keepWebhookPost("everlytic", post) });
 */
export function keepWebhookPost(vendor: VendorName, post: { readonly body: string; readonly contentType: string }): void {
  pending.push({ vendor, body: post.body, contentType: post.contentType });
  if (pending.length > LIMIT) pending = pending.slice(-LIMIT);
}

/** Every post kept so far, handed over once. */
export function takeWebhookPosts(): readonly SandboxWebhookPost[] {
  const taken = pending;
  pending = [];
  return taken;
}
