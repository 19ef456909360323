/**
 * The typed policy for browser callers. An action name maps to everything the browser may not choose: the
 * catalogue template (and so the vendors, templates and senders, and the variables the browser may supply), how
 * the caller proves who they are, who may receive it, and its limits. The browser sends only
 * `{action, variables, recipient}`, and `sendAt` for an action that may be scheduled.
 */
import * as v from "valibot";
import type { Catalogue, CatalogueMessage, TemplateDeclaration } from "../catalogue/catalogue.ts";
import type { ValidationIssue, VendorName } from "../core/public.ts";
import { joinPath, toValidationIssues } from "../core/validation.ts";
import type { VerifiedUser } from "./gates/jwt.ts";
import { MAX_SEND_AT_AHEAD_MS } from "./delivery/send-at.ts";
import { Refusal } from "./problem.ts";

export type { EvaluatedSyntax } from "../vendors/descriptor.ts";

/**
 * Only the signed-in user's own (verified) address.
 *
 * @example
 * "order-shipped": { template: "orderShipped", auth: "jwt", recipient: { kind: "self" } satisfies SelfRecipient }
 */
export interface SelfRecipient {
  readonly kind: "self";
}
/**
 * One of a fixed list of addresses (a support inbox, a sales team).
 *
 * @example
 * "contact-form": { template: "contact", auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] } satisfies AllowListRecipient }
 */
export interface AllowListRecipient {
  readonly kind: "allow";
  readonly addresses: readonly string[];
}
/**
 * Who may receive an action's email: the signed-in user only, or one of a fixed list.
 *
 * @example
 * const rule: RecipientRule = { kind: "allow", addresses: ["support@example.com", "sales@example.com"] };
 */
export type RecipientRule = SelfRecipient | AllowListRecipient;

/**
 * The variables a browser may send: a strict object, so an extra field is refused, not ignored.
 *
 * @example
 * const variables: VariablesSchema = v.strictObject({ name: line(100) });
 */
export type VariablesSchema = v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;

/**
 * An action's own rate limit, on top of the worker's per-user (JWT) or per-IP (Turnstile) one: a Workers Rate
 * Limiting binding of the deployment's (its limit and period are the binding's, in wrangler.toml), counted per
 * user or IP (`per: "caller"`, the default) or once for the whole action (`per: "action"`: a site-wide cap).
 *
 * @example
 * "contact-form": { template: "contact", auth: "turnstile", recipient, rateLimit: { binding: "CONTACT_RATE_LIMIT", per: "action" } satisfies ActionRateLimit }
 */
export interface ActionRateLimit {
  readonly binding: string;
  readonly per?: "caller" | "action";
}

/**
 * The fields of the common message an action sets for each send (a fresh `externalId` for a vendor that tells two
 * sends apart by it), and `byVendor` for a field only one vendor takes.
 *
 * @example
 * perSend: (): PerSendFields<(typeof catalogue)["passwordChanged"]> => ({ externalId: crypto.randomUUID() })
 */
export type PerSendFields<D extends TemplateDeclaration> = Omit<CatalogueMessage<D>, "to" | "data">;

/** The name of one of a template's variables (any string for a template not known yet). */
type VariableName<D extends TemplateDeclaration> = unknown extends v.InferInput<D["variables"]> ? string : keyof v.InferInput<D["variables"]> & string;

interface ActionBase<D extends TemplateDeclaration> {
  /** The catalogue template this action sends: its variables are what the browser may send. */
  readonly template: string;
  /** Variables that may hold line breaks (a message body). Every other string is header-safe by force. */
  readonly multiline?: readonly VariableName<D>[];
  /** Fields computed on each send, after every gate: never from the browser. */
  readonly perSend?: () => PerSendFields<D>;
  readonly rateLimit?: ActionRateLimit;
  /**
   * Lets a browser schedule the email (`sendAt`, with `Prefer: respond-async`) up to `maxDelaySeconds` ahead (at
   * most 30 days); a scheduled email can be cancelled until it starts (`DELETE /v1/messages/{id}`). Without it,
   * a `sendAt` is refused.
   */
  readonly schedule?: ActionSchedule;
}

