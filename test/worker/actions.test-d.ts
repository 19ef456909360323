/**
 * Type tests (checked by `tsc -p worker`): a browser client imports only the policy's types, and a wrong action
 * name or variable fails at compile time.
 */
import { expectTypeOf } from "vitest";
import type { ActionName, ActionVariables, BrowserActionRequest } from "../../worker/actions.ts";

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
