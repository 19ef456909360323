/**
 * The Act-On double: txgate/testing's Act-On fake (src/testing/acton.ts) served on 127.0.0.1, with the test
 * account, two templates, two allowed senders, a suppressed and an opted-out contact. Every incoming body is
 * checked against specs/acton.yaml (disagreements in `specViolations`); sends over the cap and password grants
 * over 5 an hour are recorded in `limitViolations`.
 */
import { createActOnFake, type ActOnDelivered, type ActOnFake, type ActOnFakeOptions, type ActOnTokenCall } from "../../src/testing/acton.ts";
import { serveFetchHandler, type HttpDouble } from "../support/http-double.js";

export const ACTON_ACCOUNT = "1234567";
export const ACTON_CREDENTIALS = {
  username: "ops@example.com",
  password: "pa ss+w0rd&Secret=9f2c",
  clientId: "client-id-31c8",
  clientSecret: "client-secret-7d1e90ab",
};

export type DeliveredEmail = ActOnDelivered;
export type TokenCall = ActOnTokenCall;
export type ActOnDoubleSetup = Omit<ActOnFakeOptions, "onMessage" | "accountId" | "credentials">;

export interface ActOnDouble extends HttpDouble, Omit<ActOnFake, "fetch" | "outbox" | "failNext"> {}

export async function startActOnDouble(setup: ActOnDoubleSetup = {}): Promise<ActOnDouble> {
  const fake = createActOnFake({
    accountId: ACTON_ACCOUNT,
    credentials: ACTON_CREDENTIALS,
    templates: { "t-0099": ["orderNumber", "trackingLink", "name"], "t-plain": [] },
    allowedSenders: ["john@example.com", "support@example.com"],
    suppressed: ["bounced@example.com"],
    optedOut: ["opted-out@example.com"],
    ...setup,
  });
  const double = await serveFetchHandler(fake.fetch);
  const { fetch: _fetch, outbox: _outbox, failNext: _failNext, ...records } = fake;
  return Object.assign(double, records);
}
