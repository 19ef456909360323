/**
 * What a vendor is to txgate: one descriptor, exported by the vendor's folder (`src/<vendor>/descriptor.ts`) and
 * listed in the registry (`registry.ts`). Every table that used to be spelled out per vendor (the worker's settings
 * and clients, the evaluated template syntax, the sandbox, the template id types) is read from descriptors, so a
 * vendor is added by writing its folder and one line in the registry.
 *
 * A descriptor is cheap to import: data and small functions. Its client is loaded on first use (`import()`), so
 * whatever lists descriptors pulls no vendor's send code in until it sends; its fake is named, not imported, so no
 * vendor entry reaches test code.
 */
import type { VendorCapabilities } from "../core/capabilities.ts";
import type { TemplateMessage } from "../core/message.ts";
import type { CheckCallOptions, CredentialCheck } from "../core/credential-check.ts";
import type { CallOptions } from "../core/options.ts";
import type { Outcome, ValidationFailure } from "../core/outcome.ts";
import type { ParsedEvents } from "../core/delivery-event.ts";
import type { Pacer } from "../core/pacing.ts";
import type * as v from "valibot";

/** What the worker and the registry need of any vendor client; each client validates its own input. */
export interface VendorClient {
  send(message: unknown, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The common message (a catalogue template's, for browser actions), converted by the client. */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<unknown>>;
  /** The `validation` outcome `send` would return for `message`, without sending; `undefined` when it would send. */
  validate(message: unknown): ValidationFailure | undefined;
  /**
   * Whether the vendor accepts the client's credentials, learned without sending an email (a read the vendor
   * documents, or what its token endpoint said). Absent: the vendor documents no such read, and a host says
   * `unsupported` rather than send to find out.
   */
  checkCredentials?(call?: CheckCallOptions): Promise<CredentialCheck>;
}

/**
 * A vendor's template syntax that it evaluates inside the values it substitutes, and how to name it to a browser.
 *
 * @example
 * const tags: EvaluatedSyntax = { pattern: /\{\{|\}\}/, description: "personalization tags ({{ }})" };
 */
export interface EvaluatedSyntax {
  readonly pattern: RegExp;
  readonly description: string;
}

/** A setting's trimmed text, `undefined` when unset or blank. */
export type ReadSetting = (name: string) => string | undefined;

/**
 * How a vendor is configured from an environment (the worker's settings and secrets). A vendor is configured when
 * any of its settings is set; then all its required ones must be.
 */
export interface VendorSettingsSpec<Settings> {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** The settings that are secrets: the worker's redactor learns their values. */
  readonly secrets: readonly string[];
  /**
   * What a setting's text must be, beyond being set, as a valibot schema whose message says what to write (a
   * choice of words, say); the worker checks them with every other setting and names each one that fails.
   */
  readonly rules?: Readonly<Record<string, v.GenericSchema<string, string>>>;
  /** The client's options from the settings, once the required ones are all set and every rule holds. */
  read(text: ReadSetting): Settings;
}

/** A vendor's documented limits, which every deployment holds per vendor account. */
export interface VendorPacing {
  /** Its cap in sends a second per account: the default pace and the most a deployment may set. None: unpaced by default. */
  readonly maxSendsPerSecond?: number;
  /** Its cap on token requests a second per account (with `sharedTokenStore`). */
  readonly tokenCallsPerSecond?: number;
}

/** What the host (the worker) hands a client beyond the vendor's settings: how it reaches the vendor and shared state. */
export interface VendorWiring {
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Paces sends across isolates (the vendor account's Durable Object). */
  readonly pacer?: Pacer;
  /** Holds tokens across isolates; given only to a vendor whose `sharedTokenStore` is true. */
  readonly tokenStore?: unknown;
  /** Paces token requests across isolates; given only with `tokenStore`. */
  readonly tokenPacer?: Pacer;
}

/** A vendor's fake HTTP API (`txgate/testing`), as a `fetch` handler. */
export type FakeFetch = (request: Request) => Promise<Response>;

/**
 * Where a vendor's fake is: the name of its factory in `txgate/testing` (which returns `{ fetch }`), and the options
 * that make it accept the sandbox settings.
 */
export interface FakeReference {
  readonly factory: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A vendor's webhook parser: the body as text and its `Content-Type`, to events or a problem. Never throws.
 *
 * @example
 * const parse = await descriptor.webhookEvents?.();
 * const parsed = parse?.(await request.text(), request.headers.get("content-type") ?? "");
 */
export type WebhookEventParser = (body: string, contentType: string) => ParsedEvents;

/**
 * What a descriptor's `usage` may read of its account object: the token record it keeps for a key.
 *
 * @example
 * const record = await account.tokenRecord(key);
 */
export interface AccountRecords {
  tokenRecord(key: string): Promise<unknown>;
}

/**
 * One vendor, described once. `Name` is its registry name, `TemplateId` the type of its template ids (a phantom:
 * the catalogue's routes are typed by it), `Settings` its client's options as configuration gives them.
 *
 * @example
 * export const listmonkVendor = defineVendor<"listmonk", number, ListmonkSettings>({ name: "listmonk", ... });
 */
export interface VendorDescriptor<Name extends string = string, TemplateId extends string | number = string | number, Settings extends { readonly baseUrl?: string } = { readonly baseUrl?: string }> {
  readonly name: Name;
  /** As the vendor spells itself. */
  readonly title: string;
  /** The package entry a user imports, its TypeScript source from the package root, and its client factory's name. */
  readonly entry: { readonly specifier: `txgate/${Name}`; readonly source: string; readonly factory: string };
  /** The type of its template ids at run time; `TemplateId` is the same at compile time. */
  readonly templateId: TemplateId extends number ? "number" : "string";
  /** What it can carry of the common message, and where its native message holds attachments (`nativeAttachments`). */
  readonly capabilities: VendorCapabilities;
  /** Template syntax it evaluates inside substituted values: a browser variable holding it is refused. None: nothing to refuse. */
  readonly evaluatedSyntax: EvaluatedSyntax | undefined;
  readonly settings: VendorSettingsSpec<Settings>;
  /**
   * What names the vendor account (its pacing and token state) besides its base URL, e.g. an account id; the key
   * is this and the base URL, the default one when unset (`accountKey`). None: the base URL alone.
   */
  accountOwner?(settings: Settings): string;
  /** The base URL a client uses when none is given; none when the base URL is required. */
  readonly defaultBaseUrl?: string;
  readonly pacing: VendorPacing;
  /** Whether its clients keep tokens that every isolate must share (a token store and a token pacer). */
  readonly sharedTokenStore: boolean;
  /**
   * What an operator must know of the account's use that only its account object holds (its token record, say:
   * logins spent this hour), read through the object's public methods; counts only, never a token. None: nothing.
   */
  usage?(settings: Settings, account: AccountRecords): Promise<Readonly<Record<string, number>>>;
  /**
   * Its webhook parser, loaded with the first event, for a vendor that posts its delivery events to a URL
   * (`deliveryEvents: "webhook"`): `POST /v1/events/{vendor}` reads them with it. None: nothing posts events.
   */
  readonly webhookEvents?: () => Promise<WebhookEventParser>;
  /** Its client, loaded on first use. */
  createClient(options: Settings & VendorWiring): Promise<VendorClient>;
  /** Sandbox mode: made-up settings its fake accepts (no secrets; the host adds `baseUrl`), and where its fake is. */
  readonly sandbox: {
    readonly settings: Omit<Settings, "baseUrl">;
    readonly fake: FakeReference;
  };
}

/**
 * Any registered vendor's descriptor, for code that handles every vendor alike.
 *
 * @example
 * const vendors: readonly AnyVendorDescriptor[] = [listmonkVendor, everlyticVendor];
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each descriptor's settings differ; `any` lets one list hold them
export type AnyVendorDescriptor = VendorDescriptor<string, string | number, any>;

/** The template id type of a descriptor. */
export type TemplateIdOf<D> = D extends VendorDescriptor<string, infer T, infer _S> ? T : never;

/** The settings type of a descriptor. */
export type SettingsOf<D> = D extends VendorDescriptor<string, string | number, infer S> ? S : never;

/**
 * A descriptor, typed: the identity, so a vendor's folder states its types once and the registry infers the rest.
 *
 * @example
 * export const acmeVendor = defineVendor<"acme", string, AcmeSettings>({ name: "acme", title: "Acme", ... });
 */
export function defineVendor<const Name extends string, TemplateId extends string | number, Settings extends { readonly baseUrl?: string }>(
  descriptor: VendorDescriptor<Name, TemplateId, Settings>,
): VendorDescriptor<Name, TemplateId, Settings> {
  return descriptor;
}

/**
 * The name of the vendor account that `settings` reach: the key of its pacing and token state. Uniform: the
 * account owner (when the vendor has one) and the base URL, the vendor's default when unset.
 *
 * @example
 * accountKey(listmonkVendor, { baseUrl: "https://lists.example.com", username: "u", token: "t" }); // "https://lists.example.com"
 */
export function accountKey<S extends { readonly baseUrl?: string }>(descriptor: VendorDescriptor<string, string | number, S>, settings: S): string {
  const baseUrl = settings.baseUrl ?? descriptor.defaultBaseUrl ?? "";
  return descriptor.accountOwner ? `${descriptor.accountOwner(settings)} ${baseUrl}` : baseUrl;
}
