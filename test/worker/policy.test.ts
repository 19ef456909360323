/** The policy machinery and this deployment's actions (worker/actions.ts). */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ActOnMessageSchema } from "../../src/acton/index.ts";
import { EverlyticMessageSchema } from "../../src/everlytic/index.ts";
import { ExpertSenderMessageSchema } from "../../src/expertsender/index.ts";
import { ListmonkMessageSchema } from "../../src/listmonk/index.ts";
import { actions } from "../../worker/actions.ts";
import { defineActions, line, parseActionCall, parseVariables, resolveRecipient } from "../../src/worker/policy.ts";
import { Refusal } from "../../src/worker/problem.ts";
import { defineCatalogue } from "../../src/catalogue/catalogue.ts";
import { resolveAction } from "../../src/worker/delivery/send-job.ts";
import { toActOnMessage } from "../../src/acton/message-converter.ts";
import { toEverlyticMessage } from "../../src/everlytic/message-converter.ts";
import { toExpertSenderMessage } from "../../src/expertsender/message-converter.ts";
import { toListmonkMessage } from "../../src/listmonk/message-converter.ts";
import { createMailer, type TemplateMessageClient } from "../../src/catalogue/catalogue.ts";
import type { TemplateMessage } from "../../src/core/message.ts";

const kindOf = (run: () => unknown) => {
  try {
    run();
    return "passed";
  } catch (error) {
    return (error as Refusal).problem.kind;
  }
};

describe("defineActions", () => {
  const catalogue = defineCatalogue({
    t: { variables: v.strictObject({}), via: [{ vendor: "listmonk", template: 1 }] },
    loose: { variables: v.object({}), via: [{ vendor: "listmonk", template: 1 }] },
  });
  it("refuses names that are not lower-case words joined by hyphens", () => {
    expect(() => defineActions(catalogue, { "Order Shipped": { template: "t", auth: "jwt", recipient: { kind: "self" } } })).toThrow(TypeError);
  });
  it("refuses an empty allow-list", () => {
    expect(() => defineActions(catalogue, { form: { template: "t", auth: "turnstile", recipient: { kind: "allow", addresses: [] } } })).toThrow(TypeError);
  });
  it("refuses a template not in the catalogue, or whose variables are not a strict object (compile errors too)", () => {
    // @ts-expect-error not in the catalogue
    expect(() => defineActions(catalogue, { a: { template: "nope", auth: "jwt", recipient: { kind: "self" } } })).toThrow(TypeError);
    // @ts-expect-error a browser could add variables a plain v.object would pass on
    expect(() => defineActions(catalogue, { a: { template: "loose", auth: "jwt", recipient: { kind: "self" } } })).toThrow(TypeError);
  });
  it("refuses a rate limit that names no binding", () => {
    expect(() => defineActions(catalogue, { a: { template: "t", auth: "jwt", recipient: { kind: "self" }, rateLimit: { binding: "" } } })).toThrow(TypeError);
    expect(() => defineActions(catalogue, { a: { template: "t", auth: "jwt", recipient: { kind: "self" }, rateLimit: { binding: "A_LIMIT", per: "action" } } })).not.toThrow();
  });
  it("refuses a schedule that is not whole seconds from 1 to 30 days", () => {
    const action = { template: "t", auth: "jwt", recipient: { kind: "self" } } as const;
    expect(() => defineActions(catalogue, { a: { ...action, schedule: { maxDelaySeconds: 30 * 86_400 } } })).not.toThrow();
    for (const maxDelaySeconds of [0, 1.5, 30 * 86_400 + 1, Number.NaN]) expect(() => defineActions(catalogue, { a: { ...action, schedule: { maxDelaySeconds } } })).toThrow(TypeError);
  });
  it("refuses a turnstileAction Turnstile would not accept, or on a signed-in action", () => {
    const form = { template: "t", auth: "turnstile", recipient: { kind: "allow", addresses: ["a@example.com"] } } as const;
    expect(() => defineActions(catalogue, { form: { ...form, turnstileAction: "contact_form-2" } })).not.toThrow();
    for (const turnstileAction of ["", "contact form", "x".repeat(33), "café"]) expect(() => defineActions(catalogue, { form: { ...form, turnstileAction } })).toThrow(TypeError);
    // @ts-expect-error only anonymous (Turnstile) actions have a widget
    expect(() => defineActions(catalogue, { a: { template: "t", auth: "jwt", recipient: { kind: "self" }, turnstileAction: "contact" } })).toThrow(TypeError);
  });
  it("refuses a self recipient for an anonymous action (a compile error too)", () => {
    // @ts-expect-error `self` needs a signed-in user
    expect(() => defineActions(catalogue, { form: { template: "t", auth: "turnstile", recipient: { kind: "self" } } })).toThrow(TypeError);
  });
});

describe("recipient rules", () => {
  const user = { subject: "u1", email: "Ada@Example.com" };
  it("self: the verified email, whatever the case the browser wrote it in", () => {
    expect(resolveRecipient({ kind: "self" }, undefined, user)).toBe("Ada@Example.com");
    expect(resolveRecipient({ kind: "self" }, "ada@example.com", user)).toBe("Ada@Example.com");
    expect(kindOf(() => resolveRecipient({ kind: "self" }, "eve@example.com", user))).toBe("forbidden_recipient");
    expect(kindOf(() => resolveRecipient({ kind: "self" }, undefined, { subject: "u2" }))).toBe("forbidden_recipient");
  });
  it("allow: an address on the list, in the list's spelling; the only one when there is one", () => {
    const rule = { kind: "allow", addresses: ["support@example.com", "sales@example.com"] } as const;
    expect(resolveRecipient(rule, "SALES@example.com", undefined)).toBe("sales@example.com");
    expect(kindOf(() => resolveRecipient(rule, undefined, undefined))).toBe("validation");
    expect(resolveRecipient({ kind: "allow", addresses: ["support@example.com"] }, undefined, undefined)).toBe("support@example.com");
    expect(kindOf(() => resolveRecipient(rule, "support@example.com.evil.example", undefined))).toBe("forbidden_recipient");
  });
});

