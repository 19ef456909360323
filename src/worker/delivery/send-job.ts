/**
 * The send job: what a request that passed its route's gates becomes, once, and what runs it. A job is plain
 * JSON, so the value sent now is the value that waits in the queue: a browser action resolved (its catalogue
 * template, the recipient, the variables the policy checked, the action's per-send fields) or a trusted caller's
 * native message for one vendor (its attachments still base64). `runJob` sends one, now (dispatch.ts) or from the
 * queue (consumer.ts), the same way, failover included.
 *
 *   route ──▶ gates ──▶ actionJob / nativeJob ──▶ dispatch ──▶ runJob ──▶ outcome ──▶ sendAnswer
 *                                                    │                                  ▲
 *                                                    └──▶ queue ──▶ consumer ──▶ runJob ┘
 */
import * as v from "valibot";
import { createMailer, type Catalogue, type TemplateMessageClient } from "../../catalogue/catalogue.ts";
import type { CallOptions, Outcome, ValidationFailure, VendorName } from "../../core/public.ts";
import { decodeAttachments } from "../binary-fields.ts";
import type { Config } from "../env.ts";
import { actionVendors, type Action } from "../policy.ts";
import { Refusal } from "../problem.ts";
import { vendorClient } from "../vendors.ts";

/** What an action resolved to, before any vendor is asked. */
export interface ResolvedAction {
  readonly action: string;
  readonly template: string;
  /** The catalogue send's message: the recipient, the checked variables as `data`, and the action's per-send fields. */
  readonly message: Readonly<Record<string, unknown>> & { readonly to: string; readonly data: Readonly<Record<string, unknown>> };
}

/** A browser action's send: through its catalogue template, `vendor` being the template's first. */
export interface ActionJob {
  readonly audience: "browser";
  readonly vendor: VendorName;
  readonly body: ResolvedAction;
}

/** A trusted caller's send: the vendor's native message as the caller gave it (attachments as base64). */
export interface NativeJob {
  readonly audience: "caller";
  readonly vendor: VendorName;
  readonly body: unknown;
}

/**
 * One send, resolved and checked: plain JSON, stored as is by the message's state while it waits in the queue.
 *
 * @example
 * const job: SendJob = { audience: "caller", vendor, body };
 */
export type SendJob = ActionJob | NativeJob;

/**
 * A job as the worker holds it while it is handled: the job, a caller's message once decoded, and the job's body
 * as JSON once serialised (its queued size and what the message's state stores).
 *
 * @example
 * const ready = readyJob({ audience: "caller", vendor, body });
 * if (ready.bytes > MAX_QUEUED_BODY_BYTES) throw new Refusal("payload_too_large", "…");
 */
export interface ReadyJob {
  readonly job: SendJob;
  /** A caller's message with its attachments decoded; absent until decoded (an attempt from the queue decodes it then). */
  readonly message?: unknown;
  /** The vendor's own check of the message already passed (a batch checks every item before any is sent). */
  readonly validated?: boolean;
  /** The body as JSON, serialised on first use and then kept. */
  readonly json: string;
  /** `json`'s size in UTF-8 bytes. */
  readonly bytes: number;
}

/**
 * `job` ready to be dispatched or run; `decoded`, a caller's message as already decoded (once, at its route).
 *
 * @example
 * const ready = readyJob(storedJob(pickup)); // from the queue: runJob decodes it
 */
export function readyJob(job: SendJob, decoded?: { readonly message: unknown; readonly validated?: boolean }): ReadyJob {
  let json: string | undefined;
  let bytes: number | undefined;
  return {
    job,
    ...decoded,
    get json() {
      return (json ??= JSON.stringify(job.body));
    },
    get bytes() {
      return (bytes ??= new TextEncoder().encode(this.json).byteLength);
    },
  };
}

/**
 * The job for a browser action that passed every gate. The per-send fields (a fresh `externalId` for a vendor
 * that tells two sends apart by it) are made here, once, so a queued send keeps them on every attempt.
 *
 * @example
 * const ready = actionJob(call.name, call.action, recipient, parseVariables(call));
 */
export function actionJob(name: string, action: Action, recipient: string, variables: Readonly<Record<string, unknown>>): ReadyJob {
  return readyJob({ audience: "browser", vendor: actionVendors(action)[0]!, body: resolveAction(name, action, recipient, variables) });
}

/**
 * The resolved body of an action's job.
 *
 * @example
 * const resolved = resolveAction("welcome", action, "pat@example.com", variables);
 */
export function resolveAction(name: string, action: Action, recipient: string, variables: Readonly<Record<string, unknown>>): ResolvedAction {
  const fields = action.perSend?.() ?? {};
  return { action: name, template: action.template, message: { ...fields, to: recipient, data: variables } };
}

/**
 * The job for a trusted caller's native message: its attachments decoded here, once (a 422 naming each bad one).
 *
 * @example
 * const ready = nativeJob(config, vendor, body);
 */
export function nativeJob(config: Config, vendor: VendorName, body: unknown): ReadyJob {
  return readyJob({ audience: "caller", vendor, body }, { message: decodeAttachments(config.served.get(vendor), body) });
}

/**
 * The job a message's state kept (`Pickup`, `NewMessage`): the same fields, read back.
 *
 * @example
 * const outcome = await runJob(readyJob(storedJob(pickup)), context);
 */