/**
 * How far ahead a browser may schedule an action's email.
 *
 * @example
 * "appointment-reminder": { template: "reminder", auth: "jwt", recipient: { kind: "self" }, schedule: { maxDelaySeconds: 14 * 86_400 } }
 */
export interface ActionSchedule {
  /** Seconds, from 1 to 2592000 (30 days). */
  readonly maxDelaySeconds: number;
}

type AuthRule =
  | { readonly auth: "jwt"; readonly recipient: RecipientRule; readonly turnstileAction?: never }
  | {
      readonly auth: "turnstile";
      readonly recipient: AllowListRecipient;
      /**
       * The `action` the page's Turnstile widget is rendered with (`data-action="contact"`): siteverify must then
       * report that action, so a token solved on another form with the same sitekey is refused. Up to 32
       * letters, digits, `_` and `-`, as Turnstile allows.
       */
      readonly turnstileAction?: string;
    };

/**
 * One action as declared: the catalogue template it sends, how the caller proves who they are, who may receive
 * it, and its limits. `self` recipients need a signed-in user, so they come with `auth: "jwt"` only.
 *
 * @example
 * const declaration: ActionDeclaration = { template: "welcome", auth: "jwt", recipient: { kind: "self" } };
 */
export type ActionDeclaration<D extends TemplateDeclaration = TemplateDeclaration> = ActionBase<D> & AuthRule;

/**
 * One action as `defineActions` returns it: its declaration, with its template's variables and catalogue.
 *
 * @example
 * const action: Action = actions["contact-form"];
 * console.log(action.template, action.auth, action.recipient);
 */
export type Action<S extends VariablesSchema = VariablesSchema> = ActionDeclaration & {
  readonly variables: S;
  readonly catalogue: Catalogue;
};

/** The names of a catalogue's templates whose variables a browser can send: a strict object. */
export type BrowserTemplateName<C extends Catalogue> = { [K in keyof C & string]: C[K]["variables"] extends VariablesSchema ? K : never }[keyof C & string];

/**
 * What `defineActions` returns for declarations `D` on catalogue `C`.
 *
 * @example
 * const actions = defineActions(catalogue, { welcome: { template: "welcome", auth: "jwt", recipient: { kind: "self" } } });
 * type Defined = typeof actions; // DefinedActions<typeof catalogue, …>
 */
export type DefinedActions<C extends Catalogue, D extends Readonly<Record<string, { readonly template: string }>>> = {
  readonly [N in keyof D]: D[N] & { readonly variables: C[D[N]["template"]]["variables"]; readonly catalogue: C };
};

/** The furthest ahead any send may be scheduled, in seconds: delivery/send-at.ts's limit, which holds every send to it. */
const MAX_SCHEDULE_SECONDS = MAX_SEND_AT_AHEAD_MS / 1000;
/** Action names are URL- and log-safe: lower-case words joined by hyphens. */
const ACTION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** What Turnstile accepts as a widget's `action`. */
const TURNSTILE_ACTION = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Declares a deployment's actions on its catalogue, checking at load what types cannot: names, templates whose
 * variables are a strict object, and non-empty allow-lists.
 *
 * @example
 * export const actions = defineActions(catalogue, {
 *   "order-shipped": { template: "orderShipped", auth: "jwt", recipient: { kind: "self" } },
 * });
 */
export function defineActions<
  const C extends Catalogue,
  const D extends { readonly [name: string]: ActionDeclaration & { readonly template: BrowserTemplateName<C> } },
