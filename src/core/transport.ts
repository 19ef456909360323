/**
 * The send steps every vendor shares, in one place: the idempotency key, guarded validation, building the
 * request, `deliver` (pacing, timeouts, retries, redaction), mapping the answer, and `sendMessage` for the common
 * message. A vendor client describes only what is true of it (see `VendorTransport`) and gets `send` and
 * `sendMessage` back.
 */
import type * as v from "valibot";
import type { CredentialLifecycle } from "./credential-source.ts";
import { deliver, invalid, notLoaded } from "./deliver.ts";
import { createVendorHttpClient, type Authorize } from "./http-client.ts";
import { loadBatchSender, loadLedger } from "./load-once.ts";
import type { MessageConverter, TemplateMessage } from "./message.ts";
import { templateMessageSender } from "./message-sender.ts";
import { readCallOptions, resolveOptions, type CallOptions, type CommonClientOptions, type ResolvedOptions } from "./options.ts";
import type { Answer, Outcome, ValidationFailure, VendorName } from "./outcome.ts";
import type { Redactor } from "./redact.ts";
import { responseBody, type TextResult } from "./response.ts";
import type { SendManyItem, SendManyOptions, SendManyOutcome } from "./send-many.ts";
import { validateInput } from "./validation.ts";

/** Writes a request body: JSON text, XML text or multipart. */
export type BodySerializer = (body: never) => string | FormData;

/**
 * One `POST` as a vendor's request builder describes it. `Paths` is the vendor's generated `paths`, so the
 * path is checked against its spec.
 */
export interface PostRequest<Paths> {
  readonly path: keyof Paths & string;
  readonly params?: { readonly path?: Readonly<Record<string, string | number>> };
  readonly body: unknown;
  readonly bodySerializer?: BodySerializer;
  readonly headers?: Readonly<Record<string, string>>;
  /** The addresses (or ids, as text) the request sends to, as the caller spelled them: for naming refused ones. */
  readonly recipients?: readonly string[];
}

/**
 * What a vendor client tells the transport: everything that is true of that vendor and nothing that is not.
 *
 * @example
 * const { send, sendMessage } = createTransport<paths, AcmeMessage, AcmeMessage, AcmeAnswer>({
 *   vendor: "acme", options, redactor, authorization: withHeader("Authorization", header),
 *   schema: AcmeMessageSchema, buildRequest: toAcmeRequest, mapResponse: mapAcmeResponse,
 *   loadConverter: async () => (await import("./message-converter.ts")).toAcmeMessage,
 * });
 */
export interface VendorTransport<Paths, M, V, T> {
  readonly vendor: VendorName;
  /** The client's options (`baseUrl` resolved): fetch, middleware, timeouts, retries, pacer, ledger. */
  readonly options: CommonClientOptions;
  /** Holds every spelling of the vendor's secrets; whatever goes back to the caller passes through it. */
  readonly redactor: Redactor;
  /** How a request is authorised: one hook for every request, or credentials with a lifecycle (`renewedOnRefusal`). */
  readonly authorization: Authorize | CredentialLifecycle;
  /** Replaces the options' pacer (for a vendor that paces every client to its account's rate). */
  readonly pace?: ResolvedOptions["pace"];
  /** The vendor's native message schema: bad input never reaches the vendor. */
  readonly schema: v.GenericSchema<unknown, V>;
  /**
   * The request for a valid message; may read the caller's attachments, so it may fail: that is an
   * `attachment_readable` issue at `attachmentsPath`, and nothing is sent.
   */
  readonly buildRequest: (message: V) => PostRequest<Paths> | Promise<PostRequest<Paths>>;
  /** Where a request that could not be built is blamed. */
  readonly attachmentsPath?: string;
  /** Loads the serializer of a vendor whose writer is split off (an XML writer, say), inside the attempt. */
  readonly loadBodySerializer?: () => Promise<BodySerializer>;
  /** One answer to an outcome: `body` is `responseBody`'s; `recipients` the request's. */
  readonly mapResponse: (status: number, body: unknown, headers: Headers, recipients: readonly string[]) => Answer<T> | Promise<Answer<T>>;
  /** Loads the converter from the common message, on the first `sendMessage`. */
  readonly loadConverter: () => Promise<MessageConverter<M>>;
  /**
   * Puts `CallOptions.messageId` in the field the vendor echoes back (its `messageIdCarrier`), on a message already
   * validated. Absent for a vendor whose carrier is `"none"`: the id is then not sent.
   */
  readonly carryMessageId?: (message: V, messageId: string) => V;
}

