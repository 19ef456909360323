/**
 * The common template message: one shape for all four vendors, converted per vendor (`<vendor>/message-converter.ts`)
 * into that vendor's native message, which then goes through the native send and all of its rules.
 */
import * as v from "valibot";
import { isAttachmentContent, type AttachmentContent } from "./attachment.ts";
import { emailAddress } from "./formats.ts";
import { unsupportedFields, type VendorCapabilities } from "./capabilities.ts";
import type { ValidationIssue } from "./outcome.ts";
import { formatPath, noLineBreaks, plainObject, record, validateInput, type InputCheck } from "./validation.ts";

/**
 * An address: bare, or with a display name (which a vendor that cannot carry one refuses, never drops).
 *
 * @example
 * const from: MessageAddress = { address: "shop@example.com", name: "The Shop" };
 * const to: MessageAddress = "jane@example.com";
 */
export type MessageAddress = string | { readonly address: string; readonly name?: string };

/**
 * One transactional email from a vendor template, in the same shape for every vendor. What each vendor can
 * carry is in its capability table (its descriptor's `capabilities`); a field it cannot carry is refused with rule
 * `unsupported_by_vendor`.
 *
 * @example
 * const message: TemplateMessage = {
 *   template: "t-0099",
 *   to: { address: "jane.doe@example.com", name: "Jane Doe" },
 *   data: { orderNumber: "3423423-234234" },
 *   transactional: true,
 *   externalId: "3423423-234234",
 *   tracking: { opens: false, clicks: false },
 * };
 */
export interface TemplateMessage {
  /** The vendor's template id: a string or a number, as its descriptor's `templateId` says. */
  readonly template: string | number;
  readonly to: MessageAddress | readonly MessageAddress[];
  readonly cc?: MessageAddress | readonly MessageAddress[];
  readonly bcc?: MessageAddress | readonly MessageAddress[];
  readonly from?: MessageAddress;
  readonly replyTo?: MessageAddress;
  readonly subject?: string;
  /** The template's variables, in whatever the vendor calls them (personalization fields, snippets, template data). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly attachments?: readonly MessageAttachment[];
  readonly tags?: readonly string[];
  /** Your id for this email, kept by the vendor with it (where its capability table's `externalId` is true). */
  readonly externalId?: string;
  /** `true` only for email that is transactional by law: a vendor may then reach contacts who opted out. */
  readonly transactional?: boolean;
  readonly tracking?: { readonly opens: boolean; readonly clicks: boolean };
  /**
   * Fields of the vendor's native message that the common message has no word for (a
   * vendor's delivery mode, say), added after conversion and checked by the native rules. One that the
   * conversion sets is refused (`native_conflict`), never overwritten.
   */
  readonly native?: Readonly<Record<string, unknown>>;
}

/**
 * A file to attach. A `File`'s own name and type count when `filename`/`contentType` are omitted.
 *
 * @example
 * const invoice: MessageAttachment = { content: pdfBytes, filename: "invoice.pdf", contentType: "application/pdf" };
 * await client.sendMessage({ template: 3, to: "jane@example.com", attachments: [invoice] });
 */
export interface MessageAttachment {
  readonly content: AttachmentContent;
  readonly filename?: string;
  readonly contentType?: string;
}

const Address = v.union([
  v.pipe(v.string(), emailAddress),
  plainObject(v.strictObject({ address: v.pipe(v.string(), emailAddress), name: v.optional(v.pipe(v.string(), noLineBreaks)) })),
]);
const Addresses = v.union([Address, v.array(Address)]);
/** At least one recipient: an empty list would leave a vendor's one `to` to be made up. */
const Recipients = v.union([Address, v.pipe(v.array(Address), v.minLength(1))]);

/**
 * The rules every vendor shares: the shape, bare addresses as `format: email`, one-line display names, `data` a
 * plain object. Each vendor's own limits (lengths, counts, name rules) are its native send's, checked after conversion.
 */
