/**
 * Sandbox mode's delivery events: the sandbox vendors post webhooks as their real counterparts would (a fake's
 * `onWebhook`), and the worker handles each as its event route handles a vendor's post, minus the credentials
 * (the post never left the isolate): the vendor's own parser, then the messages the events name.
 */
import type { DeliveryEvent } from "../../core/delivery-event.ts";
import type { AnyVendorDescriptor } from "../../vendors/descriptor.ts";
import type { Env } from "../env.ts";
import type { WorkerSandbox } from "../sandbox.ts";
import { recordDeliveryEvents, type DeliveryEventHook } from "./delivery-events.ts";

/**
 * Takes the sandbox's pending webhook posts and records their events.
 *
 * @example
 * if (config.mode === "sandbox") await deliverSandboxEvents(env, deployment);
 */
export async function deliverSandboxEvents(env: Env, deployment: { readonly vendors: readonly AnyVendorDescriptor[]; readonly sandbox?: WorkerSandbox; readonly onEvent?: DeliveryEventHook }): Promise<void> {
  // A simulated event that cannot be recorded is logged, never a reason to deliver the queue's batch again.
  try {
    // Every pending post's events in one go, as one post of many events would be.
    const events: DeliveryEvent[] = [];
    let ignored = 0;
    for (const post of deployment.sandbox?.takeWebhookPosts?.() ?? []) {
      const load = deployment.vendors.find((descriptor) => descriptor.name === post.vendor)?.webhookEvents;
      if (!load) continue;
      const parsed = (await load())(post.body, post.contentType);
      if ("problem" in parsed) {
        console.log(JSON.stringify({ route: "sandbox events", vendor: post.vendor, kind: parsed.problem.kind }));
        continue;
      }
      events.push(...parsed.events);
      ignored += parsed.ignored;
    }
    if (!events.length && !ignored) return;
    const counts = await recordDeliveryEvents(env, events, {}, deployment.onEvent, ignored);
    console.log(JSON.stringify({ route: "sandbox events", events: counts }));
  } catch (error) {
    console.log(JSON.stringify({ route: "sandbox events", kind: "internal", error: error instanceof Error ? error.name : "Error" }));
  }
}
