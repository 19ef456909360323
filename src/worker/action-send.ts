/**
 * How an accepted browser action is sent: resolved once (its catalogue template, the recipient, the checked
 * variables and the action's per-send fields), then sent through the catalogue, now or from the queue, so a
 * queued send is the same send, with the same failover.
 */
import { createMailer, type CatalogueOutcome, type TemplateMessageClient } from "../catalogue/catalogue.ts";
import type { CallOptions, VendorName } from "../core/public.ts";
import type { Config } from "./env.ts";
import { actionVendors, type Action } from "./policy.ts";
import { Refusal } from "./problem.ts";
import { vendorClient } from "./vendors.ts";

/** What an action resolved to, before any vendor is asked: plain JSON, so it can wait in the queue. */
export interface ResolvedAction {
  readonly action: string;
  readonly template: string;
  /** The catalogue send's message: the recipient, the checked variables as `data`, and the action's per-send fields. */
  readonly message: Readonly<Record<string, unknown>> & { readonly to: string; readonly data: Readonly<Record<string, unknown>> };
}

/**
 * The send an accepted request makes. The per-send fields (a fresh Act-On `externalId`) are made here, once, so
 * a queued send keeps them on every attempt.
 *
 * @example
 * const resolved = resolveAction("welcome", action, "pat@example.com", variables);
 */
export function resolveAction(name: string, action: Action, recipient: string, variables: Readonly<Record<string, unknown>>): ResolvedAction {
  const fields = action.perSend?.() ?? {};
  return { action: name, template: action.template, message: { ...fields, to: recipient, data: variables } };
}

/**
 * Sends a resolved action through its catalogue template, vendor after vendor as the catalogue allows. A vendor
 * this worker has no client for is skipped (a `no_client` failure, nothing sent); with none at all, the first
 * vendor's `not_configured` refusal. `onSend` runs just before the first vendor can be asked; `call` goes to
 * every vendor tried (a queued send's `beforeFetch`).
 *
 * @example
 * const outcome = await sendResolvedAction(config, actions, resolved);
 */
export async function sendResolvedAction(
  config: Config,
  actions: Readonly<Record<string, Action>>,
  resolved: ResolvedAction,
  onSend?: () => void,
  call?: CallOptions,
): Promise<CatalogueOutcome> {
  const action = Object.hasOwn(actions, resolved.action) ? actions[resolved.action] : undefined;
  if (!action || action.template !== resolved.template) throw new Refusal("unknown_action", "this worker no longer has the action this message was queued for");
  const vendors = actionVendors(action);
  const clients: Partial<Record<VendorName, TemplateMessageClient>> = {};
  for (const vendor of vendors) {
    try {
      clients[vendor] = vendorClient(config, vendor);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
    }
  }
  // No vendor of the template configured: the worker's own refusal, as for a single vendor.
  if (!Object.keys(clients).length) vendorClient(config, vendors[0]!);
  onSend?.();
  const mailer = createMailer(action.catalogue, clients as never);
  return mailer.send(resolved.template, resolved.message as never, call);
}

/**
 * Throws what `sendResolvedAction` would throw before asking any vendor when this worker has a client for none of
 * the action's vendors (the first one's `not_configured` refusal); returns when one of them can be asked.
 *
 * @example
 * requireActionVendor(config, action); // before a queued action is accepted that no vendor here could send
 */
export function requireActionVendor(config: Config, action: Action): void {
  const vendors = actionVendors(action);
  const reachable = (vendor: VendorName) => {
    try {
      return Boolean(vendorClient(config, vendor));
    } catch (error) {
      if (error instanceof Refusal) return false;
      throw error;
    }
  };
  if (!vendors.some(reachable)) vendorClient(config, vendors[0]!);
}
