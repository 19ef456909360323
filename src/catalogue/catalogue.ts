/**
 * The template catalogue: each template declared once, with its variables (a valibot schema) and the vendor
 * templates that render it, in failover order. Clients are injected, so this module imports no vendor.
 */
import type * as v from "valibot";
import { TxgateConfigError } from "../core/credentials.ts";
import { invalid, notLoaded } from "../core/deliver.ts";
import type { IdempotencyLedger } from "../core/idempotency.ts";
import { loadBatchSender, loadLedger } from "../core/load-once.ts";
import type { TemplateMessage } from "../core/message.ts";
import { readCallOptions, type CallOptions } from "../core/options.ts";
import type { Failure, Outcome, VendorName } from "../core/outcome.ts";
import type { SendManyOptions, SendManyOutcome } from "../core/send-many.ts";
import { joinPath, UNREADABLE, validateInput } from "../core/validation.ts";
import type { RegisteredTemplateIds } from "../vendors/registry.ts";

/**
 * The type of each vendor's template id, from its descriptor (src/vendors/registry.ts).
 *
 * @example
 * const id: VendorTemplateIds[VendorName] = 3; // a number or a string, as the vendor's descriptor declares
 */
export type VendorTemplateIds = RegisteredTemplateIds;

/**
 * The fields of a message a declaration or a route may fix (everything but the template, recipients and variables).
 *
 * @example
 * const defaults: MessageDefaults = { from: { address: "shop@example.com", name: "The Shop" }, transactional: true };
 */
export type MessageDefaults = Omit<TemplateMessage, "template" | "to" | "data">;

/**
 * One vendor template that renders a catalogue template, with any fields only this vendor needs (`message`, whose
 * `native` holds native fields the common message has no word for), and `data`: how this vendor's template data is
 * made from the checked variables, when it is not the variables as they are (HTML-escaped, for a vendor that pastes values into markup).
 *
 * @example
 * const route: VendorRoute = { vendor: "acme", template: 3, message: { native: { deliveryMode: "external" } } };
 */
