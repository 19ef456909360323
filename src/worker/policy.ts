/**
 * The typed policy for browser callers. An action name maps to everything the browser may not choose: the
 * vendor, template and sender (a `VendorTemplate`, see templates.ts), how the caller proves who they are,
 * who may receive it, and which variables the browser may supply (a valibot schema each). The browser sends
 * only `{action, variables, recipient}`.
 */
import * as v from "valibot";
import type { ValidationIssue, VendorName } from "../core/public.ts";
import { joinPath, toValidationIssues } from "../core/validation.ts";
import type { VerifiedUser } from "./gates/jwt.ts";
import { Refusal } from "./problem.ts";

/** Only the signed-in user's own (verified) address. */
export interface SelfRecipient {
  readonly kind: "self";
}
/** One of a fixed list of addresses (a support inbox, a sales team). */
export interface AllowListRecipient {
  readonly kind: "allow";
  readonly addresses: readonly string[];
}
export type RecipientRule = SelfRecipient | AllowListRecipient;

/** The variables a browser may send: a strict object, so an extra field is refused, not ignored. */
export type VariablesSchema = v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;

/** How the vendor message is made from an accepted request: fixed vendor, template and sender. */
export interface VendorTemplate {
  readonly vendor: VendorName;
  /** The vendor's template (or transactional message) id, for logs and the sandbox outbox. */
  readonly template: string | number;
  /** The fixed sender, when the vendor takes one per message. */
  readonly sender?: string;
  /**
   * The vendor's template syntax that it evaluates inside the values it substitutes (ExpertSender's `*[tag]*`):
   * a browser variable holding it is refused, so a page cannot make the template read data it was not given.
   */
  readonly evaluatedSyntax?: EvaluatedSyntax;
  /** The client's `send` input for one recipient; `variables` have passed the action's schema. */
  build(input: { readonly recipient: string; readonly variables: Readonly<Record<string, unknown>> }): unknown;
}

/** A vendor's template syntax, as a pattern that finds its opening sequence, and how to name it to the browser. */
export interface EvaluatedSyntax {
  readonly pattern: RegExp;
  readonly description: string;
}

interface ActionBase<S extends VariablesSchema> {
  readonly variables: S;
  /** Variables that may hold line breaks (a message body). Every other string is header-safe by force. */
  readonly multiline?: readonly (keyof v.InferInput<S> & string)[];
  readonly send: VendorTemplate;
}

/**
 * One browser action. `self` recipients need a signed-in user, so they come with `auth: "jwt"` only.
 *
 * @example
 * const action: Action = { auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] }, variables: v.strictObject({}), send };
 */
export type Action<S extends VariablesSchema = VariablesSchema> =
  | (ActionBase<S> & { readonly auth: "jwt"; readonly recipient: RecipientRule; readonly turnstileAction?: never })
  | (ActionBase<S> & {
      readonly auth: "turnstile";
      readonly recipient: AllowListRecipient;
      /**
       * The `action` the page's Turnstile widget is rendered with (`data-action="contact"`): siteverify must then
       * report that action, so a token solved on another form with the same sitekey is refused. Up to 32
       * letters, digits, `_` and `-`, as Turnstile allows.
       */
      readonly turnstileAction?: string;
    });

/** Action names are URL- and log-safe: lower-case words joined by hyphens. */
const ACTION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** What Turnstile accepts as a widget's `action`. */
const TURNSTILE_ACTION = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Declares a deployment's actions, checking at load what types cannot: names, and non-empty allow-lists.
 *
 * @example
 * export const actions = defineActions({
 *   "order-shipped": { auth: "jwt", recipient: { kind: "self" }, variables: v.strictObject({ orderNumber: line(32) }), send: listmonkTemplate({ templateId: 2, from: "Shop <shop@example.com>" }) },
 * });
 */
export function defineActions<const A extends { readonly [name: string]: Action<VariablesSchema> }>(actions: A): A {
  for (const [name, action] of Object.entries(actions)) {
    if (!ACTION_NAME.test(name)) throw new TypeError(`action name ${JSON.stringify(name)} must be lower-case words joined by hyphens`);
    if (action.recipient.kind === "allow" && !action.recipient.addresses.length) throw new TypeError(`action ${name} allows no recipient`);
    // The types say so too; this is for actions written in plain JavaScript or cast.
    if (action.auth !== "jwt" && (action.recipient as RecipientRule).kind === "self") throw new TypeError(`action ${name}: a self recipient needs auth "jwt"`);
    const turnstileAction = (action as { turnstileAction?: unknown }).turnstileAction;
    if (turnstileAction !== undefined && (action.auth !== "turnstile" || typeof turnstileAction !== "string" || !TURNSTILE_ACTION.test(turnstileAction))) {
      throw new TypeError(`action ${name}: turnstileAction must be up to 32 letters, digits, _ or -, on an action with auth "turnstile"`);
    }
  }
  return actions;
}

/**
 * What a browser sends for action `N` of `A`: the request body of `POST /v1/actions`. For a union of names it
 * is a union of requests, so each action keeps its own variables.
 *
 * @example
 * const body: ActionRequest<typeof actions, "order-shipped"> = { action: "order-shipped", variables: { orderNumber: "1234" } };
 */
export type ActionRequest<A extends Record<string, Action<VariablesSchema>>, N extends keyof A & string> = N extends unknown
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
}

const BODY_FIELDS = new Set(["action", "variables", "recipient"]);

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
    throw new Refusal("validation", "the body may hold only action, variables and recipient", {
      issues: extra.map((key) => ({ path: key.slice(0, 64), rule: "unknown_field", message: "is not a field the browser may send" })),
    });
  }
  const { action: name, variables = {}, recipient } = fields;
  if (typeof name !== "string" || !Object.hasOwn(actions, name)) {
    throw new Refusal("unknown_action", typeof name === "string" ? `no action is named ${JSON.stringify(name.slice(0, 64))}` : "name an action");
  }
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) {
    throw new Refusal("validation", "variables must be a JSON object", { issues: [{ path: "variables", rule: "object", message: "must be an object of the action's variables" }] });
  }
  if (recipient !== undefined && (typeof recipient !== "string" || recipient.length > 254)) {
    throw new Refusal("validation", "recipient must be an email address", { issues: [{ path: "recipient", rule: "email", message: "must be an email address" }] });
  }
  return { name, action: actions[name]!, variables, ...(recipient === undefined ? {} : { recipient }) };
}

/**
 * The action's variables after its schema; a 422 naming each bad field (`variables.orderNumber`) otherwise.
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
