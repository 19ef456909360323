/**
 * Type tests (checked by `tsc -p worker`): a wrong action name or variable fails at compile time in what a browser
 * client imports (types only), and a wrong template or multiline variable in what a deployment declares.
 */
import { expectTypeOf } from "vitest";
import { defineActions } from "../../src/worker/index.ts";
import { catalogue, type ActionName, type ActionVariables, type BrowserActionRequest } from "../../worker/actions.ts";

expectTypeOf<ActionName>().toEqualTypeOf<"order-shipped" | "contact-form" | "password-changed" | "welcome">();
expectTypeOf<ActionVariables<"order-shipped">>().toEqualTypeOf<{ orderNumber: string; carrier?: string | undefined; trackingUrl?: string | undefined }>();

export const valid: BrowserActionRequest<"contact-form">[] = [
  { action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo: "joe@example.com", message: "Hi" } },
];

export const invalid: BrowserActionRequest<"order-shipped" | "welcome">[] = [
  // @ts-expect-error a variable the action does not take
  { action: "order-shipped", variables: { orderNumber: "A-1", subject: "Free money" } },
  // @ts-expect-error a required variable missing
  { action: "welcome", variables: {} },
  // @ts-expect-error a variable of the wrong type
  { action: "order-shipped", variables: { orderNumber: 1234 } },
  // @ts-expect-error one action's variables under another's name
  { action: "welcome", variables: { orderNumber: "A-1" } },
];

// @ts-expect-error an action that does not exist
export const unknown: BrowserActionRequest<"send-anything"> = { action: "send-anything", variables: {} };

// Declaring actions: the template must be in the catalogue, and multiline must name its variables.

export const declared = defineActions(catalogue, {
  fine: { template: "contactMessage", auth: "turnstile", recipient: { kind: "allow", addresses: ["a@example.com"] }, multiline: ["message"] },
});
// @ts-expect-error a template the catalogue does not declare
export const unknownTemplate = defineActions(catalogue, { a: { template: "resetPassword", auth: "jwt", recipient: { kind: "self" } } });
// @ts-expect-error multiline names a variable the template does not have
export const wrongMultiline = defineActions(catalogue, { a: { template: "welcome", auth: "jwt", recipient: { kind: "self" }, multiline: ["message"] } });
