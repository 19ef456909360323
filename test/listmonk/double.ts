/**
 * The listmonk double: txgate/testing's listmonk fake (src/testing/listmonk.ts) served on 127.0.0.1, with the
 * test account's credentials, templates 2 and 4, and two subscribers.
 */
import { createListmonkFake, type ListmonkFakeOptions, type ListmonkQueued } from "../../src/testing/listmonk.ts";
import { serveFetchHandler, type HttpDouble } from "../support/http-double.js";

export type QueuedTxMessage = ListmonkQueued;

export interface ListmonkDouble extends HttpDouble {
  readonly queued: QueuedTxMessage[];
  readonly specViolations: string[];
}

export type ListmonkDoubleSetup = Omit<ListmonkFakeOptions, "onMessage">;

export const LISTMONK_USER = "api_user";
export const LISTMONK_TOKEN = "lm-secret-token-7f3a9c";

export async function startListmonkDouble(setup: ListmonkDoubleSetup = {}): Promise<ListmonkDouble> {
  const fake = createListmonkFake({
    username: LISTMONK_USER,
    token: LISTMONK_TOKEN,
    templates: [2, 4],
    subscribers: [
      { id: 1, email: "ada@example.com" },
      { id: 2, email: "grace@example.com" },
    ],
    ...setup,
  });
  const double = await serveFetchHandler(fake.fetch);
  return Object.assign(double, { queued: fake.queued, specViolations: fake.specViolations });
}