>(catalogue: C, actions: D & { readonly [N in keyof D]: ActionDeclaration<C[D[N]["template"]]> }): DefinedActions<C, D> {
  const defined: Record<string, Action> = {};
  for (const [name, action] of Object.entries(actions as Readonly<Record<string, ActionDeclaration>>)) {
    if (!ACTION_NAME.test(name)) throw new TypeError(`action name ${JSON.stringify(name)} must be lower-case words joined by hyphens`);
    const declaration = Object.hasOwn(catalogue, action.template) ? catalogue[action.template] : undefined;
    if (!declaration) throw new TypeError(`action ${name}: ${JSON.stringify(action.template)} is not in the catalogue`);
    // A strict object, so a variable the template does not take is refused, never passed on.
    if ((declaration.variables as { type?: string }).type !== "strict_object") throw new TypeError(`action ${name}: template ${action.template}'s variables must be a v.strictObject`);
    if (action.recipient.kind === "allow" && !action.recipient.addresses.length) throw new TypeError(`action ${name} allows no recipient`);
    // The types say so too; this is for actions written in plain JavaScript or cast.
    if (action.auth !== "jwt" && (action.recipient as RecipientRule).kind === "self") throw new TypeError(`action ${name}: a self recipient needs auth "jwt"`);
    const turnstileAction = (action as { turnstileAction?: unknown }).turnstileAction;
    if (turnstileAction !== undefined && (action.auth !== "turnstile" || typeof turnstileAction !== "string" || !TURNSTILE_ACTION.test(turnstileAction))) {
      throw new TypeError(`action ${name}: turnstileAction must be up to 32 letters, digits, _ or -, on an action with auth "turnstile"`);
    }
    const rateLimit = action.rateLimit as ActionRateLimit | undefined;
    if (rateLimit !== undefined && (typeof rateLimit.binding !== "string" || !rateLimit.binding || (rateLimit.per !== undefined && rateLimit.per !== "caller" && rateLimit.per !== "action"))) {
      throw new TypeError(`action ${name}: rateLimit names a rate limiting binding, per "caller" or "action"`);
    }
    const schedule = action.schedule as ActionSchedule | undefined;
    if (schedule !== undefined && !(Number.isInteger(schedule?.maxDelaySeconds) && schedule.maxDelaySeconds >= 1 && schedule.maxDelaySeconds <= MAX_SCHEDULE_SECONDS)) {
      throw new TypeError(`action ${name}: schedule.maxDelaySeconds must be whole seconds from 1 to ${MAX_SCHEDULE_SECONDS} (30 days)`);
    }
    defined[name] = { ...action, variables: declaration.variables as VariablesSchema, catalogue };
  }
  return defined as unknown as DefinedActions<C, D>;
}

/** The vendors an action's template may be sent through, in failover order. */
export function actionVendors(action: Action): VendorName[] {
  return action.catalogue[action.template]!.via.map((route) => route.vendor);
}

/**
 * What a browser sends for action `N` of `A`: the request body of `POST /v1/actions`. For a union of names it
 * is a union of requests, so each action keeps its own variables.
 *
 * @example
 * const body: ActionRequest<typeof actions, "order-shipped"> = { action: "order-shipped", variables: { orderNumber: "1234" } };
 */
export type ActionRequest<A extends { readonly [name: string]: { readonly variables: v.GenericSchema } }, N extends keyof A & string> = N extends unknown
  ? {
      readonly action: N;
      readonly variables: v.InferInput<A[N]["variables"]>;
      /** Required for an allow-list of more than one address; optional otherwise (it must then be the one allowed). */
      readonly recipient?: string;
    }
  : never;

/** A request body that named a known action; variables an object, not yet checked. */
export interface ActionCall {
  readonly name: string;
  readonly action: Action;
  readonly variables: unknown;
  readonly recipient?: string;
  /** When to send it, as the browser wrote it (read by `actionSendAt`). */
  readonly sendAt?: unknown;
}

const BODY_FIELDS = new Set(["action", "variables", "recipient", "sendAt"]);

/**
 * The action a browser request names. Refuses unknown fields (the browser cannot add a `from`, `cc`, `html`
 * or `template` beside the three it may send), unknown actions, and `variables` that are not an object.
 *
 * @example
 * const call = parseActionCall(body, actions);
 */