export function storedJob(stored: { readonly audience: SendJob["audience"]; readonly vendor: VendorName; readonly body: unknown }): SendJob {
  // An action's body is read as the action it names when it is run (`unknown_action` when that action is gone).
  return { audience: stored.audience, vendor: stored.vendor, body: stored.body } as SendJob;
}

/** What a request has done so far that its answer must own up to. */
export interface SendProgress {
  /** Set just before a vendor can be asked: from then on a failure cannot say the email was not sent. */
  vendorCalled: boolean;
}

/**
 * What running a job needs besides the job.
 *
 * @example
 * const context: RunContext = { config, actions, call: { messageId: id, beforeFetch } };
 */
export interface RunContext {
  readonly config: Config;
  /** The deployment's actions: an action's job names one. */
  readonly actions: Readonly<Record<string, Action>>;
  /** Given to every vendor asked: a queued attempt's `beforeFetch`, the message id its events come back with. */
  readonly call?: CallOptions;
  /** Told when a vendor may be asked. */
  readonly progress?: SendProgress;
}

/** A job's outcome: the vendor's (or the catalogue's, after failover), or the worker's own refusal before any vendor was asked. */
export type JobOutcome = Outcome<unknown> | Refusal;

/**
 * Runs a job: a browser action through its catalogue template, vendor after vendor as the catalogue allows (a
 * vendor this worker has no client for is skipped; with none at all, the first one's `not_configured`), or a
 * caller's message through its vendor's client. Never rejects with a `Refusal`: the worker's own refusal (no
 * client, an action no longer served, an attachment that is not base64) is the outcome.
 *
 * @example
 * const outcome = await runJob(ready, { config, actions, call: synchronousCall(), progress });
 */
export async function runJob(ready: ReadyJob, context: RunContext): Promise<JobOutcome> {
  try {
    const { job } = ready;
    if (job.audience === "browser") return await sendAction(job.body, context);
    const message = messageOf(ready, context.config);
    const client = vendorClient(context.config, job.vendor);
    if (context.progress) context.progress.vendorCalled = true;
    return await client.send(message, context.call);
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}

/**
 * What sending now would refuse before asking a vendor, checked before a job is queued so the queue refuses what
 * the synchronous route refuses: a `Refusal` thrown when this worker has no client for the job's vendor (for an
 * action, for any of its template's vendors), the vendor's `validation` failure returned.
 *
 * @example
 * const refused = await refusalBeforeQueueing(ready, config, actions);
 */
export async function refusalBeforeQueueing(ready: ReadyJob, config: Config, actions: RunContext["actions"]): Promise<ValidationFailure | undefined> {
  const { job } = ready;
  if (job.audience === "browser") {
    actionClients(config, actionOf(actions, job.body));
    return undefined;
  }
  const client = vendorClient(config, job.vendor);
  return ready.validated ? undefined : client.validate(messageOf(ready, config));
}

/** A caller's message with its attachments decoded: as decoded at its route, or now (once per attempt from the queue). */
function messageOf(ready: ReadyJob, config: Config): unknown {
  return "message" in ready ? ready.message : decodeAttachments(config.served.get(ready.job.vendor), ready.job.body);
}

/** The action a job names, as it still is; a refusal for one this worker no longer serves (a deploy since it was queued). */
function actionOf(actions: RunContext["actions"], resolved: ResolvedAction): Action {
  const action = Object.hasOwn(actions, resolved.action) ? actions[resolved.action] : undefined;
  if (!action || action.template !== resolved.template) throw new Refusal("unknown_action", "this worker no longer has the action this message was queued for");
  return action;
}

/**
 * The clients this worker has for the action's vendors; a vendor it has none for is left out (the catalogue then
 * skips it, nothing sent). With none at all, the first vendor's `not_configured` refusal, as for a single vendor.
 */
function actionClients(config: Config, action: Action): Partial<Record<VendorName, TemplateMessageClient>> {
  const vendors = actionVendors(action);
  const clients: Partial<Record<VendorName, TemplateMessageClient>> = {};
  for (const vendor of vendors) {
    try {
      clients[vendor] = vendorClient(config, vendor);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
    }
  }
  if (!Object.keys(clients).length) vendorClient(config, vendors[0]!);
  return clients;
}

async function sendAction(resolved: ResolvedAction, context: RunContext): Promise<Outcome<unknown>> {
  const action = actionOf(context.actions, resolved);
  const clients = actionClients(context.config, action);
  if (context.progress) context.progress.vendorCalled = true;
  return createMailer(checkedCatalogue(action), clients as never).send(resolved.template, resolved.message as never, context.call);
}

/** Takes a template's variables as they are: the policy checked them with the template's own schema (`parseVariables`). */
const CHECKED_VARIABLES = v.unknown();
const checkedCatalogues = new WeakMap<Action, Catalogue>();

/**
 * The action's template as the worker sends it: the catalogue's, but taking the variables the job carries as
 * already checked, so the template's schema runs once per send (at the route) and its output is what is sent.
 * A library user's own `createMailer` still checks every call.
 */
function checkedCatalogue(action: Action): Catalogue {
  let catalogue = checkedCatalogues.get(action);
  if (!catalogue) checkedCatalogues.set(action, (catalogue = { [action.template]: { ...action.catalogue[action.template]!, variables: CHECKED_VARIABLES } }));
  return catalogue;
}
