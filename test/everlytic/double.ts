/**
 * The Everlytic double: txgate/testing's Everlytic fake (src/testing/everlytic.ts) served on 127.0.0.1, with the
 * test account's credentials, one template, and example.com verified. Every request body and every answer is
 * checked against specs/everlytic.yaml; disagreements are recorded in `specViolations`.
 */
import { createEverlyticFake, type EverlyticDelivered, type EverlyticFakeOptions, type EverlyticFakeTemplate } from "../../src/testing/everlytic.ts";
import { serveFetchHandler, type DoubleAnswer, type HttpDouble } from "../support/http-double.js";
import { TEMPLATE_ID } from "./fixtures.ts";

export const EVERLYTIC_USER = "acme-mailer";
export const EVERLYTIC_API_KEY = "evk_7Hq2LmP9xZr4TnW8";
export { TEMPLATE_ID };

export type DeliveredEmail = EverlyticDelivered;
export type EverlyticTemplate = EverlyticFakeTemplate;
export type EverlyticDoubleSetup = Omit<EverlyticFakeOptions, "onMessage">;

export interface EverlyticDouble extends HttpDouble {
  readonly delivered: DeliveredEmail[];
  readonly specViolations: string[];
}

/** An Everlytic 4xx body as a scripted answer: `{code, message, error: {errors: [detail]}}`. */
export function everlyticError(code: number, detail: { domain?: string; reason: string; message: unknown; locationType?: string; location: string }): DoubleAnswer {
  const { domain = "global", locationType = "request", ...rest } = detail;
  return { status: code, body: { code, message: detail.message, error: { errors: [{ domain, ...rest, locationType }] } } };
}

/** The page's own 412 example. */
export const FROM_EMAIL_412 = everlyticError(412, {
  reason: "invalidParameter",
  message: { errors: { "headers.from.email": ["The headers.from.email format is invalid."] } },
  location: "sendValidation",
});

export async function startEverlyticDouble(setup: EverlyticDoubleSetup = {}): Promise<EverlyticDouble> {
  const fake = createEverlyticFake({
    username: EVERLYTIC_USER,
    apiKey: EVERLYTIC_API_KEY,
    verifiedDomains: ["example.com"],
    templates: {
      [TEMPLATE_ID]: { subject: "Your statement, {{name}}", from: "statements@example.com", html: "<p>Dear {{name}}, your {{month}} statement is ready.</p>", text: "Dear {{name}}" },
    },
    ...setup,
  });
  const double = await serveFetchHandler(fake.fetch);
  return Object.assign(double, { delivered: fake.delivered, specViolations: fake.specViolations });
}
