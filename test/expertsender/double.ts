/**
 * The ExpertSender double: txgate/testing's ExpertSender fake (src/testing/expertsender.ts) served on
 * 127.0.0.1, with the test account's key, four transactional messages (77 inactive) and two subscribers. Every
 * incoming document is read back with the spec-driven reader (src/testing/expertsender-xml.ts), independently of
 * the client, and checked against specs/expertsender.yaml; disagreements are recorded in `specViolations`.
 */
import { createExpertSenderFake, type ExpertSenderFakeOptions, type ExpertSenderSent, type ExpertSenderSubscriber } from "../../src/testing/expertsender.ts";
import { serveFetchHandler, type HttpDouble } from "../support/http-double.js";

export const EXPERTSENDER_API_KEY = "Qw7zX2mP9kLs4Tn8Vb3R";

export type Subscriber = ExpertSenderSubscriber;
export type SentTransactional = ExpertSenderSent;
export type ExpertSenderDoubleSetup = Omit<ExpertSenderFakeOptions, "onMessage">;

export interface ExpertSenderDouble extends HttpDouble {
  readonly sent: SentTransactional[];
  readonly subscribers: Subscriber[];
  readonly specViolations: string[];
}

export async function startExpertSenderDouble(setup: ExpertSenderDoubleSetup = {}): Promise<ExpertSenderDouble> {
  const fake = createExpertSenderFake({
    apiKey: EXPERTSENDER_API_KEY,
    transactionals: { 123: "active", 1593: "active", 2449: "active", 77: "inactive" },
    subscribers: [
      { id: 12345, email: "patrick@example.com" },
      { id: 67890, email: "Ada.Lovelace@example.com" },
    ],
    ...setup,
  });
  const double = await serveFetchHandler(fake.fetch);
  return Object.assign(double, { sent: fake.sent, subscribers: fake.subscribers, specViolations: fake.specViolations });
}
