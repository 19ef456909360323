/**
 * `txgate/catalogue`: declare each template once (its variables and the vendor templates that render it) and send
 * it by name through the vendor clients you pass in, with failover. Imports no vendor: a bundle carries only the
 * clients you create.
 */
export {
  createMailer,
  type MailerOptions,
  defineCatalogue,
  type Catalogue,
  type CatalogueBatchItem,
  type CatalogueMessage,
  type CatalogueOutcome,
  type CatalogueVendors,
  type Mailer,
  type MessageDefaults,
  type TemplateDeclaration,
  type TemplateMessageClient,
  type VendorRoute,
  type VendorTemplateIds,
} from "./catalogue.ts";
export type { MessageAddress, MessageAttachment, TemplateMessage } from "../core/message.ts";
export type { AddressCapability, VendorCapabilities } from "../core/capabilities.ts";
export type * from "../core/public.ts";
