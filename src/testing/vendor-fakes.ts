/**
 * Each vendor's fake, as txgate/testing exports it: the one list of them. A vendor's fake is `src/testing/<vendor>.ts`;
 * its line here makes it public (`txgate/testing`) and lets `createSandboxFakes` and this repo's sandbox find its
 * factory by the name its sandbox entry gives (`./sandbox-settings.ts`). test/vendors checks every registered vendor
 * has one.
 */
export { createListmonkFake, LISTMONK_FAKE_CREDENTIALS, type ListmonkFake, type ListmonkFakeOptions, type ListmonkQueued } from "./listmonk.ts";
export {
  createEverlyticFake,
  everlyticError,
  EVERLYTIC_FAKE_CREDENTIALS,
  type EverlyticDelivered,
  type EverlyticFake,
  type EverlyticFakeOptions,
  type EverlyticFakeTemplate,
  type EverlyticWebhookPost,
} from "./everlytic.ts";
export {
  ACTON_FAKE_ACCOUNT,
  createActOnFake,
  type ActOnDelivered,
  type ActOnFake,
  type ActOnFakeOptions,
  type ActOnTokenCall,
} from "./acton.ts";
export {
  createExpertSenderFake,
  EXPERTSENDER_FAKE_API_KEY,
  type ExpertSenderFake,
  type ExpertSenderFakeOptions,
  type ExpertSenderSent,
  type ExpertSenderSubscriber,
} from "./expertsender.ts";