/** A vendor client's sends, and the check of a native message that `send` starts with. */
export interface Transport<M, T> {
  send(message: M, call?: CallOptions): Promise<Outcome<T>>;
  sendMessage(message: TemplateMessage, call?: CallOptions): Promise<Outcome<T>>;
  sendMany(items: readonly SendManyItem<M>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<T>>[]>;
  validate(message: unknown): ValidationFailure | undefined;
}


/**
 * The vendor's `send` and `sendMessage`. Neither rejects: every way a send can end is an `Outcome`.
 *
 * @example
 * export function createAcmeClient(options: AcmeOptions): AcmeClient {
 *   return createTransport({ vendor: "acme", options, ... });
 * }
 */
export function createTransport<Paths extends {}, M, V, T>(vendor: VendorTransport<Paths, M, V, T>): Transport<M, T> {
  const { redactor, authorization, options } = vendor;
  const name = vendor.vendor;
  const resolved = resolveOptions(name, options);
  const paced: ResolvedOptions = vendor.pace ? { ...resolved, pace: vendor.pace } : resolved;
  // One hook puts credentials on, after every middleware (core/http-client.ts): hooks never see them.
  const http = createVendorHttpClient<Record<string, unknown>>(options);
  const refuse = (issues: Parameters<typeof invalid>[1]) => invalid<T>(name, issues, redactor);

  // Kept once loaded: a dynamic `import()` on every send costs a trip through the module loader. A load that
  // failed is not kept, so the next send tries again.
  let loadedSerializer: BodySerializer | undefined;
  const attempt = (request: PostRequest<Paths>, authorize: Authorize, call: CallOptions | undefined) => async (signal: AbortSignal) => {
    // Inside the attempt, so a writer that cannot load is an outcome like any other failure before sending.
    const bodySerializer = vendor.loadBodySerializer ? (loadedSerializer ??= await vendor.loadBodySerializer()) : request.bodySerializer;
    const { POST } = http.authorizedBy(authorize, call?.beforeFetch) as { POST: (path: string, init: object) => Promise<TextResult> };
    const result = await POST(request.path, { params: request.params, body: request.body, bodySerializer, headers: request.headers, parseAs: "text", signal });
    return vendor.mapResponse(result.response.status, responseBody(result), result.response.headers, request.recipients ?? []);
  };

  // One send without an idempotency key: validated, built and delivered (with its retries). A keyed send runs it
  // through the ledger's `sendOncePerKey` instead, so "once" is only ever the ledger's word.
  const validateAndDeliver = async (message: M, call: CallOptions | undefined): Promise<Outcome<T>> => {
    const parsed = validateInput(vendor.schema, message);
    if (!parsed.success) return refuse(parsed.issues);
    const valid = call?.messageId !== undefined && vendor.carryMessageId ? vendor.carryMessageId(parsed.output, call.messageId) : parsed.output;
    let request: PostRequest<Paths>;
    try {
      request = await vendor.buildRequest(valid);
    } catch (error) {
      // A Blob can fail to read (a File changed on disk): still an outcome, and still nothing sent.
      return refuse([{ path: vendor.attachmentsPath ?? "", rule: "attachment_readable", message: `could not be read: ${String(error)}` }]);
    }
    const deliverWith = (authorize: Authorize) => deliver<T>(paced, redactor, call, attempt(request, authorize, call));
    return typeof authorization === "function" ? deliverWith(authorization) : authorization.send({ call, options: resolved, redactor, deliverWith });
  };

  const send = async (message: M, given?: CallOptions): Promise<Outcome<T>> => {
    // Read once, here, so a hostile options object is an outcome, never a rejected send.
    const checked = readCallOptions(given);
    if (!checked.success) return invalid<T>(name, checked.issues);
    const call = checked.output;
    const key = call?.idempotencyKey;
    if (key === undefined) return validateAndDeliver(message, call);
    // The key is checked before anything else, so a replay neither validates nor sends again. The ledger's code
    // loads with the first keyed send: a bundle whose sends carry no key does not hold it up front.
    let ledger: typeof import("./keyed-send.ts");
    try {
      ledger = await loadLedger();
    } catch (error) {
      return notLoaded(name, "idempotency ledger", error);
    }
    return ledger.sendOncePerKey(name, options.idempotencyLedger, key, message, () => validateAndDeliver(message, call));
  };
  const sendMany = async (items: readonly SendManyItem<M>[], options?: SendManyOptions): Promise<SendManyOutcome<Outcome<T>>[]> => {
    let batch: typeof import("./send-many.ts");
    try {
      batch = await loadBatchSender();
    } catch (error) {
      return (Array.isArray(items) ? items : [items]).map(() => ({ outcome: notLoaded<T>(name, "batch sender", error), started: false }));
    }
    // Through `send` itself, so every rule of a single send holds for each message of a batch.
    return batch.sendEach<Outcome<T>>(items, options, { send: (item, call) => send(item.message as M, call), vendorOf: () => name, lift: (failure) => failure });
  };
  // The same check and the same outcome as `send`'s first step: whoever checks ahead (a queue accepting a message
  // for later) refuses exactly what `send` would.
  const validate = (message: unknown): ValidationFailure | undefined => {
    const parsed = validateInput(vendor.schema, message);
    return parsed.success ? undefined : (refuse(parsed.issues) as ValidationFailure);
  };
  return { send, sendMessage: templateMessageSender(name, vendor.loadConverter, send, redactor), sendMany, validate };
}