export function parseActionCall(body: unknown, actions: Readonly<Record<string, Action>>): ActionCall {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new Refusal("validation", "the body must be a JSON object", { issues: [{ path: "", rule: "object", message: "must be {action, variables, recipient}" }] });
  }
  const fields = body as Record<string, unknown>;
  const extra = Object.keys(fields).filter((key) => !BODY_FIELDS.has(key));
  if (extra.length) {
    throw new Refusal("validation", "the body may hold only action, variables, recipient and sendAt", {
      issues: extra.map((key) => ({ path: key.slice(0, 64), rule: "unknown_field", message: "is not a field the browser may send" })),
    });
  }
  const { action: name, variables = {}, recipient, sendAt } = fields;
  if (typeof name !== "string" || !Object.hasOwn(actions, name)) {
    throw new Refusal("unknown_action", typeof name === "string" ? `no action is named ${JSON.stringify(name.slice(0, 64))}` : "name an action");
  }
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) {
    throw new Refusal("validation", "variables must be a JSON object", { issues: [{ path: "variables", rule: "object", message: "must be an object of the action's variables" }] });
  }
  if (recipient !== undefined && (typeof recipient !== "string" || recipient.length > 254)) {
    throw new Refusal("validation", "recipient must be an email address", { issues: [{ path: "recipient", rule: "email", message: "must be an email address" }] });
  }
  return { name, action: actions[name]!, variables, ...(recipient === undefined ? {} : { recipient }), ...(sendAt === undefined ? {} : { sendAt }) };
}

/**
 * The action's variables after its schema; a 422 naming each bad field (`variables.orderNumber`) otherwise. The
 * only check of the variables a send gets: its output is what the send job carries, to the vendor now or through
 * the queue as JSON, and the catalogue send takes it as checked (delivery/send-job.ts).
 *
 * @example
 * const variables = parseVariables(call);
 */
export function parseVariables(call: ActionCall): Record<string, unknown> {
  const result = v.safeParse(call.action.variables, call.variables);
  if (result.success) return result.output;
  const issues: ValidationIssue[] = toValidationIssues(result.issues).map((issue) => ({ ...issue, path: joinPath("variables", issue.path) }));
  throw new Refusal("validation", "the variables do not fit the action", { issues });
}

/**
 * Who receives the email: decided by the action's rule, never by the browser alone. For `self` it is the
 * signed-in user's verified address; for an allow-list, the address asked for if it is on the list.
 *
 * @example
 * const recipient = resolveRecipient(call.action.recipient, call.recipient, user);
 */
export function resolveRecipient(rule: RecipientRule, requested: string | undefined, user: VerifiedUser | undefined): string {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (rule.kind === "self") {
    if (!user?.email) throw new Refusal("forbidden_recipient", "your sign-in carries no verified email address");
    if (requested !== undefined && !same(requested, user.email)) {
      throw new Refusal("forbidden_recipient", "this action sends only to your own address");
    }
    return user.email;
  }
  if (requested === undefined) {
    if (rule.addresses.length === 1) return rule.addresses[0]!;
    throw new Refusal("validation", "name the recipient", { issues: [{ path: "recipient", rule: "required", message: "is required for this action" }] });
  }
  const allowed = rule.addresses.find((address) => same(address, requested));
  if (!allowed) throw new Refusal("forbidden_recipient", "this action does not send to that address");
  return allowed;
}

/**
 * A one-line text variable (a name, an order number): no line breaks, at most `max` characters.
 *
 * @example
 * variables: v.strictObject({ orderNumber: line(32) })
 */
export const line = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(/^[^\r\n]*$/, "must be one line"));

/**
 * A multi-line text variable (a message); list it in the action's `multiline`.
 *
 * @example
 * variables: v.strictObject({ message: paragraph(4000) }), multiline: ["message"]
 */
export const paragraph = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
