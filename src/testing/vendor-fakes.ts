/**
 * Each vendor's fake, as txgate/testing exports it: the one list of them. A vendor's fake is `src/testing/<vendor>.ts`;
 * its exports here make it public (`txgate/testing`), and its factory in the default export lets `createSandboxFakes`
 * find it by the name its sandbox entry gives (`./sandbox-settings.ts`). test/vendors checks every registered vendor
 * has both.
 */
import { createActOnFake } from "./acton.ts";
import { createEverlyticFake } from "./everlytic.ts";
import { createExpertSenderFake } from "./expertsender.ts";
import { createListmonkFake } from "./listmonk.ts";

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

/**
 * Each fake's factory by its name, for `createSandboxFakes`. The default export, which `export *` leaves out of
 * txgate/testing; an object rather than this module's namespace, so a bundler drops the fakes a project does not
 * use (a namespace object built by a prebundled dist keeps every fake it names).
 */
export default { createListmonkFake, createActOnFake, createEverlyticFake, createExpertSenderFake };