export type VendorRoute = {
  readonly [V in VendorName]: {
    readonly vendor: V;
    readonly template: VendorTemplateIds[V];
    readonly message?: MessageDefaults;
    /** This vendor's template data, made from the checked variables. */
    readonly data?: (variables: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
  };
}[VendorName];

/**
 * One catalogue template: its variables, the vendor templates in failover order, and fields every send shares.
 *
 * @example
 * const orderShipped: TemplateDeclaration = {
 *   variables: v.object({ orderNumber: v.string() }),
 *   via: [{ vendor: "acme", template: "t-0099" }, { vendor: "backup", template: 3 }],
 * };
 */
export interface TemplateDeclaration<S extends v.GenericSchema = v.GenericSchema> {
  readonly variables: S;
  readonly via: readonly [VendorRoute, ...VendorRoute[]];
  readonly message?: MessageDefaults;
}

/**
 * A catalogue: template names to declarations.
 *
 * @example
 * const catalogue = defineCatalogue({ welcome: { variables: v.object({ name: v.string() }), via: [{ vendor: "acme", template: 4 }] } }) satisfies Catalogue;
 */
export type Catalogue = Readonly<Record<string, TemplateDeclaration>>;

/**
 * Declares a catalogue; returns it unchanged, typed exactly, so `createMailer` can check names and variables.
 *
 * @example
 * const catalogue = defineCatalogue({
 *   orderShipped: {
 *     variables: v.object({ orderId: v.string(), name: v.string() }),
 *     via: [{ vendor: "acme", template: "t-0099" }, { vendor: "backup", template: 3 }],
 *   },
 * });
 */
export function defineCatalogue<const C extends Catalogue>(catalogue: C): C {
  return catalogue;
}

/**
 * Any client that sends the common message: every txgate vendor client does.
 *
 * @example
 * const clients: Record<string, TemplateMessageClient> = { acme: createAcmeClient(options) };
 */
export interface TemplateMessageClient {
  /** Sends the common message through this vendor. */
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<unknown>>;
}

/**
 * The vendors a catalogue names.
 *
 * @example
 * type Vendors = CatalogueVendors<typeof catalogue>; // "acme" | "backup"
 */
export type CatalogueVendors<C extends Catalogue> = C[keyof C]["via"][number]["vendor"];

/**
 * What `send` takes: the recipients and the template's variables, plus any field of the common message (sent to
 * every vendor in the list), and `byVendor` for fields only one vendor takes (an `externalId` only the first vendor keeps, say).
 *
 * @example
 * const message: CatalogueMessage<(typeof catalogue)["orderShipped"]> = { to: "jane@example.com", data: { orderNumber: "1234" }, byVendor: { acme: { externalId: "1234" } } };
 */
export type CatalogueMessage<D extends TemplateDeclaration> = MessageDefaults & {
  readonly to: TemplateMessage["to"];
  readonly data: v.InferInput<D["variables"]>;
  readonly byVendor?: { readonly [V in D["via"][number]["vendor"]]?: MessageDefaults };
};

/**
 * A catalogue send's outcome: the last vendor's outcome (`vendor` says which one sent), with the failures of the
 * vendors tried before it, in order.
 *
 * @example
 * const outcome: CatalogueOutcome = await mail.send("orderShipped", message);
 * if (outcome.ok) console.log("sent by", outcome.vendor, "after", outcome.failover.map((failure) => failure.vendor));
 */
export type CatalogueOutcome = Outcome<unknown> & { readonly failover: readonly Failure[] };

/**
 * Sends catalogue templates; see `createMailer`.
 *
 * @example
 * const mail: Mailer<typeof catalogue> = createMailer(catalogue, { acme, backup });
 * await mail.send("orderShipped", { to: "jane@example.com", data: { orderNumber: "1234" } });
 */
export interface Mailer<C extends Catalogue> {
  /**
   * Validates `data` against the template's variables (a failure is a `validation` outcome with paths under
   * `data`, nothing sent), then sends through each vendor template in order until one does not fail with
   * `delivery: "not_sent"`. With `call.idempotencyKey`, the key covers the whole call (see `createMailer`).
   * Never rejects.
   */
  send<K extends keyof C & string>(template: K, message: CatalogueMessage<C[K]>, call?: CallOptions): Promise<CatalogueOutcome>;
  /**
   * Sends many catalogue messages, each exactly as `send` sends it (failover, its own idempotency key covering its
   * whole call, every client's pacing), at most `options.concurrency` at a time (default 8). Resolves to one result
   * per item, in input order; never rejects. `options.signal` stops the items not yet started: they end `aborted`,
   * `not_sent`, with `started: false`.
   */
  sendMany(items: readonly CatalogueBatchItem<C>[], options?: SendManyOptions): Promise<SendManyOutcome<CatalogueOutcome>[]>;
}

/**
 * One item of a mailer's `sendMany`: a template, its message, and the item's own idempotency key if any.
 *
 * @example
 * const item: CatalogueBatchItem<typeof catalogue> = { template: "orderShipped", message: { to: "jane@example.com", data: { orderId: "1234" } }, idempotencyKey: "order-1234-shipped" };
 */
export type CatalogueBatchItem<C extends Catalogue> = {
  readonly [K in keyof C & string]: { readonly template: K; readonly message: CatalogueMessage<C[K]>; readonly idempotencyKey?: string };
}[keyof C & string];

/**
 * What `createMailer` takes besides the catalogue and the clients.
 *
 * @example
 * const mail = createMailer(catalogue, clients, { idempotencyLedger: sharedLedger });
 */
export interface MailerOptions {
  /**
   * Where the mailer remembers a call's `idempotencyKey`, so that the key covers the whole call, failover
   * included. Default: memory shared by every client and mailer in this process (the same ledger a client uses
   * when given none). Give a shared ledger (the worker's Durable Object one, say) when several processes send
   * with the same keys.
   */
  readonly idempotencyLedger?: IdempotencyLedger;
}

/**
 * Binds a catalogue to clients, one for each vendor it names (a missing one is a type error). A catalogue that
 * declares no template throws `TxgateConfigError`.
 *
 * Failover moves to the next vendor template only after a failure that proves nothing was sent
 * (`delivery: "not_sent"`), including the vendor's own `validation` (a field it cannot carry), `auth` and
 * `rate_limited`. It stops at `unknown` and `partial` (the email may have gone out), at a validation failure of
 * the template's variables (every vendor would get the same data), at `aborted` (the caller asked to stop) and
 * at an idempotency answer (the first send with that key may still be running).
 *
 * A call's `idempotencyKey` covers the whole call: the mailer claims it in its ledger (`options.idempotencyLedger`)
 * for the template and the message, so a repeat returns the first call's outcome (its `vendor` and `failover`) and
 * asks no vendor, whichever vendors have recovered since; the same key with another template, recipient or data is
 * `idempotency_key_reused`; a repeat while the first call runs is `idempotency_in_flight`. A call whose every vendor
 * failed with nothing sent frees the key, so the same call may be tried again under it. Each vendor also gets
 * `<key>.<vendor>`, so a client whose own ledger is shared still guards its own sends.
 *
 * @example
 * const mail = createMailer(catalogue, { acme, backup });
 * const outcome = await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1234", name: "Jane" } });
 * if (outcome.ok) console.log("sent by", outcome.vendor, "after", outcome.failover.length, "failures");
 */
export function createMailer<const C extends Catalogue>(
  catalogue: C,
  clients: { readonly [V in CatalogueVendors<C>]: TemplateMessageClient },
  options: MailerOptions = {},
): Mailer<C> {
  const clientOf = clients as Readonly<Record<string, TemplateMessageClient>>;
  const { idempotencyLedger } = options;
  // A refusal that involves no template (an unknown name, a batch that cannot load) still names a vendor: the
  // first one declared. A catalogue that declares none could send nothing, so it is refused here.
  const firstDeclared: VendorName | undefined = Object.values(catalogue)[0]?.via?.[0]?.vendor;
  if (firstDeclared === undefined) throw new TxgateConfigError("createMailer: the catalogue declares no template");

  /** The call once its message is read: the variables checked, then each vendor template in turn. */
  const sendThrough = async (declaration: TemplateDeclaration, fields: CallFields, call: CallOptions | undefined): Promise<CatalogueOutcome> => {
    const variables = validateInput(declaration.variables, fields.data);
    if (!variables.success) {
      const issues = variables.issues.map((issue) => ({ ...issue, path: joinPath("data", issue.path) }));
      return { ...invalid(declaration.via[0].vendor, issues), failover: [] };
    }
    const failover: Failure[] = [];
    for (const route of declaration.via) {
      const client = clientOf[route.vendor];
      const message = client ? messageFor(route, declaration, fields, variables.output) : undefined;
      const outcome = !client
        ? noClient(route.vendor)
        : message === undefined
          ? dataFailed(route.vendor)
          : await sendSafely(route.vendor, client, message, perVendor(call, route.vendor));
      if (outcome.ok || !movesOn(outcome)) return { ...outcome, failover };
      failover.push(outcome);
    }
    // Every vendor failed with nothing sent: the answer is the last failure, the earlier ones are in failover.
    const last = failover.pop()!;
    return { ...last, failover };
  };

  const mailer: Mailer<C> = {
    async send(name, message, call) {
      const declaration: TemplateDeclaration | undefined = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
      if (!declaration) {
        // Only JavaScript callers get here (a wrong name is a type error); no vendor is involved, the first declared is named.
        return { ...invalid(firstDeclared, [{ path: "", rule: "unknown_template", message: `${String(name)} is not in the catalogue` }]), failover: [] };
      }
      const first = declaration.via[0].vendor;
      // Read once, here: a throwing getter (JavaScript callers) is refused before any vendor is asked.
      let fields: CallFields;
      try {
        const { data, byVendor, ...common } = message as CallFields["common"] & Pick<CallFields, "data" | "byVendor">;
        fields = { data, byVendor, common };
      } catch {
        return { ...invalid(first, [{ path: "", rule: "unreadable_input", message: UNREADABLE }]), failover: [] };
      }
      // Read once, here, like a client's send: a hostile options object is refused before any vendor is asked.
      const checked = readCallOptions(call);
      if (!checked.success) return { ...invalid(first, checked.issues), failover: [] };
      const key = checked.output?.idempotencyKey;
      if (key === undefined) return sendThrough(declaration, fields, checked.output);
      // The same ledger, and the same rules, as a client's keyed send; loaded with the first keyed call.
      let ledger: typeof import("../core/keyed-send.ts");
      try {
        ledger = await loadLedger();
      } catch (error) {
        return { ...notLoaded(first, "idempotency ledger", error), failover: [] };
      }
      const request = { catalogueTemplate: name, ...fields };
      const outcome = await ledger.sendOncePerKey(first, idempotencyLedger, key, request, () => sendThrough(declaration, fields, checked.output));
      // A refusal from the ledger itself (key reused, in flight, malformed) asked no vendor.
      return "failover" in outcome ? outcome : { ...outcome, failover: [] };
    },

    async sendMany(items, options) {
      const firstVendor = (template: unknown): VendorName => {
        const declaration = typeof template === "string" && Object.hasOwn(catalogue, template) ? catalogue[template] : undefined;
        return declaration?.via[0].vendor ?? firstDeclared;
      };
      let batch: typeof import("../core/send-many.ts");
      try {
        batch = await loadBatchSender();
      } catch (error) {
        return (Array.isArray(items) ? items : [items]).map(() => ({ outcome: { ...notLoaded(firstVendor(undefined), "batch sender", error), failover: [] }, started: false }));
      }
      return batch.sendEach<CatalogueOutcome>(items, options, {
        // Through `send` itself: each item's key covers its whole call, failover included.
        send: (item, call) => mailer.send(item.template as keyof C & string, item.message as never, call),
        vendorOf: (item) => firstVendor(item?.template),
        lift: (failure) => ({ ...failure, failover: [] }),
      });
    },
  };
  return mailer;
}

/** A call's message, read once. */
interface CallFields {
  readonly data: unknown;
  readonly byVendor?: Readonly<Record<string, MessageDefaults>>;
  readonly common: MessageDefaults & Pick<TemplateMessage, "to">;
}

/**
 * The fields for one vendor, later ones winning: the declaration's, the route's, the call's, the call's for this
 * vendor; `undefined` when the route's `data` function threw.
 */
function messageFor(route: VendorRoute, declaration: TemplateDeclaration, fields: CallFields, variables: unknown): TemplateMessage | undefined {
  const { byVendor } = fields;
  const own = byVendor && Object.hasOwn(byVendor, route.vendor) ? byVendor[route.vendor] : undefined;
  let data = variables as TemplateMessage["data"];
  if (route.data) {
    try {
      data = route.data(variables as Readonly<Record<string, unknown>>);
    } catch {
      return undefined;
    }
  }
  return {
    ...declaration.message,
    ...route.message,
    ...fields.common,
    ...own,
    data,
    template: route.template,
  };
}

function dataFailed(vendor: VendorName): Failure {
  return invalid(vendor, [{ path: "data", rule: "data_function", message: `the catalogue's data function for ${vendor} threw` }]) as Failure;
}

/** Whether a failure lets the next vendor template be tried without any risk of a second email. */
function movesOn(failure: Failure): boolean {
  return (
    failure.delivery === "not_sent" &&
    failure.kind !== "aborted" &&
    failure.kind !== "idempotency_in_flight" &&
    failure.kind !== "idempotency_key_reused"
  );
}

function perVendor(call: CallOptions | undefined, vendor: VendorName): CallOptions | undefined {
  return call?.idempotencyKey === undefined ? call : { ...call, idempotencyKey: `${call.idempotencyKey}.${vendor}` };
}

/** A client of your own (a stub, a wrapper) may throw: still an outcome. */
async function sendSafely(
  vendor: VendorName,
  client: TemplateMessageClient,
  message: TemplateMessage,
  call: CallOptions | undefined,
): Promise<Outcome<unknown>> {
  try {
    return await client.sendMessage(message, call);
  } catch (error) {
    // Whether it sent is unknown, so failover stops here. Only the error's name is kept: its text could quote a secret.
    const errorName = error instanceof Error ? error.name : typeof error;
    return {
      ok: false,
      kind: "network",
      vendor,
      message: `the ${vendor} client threw instead of returning an outcome (${errorName})`,
      cause: { name: errorName, message: "the client threw" },
      retryable: false,
      delivery: "unknown",
      attempts: 0,
    };
  }
}

function noClient(vendor: VendorName): Failure {
  return invalid(vendor, [{ path: "", rule: "no_client", message: `no ${vendor} client was given to createMailer` }]) as Failure;
}
