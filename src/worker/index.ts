/**
 * `txgate/worker`: the txgate Cloudflare Worker as a package. A deployment's whole Worker is its actions, one
 * call and the Durable Object classes re-exported for its `wrangler.toml`:
 *
 * ```ts
 * import { createTxgateWorker } from "txgate/worker";
 * import { acmeVendor } from "txgate/acme"; // each served vendor's descriptor, from its own entry
 * import { actions } from "./actions.ts";
 * export default createTxgateWorker({ vendors: [acmeVendor], actions });
 * export { IdempotencyLedgerObject, MessageIndexObject, MessageObject, VendorAccountObject } from "txgate/worker";
 * ```
 *
 * Secrets and settings come from the Worker's environment (docs/worker.md, "Deploying"). The Worker serves the
 * vendors it is given and bundles no other: each vendor's descriptor comes from that vendor's entry.
 */
import { createHandler, type WorkerHandler } from "./router.ts";
import { VendorAccountObject } from "./durable/account.ts";
import type { Action, ActionRequest, VariablesSchema } from "./policy.ts";
import type { WorkerSandbox } from "./sandbox.ts";
import type { AnyVendorDescriptor } from "../vendors/descriptor.ts";
import type { DeliveryEventHook } from "./delivery/delivery-events.ts";
import type * as v from "valibot";

/**
 * Options of `createTxgateWorker`.
 *
 * @example
 * const options: TxgateWorkerOptions<typeof actions> = { actions, sandbox: createLocalSandbox() };
 * export default createTxgateWorker(options);
 */
export interface TxgateWorkerOptions<A extends WorkerActions> {
  /** The browser actions this Worker serves (`defineActions`): each one's catalogue template, auth, recipient rule and limits. */
  readonly actions: A;
  /**
   * The vendors this Worker serves, each its entry's descriptor (`acmeVendor` from `txgate/acme`, say). Only
   * these are configured, sent through and bundled; the trusted route answers `not_found` for any other.
   */
  readonly vendors: readonly AnyVendorDescriptor[];
  /**
   * The vendor fakes used in sandbox mode (`SANDBOX=true` with no vendor credentials), and the deployment's
   * local pages. Without it, sandbox mode sends nothing: every send is `not_configured`.
   */
  readonly sandbox?: WorkerSandbox;
  /**
   * Called with each delivery event attached to one of this deployment's messages (`POST /v1/events/{vendor}`):
   * our message id, whose message it is, and the event. It runs after the vendor is answered (`ctx.waitUntil`);
   * what it throws is logged by name and changes nothing. An event is handed over once, as it is recorded once.
   *
   * @example
   * createTxgateWorker({ actions, onEvent: async ({ messageId, event }) => { if (event.kind === "bounced") await markBounced(messageId); } });
   */
  readonly onEvent?: DeliveryEventHook;
}

/**
 * A deployment's actions, as `defineActions` returns them.
 *
 * @example
 * const actions = defineActions(catalogue, { welcome: { template: "welcome", auth: "jwt", recipient: { kind: "self" } } }) satisfies WorkerActions;
 */
export type WorkerActions = { readonly [name: string]: Action<VariablesSchema> };

/**
 * The Worker's handler (`{ fetch, queue }`) for a deployment's actions: the browser route `POST /v1/actions`,
 * the trusted route `POST /v1/send/{vendor}`, `GET /v1/messages/{id}`, and the send queue's consumer.
 *
 * @example
 * export default createTxgateWorker({ vendors: [acmeVendor, otherVendor], actions });
 */
export function createTxgateWorker<const A extends WorkerActions>(options: TxgateWorkerOptions<A>): WorkerHandler {
  return createHandler({ actions: options.actions, vendors: options.vendors, ...(options.sandbox ? { sandbox: options.sandbox } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
}

/**
 * The name of an action of `A`, e.g. `"order-shipped"`.
 *
 * @example
 * const name: ActionNameOf<typeof actions> = "order-shipped";
 */
export type ActionNameOf<A extends WorkerActions> = keyof A & string;
/**
 * The variables a browser sends for action `N` of `A`.
 *
 * @example
 * const variables: ActionVariablesOf<typeof actions, "order-shipped"> = { orderNumber: "1234" };
 */
export type ActionVariablesOf<A extends WorkerActions, N extends ActionNameOf<A>> = v.InferInput<A[N]["variables"]>;

// The Durable Object classes a deployment re-exports from its entry and binds in its wrangler.toml.
export { VendorAccountObject };
export { IdempotencyLedgerObject } from "./delivery/idempotency-ledger.ts";
export { MessageObject } from "./delivery/message-state.ts";
export { MessageIndexObject } from "./delivery/message-index.ts";

/**
 * The account object under its name before it was `VendorAccountObject`, and the same object in all but name, so a
 * deployment whose wrangler.toml binds `class_name = "VendorAccount"` keeps its objects and their storage by
 * re-exporting this.
 * To bind the new name, add a `[[migrations]]` step with `renamed_classes = [{ from = "VendorAccount", to =
 * "VendorAccountObject" }]` and export `VendorAccountObject` instead; the rename carries every object's storage.
 *
 * @deprecated Export and bind `VendorAccountObject`.
 * @example
 * export { IdempotencyLedgerObject, MessageIndexObject, MessageObject, VendorAccount } from "txgate/worker";
 */
export class VendorAccount extends VendorAccountObject {}

export {
  defineActions,
  line,
  paragraph,
  type Action,
  type ActionDeclaration,
  type ActionRateLimit,
  type ActionSchedule,
  type ActionRequest,
  type AllowListRecipient,
  type DefinedActions,
  type PerSendFields,
  type RecipientRule,
  type SelfRecipient,
  type VariablesSchema,
} from "./policy.ts";
/** The catalogue a deployment's actions are built on (also in `txgate/catalogue`). */
export { defineCatalogue, type Catalogue, type TemplateDeclaration, type VendorRoute } from "../catalogue/catalogue.ts";
/** A bare email address as the specs' `format: email` has it (rule `email`), for a variable such as a reply-to. */
export { emailAddress } from "../core/formats.ts";
export type { SandboxVendor, SandboxWebhookPost, WorkerSandbox } from "./sandbox.ts";
export { createLocalSandbox } from "./local/sandbox.ts";
export type { RecordedMessage } from "./local/outbox.ts";
export type { AttachedDeliveryEvent, DeliveryEventHook, EventCounts } from "./delivery/delivery-events.ts";
export type { DeliverySummary, MessageEvent, MessageView } from "./delivery/message-state.ts";
export type { Env } from "./env.ts";
export type { VendorOptions, VendorSettings } from "./vendor-settings.ts";
export type { AnyVendorDescriptor, EvaluatedSyntax, VendorDescriptor } from "../vendors/descriptor.ts";
export type { WorkerHandler } from "./router.ts";
export type { GateKind, Problem, ProblemKind } from "./problem.ts";