export const TemplateMessageSchema = plainObject(
  v.strictObject({
    template: v.union([v.pipe(v.string(), v.minLength(1)), v.pipe(v.number(), v.integer(), v.minValue(1))]),
    to: Recipients,
    cc: v.optional(Addresses),
    bcc: v.optional(Addresses),
    from: v.optional(Address),
    replyTo: v.optional(Address),
    subject: v.optional(v.string()),
    // Values are the vendor's to check (plain JSON or text, as its schema says), after conversion.
    data: v.optional(plainObject(record(v.string(), v.unknown()))),
    attachments: v.optional(
      v.array(
        plainObject(
          v.strictObject({
            content: v.custom<AttachmentContent>(isAttachmentContent, "must be a Blob, File, Uint8Array or ArrayBuffer"),
            filename: v.optional(v.string()),
            contentType: v.optional(v.string()),
          }),
        ),
      ),
    ),
    tags: v.optional(v.array(v.string())),
    externalId: v.optional(v.string()),
    transactional: v.optional(v.boolean()),
    tracking: v.optional(plainObject(v.strictObject({ opens: v.boolean(), clicks: v.boolean() }))),
    native: v.optional(plainObject(record(v.string(), v.unknown()))),
  }),
);

/** A message that passed `TemplateMessageSchema`: a checked copy, so converting it reads nothing twice. */
export type ValidTemplateMessage = v.InferOutput<typeof TemplateMessageSchema>;

/** An address as the converters read it. */
export interface NamedAddress {
  readonly address: string;
  readonly name?: string;
}

/** One address or a list, as a list (the shape changes, never a value). */
export function addressList(value: MessageAddress | readonly MessageAddress[] | undefined): NamedAddress[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item: MessageAddress) => (typeof item === "string" ? { address: item } : item));
}

/**
 * A vendor's converter: the checked common message to the vendor's native message, plus where each native field
 * came from (`[nativePath, commonPath]`), so an issue the native rules find names the field the caller wrote.
 */
export type MessageConverter<N> = (message: TemplateMessage) => InputCheck<{ readonly native: N; readonly origins: readonly (readonly [string, string])[] }>;

/**
 * A vendor's converter from its capability table and its mapping: the shared rules, then the capability check
 * (`unsupported_by_vendor`), then `convert` on the checked copy, so converting reads nothing twice.
 *
 * @example
 * export const toAcmeMessage = messageConverter(acmeCapabilities, (message) => ({ native: { templateId: message.template }, origins: [] }));
 */
export function messageConverter<N>(
  capabilities: VendorCapabilities,
  convert: (message: ValidTemplateMessage) => { readonly native: N; readonly origins: readonly (readonly [string, string])[] },
  /** Values the table allows but this vendor's native field cannot carry unchanged (each as `unsupported_by_vendor`). */
  refuseValues?: (message: ValidTemplateMessage) => ValidationIssue[],
): MessageConverter<N> {
  return (input) => {
    const checked = validateInput(TemplateMessageSchema, input);
    if (!checked.success) return checked;
    const issues = [...unsupportedFields(capabilities, checked.output), ...(refuseValues?.(checked.output) ?? [])];
    if (issues.length) return { success: false, issues };
    const converted = convert(checked.output);
    const native = withNativeOptions(converted.native, checked.output.native);
    if (!native.success) return native;
    // A native field's issue is named where the caller wrote it: `native.subscriber_mode`.
    const added = Object.keys(checked.output.native ?? {}).map((key) => [key, formatPath(["native", key])] as const);
    return { success: true, output: { native: native.output, origins: [...converted.origins, ...added] } };
  };
}

/**
 * The converted message with the caller's vendor-specific native fields added (a vendor's delivery mode, say).
 * A field the conversion already set is refused (rule `native_conflict`), never overwritten: the common field says
 * it. What is added is then checked by the vendor's native schema, like every other field.
 */
function withNativeOptions<N>(native: N, options: Readonly<Record<string, unknown>> | undefined): InputCheck<N> {
  if (!options) return { success: true, output: native };
  const converted = native as Record<string, unknown>;
  const conflicts = Object.keys(options).filter((key) => Object.hasOwn(converted, key));
  if (conflicts.length) {
    return {
      success: false,
      issues: conflicts.map((key) => ({ path: formatPath(["native", key]), rule: "native_conflict", message: "is already set from the common message's fields" })),
    };
  }
  return { success: true, output: { ...converted, ...options } as N };
}

/** `fields` without its `undefined` entries: a native message gets only what the caller gave, so a missing field is `required`. */
export function definedFields<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