describe("request bodies", () => {
  it("name a known action and nothing more", () => {
    expect(parseActionCall({ action: "welcome", variables: { firstName: "Pat" } }, actions).name).toBe("welcome");
    expect(kindOf(() => parseActionCall({ action: "hasOwnProperty" }, actions))).toBe("unknown_action");
    expect(kindOf(() => parseActionCall({ action: "welcome", replyTo: "x" }, actions))).toBe("validation");
    expect(kindOf(() => parseActionCall(null, actions))).toBe("validation");
  });
  it.each([
    ["an array", [[[["x"]]]]],
    ["a string", "Pat"],
    ["a number", 7],
    ["null", null],
    ["true", true],
  ])("refuse variables that are %s (422), before any gate walks them", (_name, variables) => {
    let problem: Refusal["problem"] | undefined;
    try {
      parseActionCall({ action: "welcome", variables }, actions);
    } catch (error) {
      problem = (error as Refusal).problem;
    }
    expect(problem).toMatchObject({ kind: "validation", status: 422, issues: [{ path: "variables", rule: "object" }] });
  });
  it("take missing variables as none", () => {
    expect(parseActionCall({ action: "welcome" }, actions).variables).toEqual({});
  });
  it("line() is one line within its length", () => {
    expect(v.is(line(5), "abcde")).toBe(true);
    expect(v.is(line(5), "abcdef")).toBe(false);
    expect(v.is(line(5), "a\nb")).toBe(false);
    expect(v.is(line(5), "")).toBe(false);
  });
});

describe("variables", () => {
  const problemOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as Refusal).problem;
    }
    return undefined;
  };
  it("name a bad variable by the library's path syntax, under variables", () => {
    const call = parseActionCall({ action: "welcome", variables: { firstName: "Pat", "a.b": "x" } }, actions);
    expect(problemOf(() => parseVariables(call))).toMatchObject({ kind: "validation", issues: [{ path: 'variables["a.b"]' }] });
  });
  it("take a reply-to address that the specs' email format takes, and refuse one it refuses, with its rule", () => {
    const contact = (replyTo: string) => parseActionCall({ action: "contact-form", recipient: "support@example.com", variables: { name: "Joe", replyTo, message: "Hi" } }, actions);
    expect(parseVariables(contact("o'brien@example.com"))).toMatchObject({ replyTo: "o'brien@example.com" });
    expect(problemOf(() => parseVariables(contact("Joe <joe@example.com>")))).toMatchObject({ issues: [{ path: "variables.replyTo", rule: "email" }] });
  });
});

describe("every example action builds a message its vendor's client accepts", () => {
  const schemas = { listmonk: ListmonkMessageSchema, acton: ActOnMessageSchema, everlytic: EverlyticMessageSchema, expertsender: ExpertSenderMessageSchema };
  const samples: Record<keyof typeof actions, Record<string, unknown>> = {
    "order-shipped": { orderNumber: "A-1", carrier: "DHL", trackingUrl: "https://track.example/A-1" },
    "contact-form": { name: "Joe", replyTo: "joe@example.com", message: "Hello\nthere" },
    "password-changed": { name: "Grace", changedAt: "2026-11-23T05:00:00Z" },
    welcome: { firstName: "Pat" },
  };
  const converters = { listmonk: toListmonkMessage, acton: toActOnMessage, everlytic: toEverlyticMessage, expertsender: toExpertSenderMessage };
  /** The native message the action's catalogue template makes for its (one) vendor, as the client would send it. */
  async function nativeOf(name: keyof typeof actions, recipient = "someone@example.com") {
    const action = actions[name];
    const sent: { vendor: keyof typeof converters; message: TemplateMessage }[] = [];
    const client = (vendor: keyof typeof converters): TemplateMessageClient => ({
      async sendMessage(message) {
        sent.push({ vendor, message });
        return { ok: true, kind: "sent", vendor, status: 200, data: null, attempts: 1 };
      },
    });
    const clients = { listmonk: client("listmonk"), acton: client("acton"), everlytic: client("everlytic"), expertsender: client("expertsender") };
    const resolved = resolveAction(name, action, recipient, v.parse(action.variables, samples[name]) as Record<string, unknown>);
    await createMailer(action.catalogue, clients).send(resolved.template as never, resolved.message as never);
    const [{ vendor, message }] = sent as [(typeof sent)[number]];
    const converted = converters[vendor](message);
    if (!converted.success) throw new Error(JSON.stringify(converted.issues));
    return { vendor, native: converted.output.native as Record<string, unknown> };
  }
  it.each(Object.keys(actions) as (keyof typeof actions)[])("%s", async (name) => {
    const { vendor, native } = await nativeOf(name);
    const result = v.safeParse(schemas[vendor], native);
    expect(result.issues ?? []).toEqual([]);
  });
  it("Act-On messages get a fresh externalId each time, so Act-On can tell two sends apart", async () => {
    const externalId = async () => ((await nativeOf("password-changed")).native as { metadata: { externalId: string } }).metadata.externalId;
    const [first, second] = [await externalId(), await externalId()];
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
  });
  it("listmonk sends in fallback mode, from the shop's name and address", async () => {
    expect((await nativeOf("order-shipped")).native).toMatchObject({ subscriber_mode: "fallback", from_email: "Example Shop <shop@example.com>" });
  });
});
