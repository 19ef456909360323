/**
 * What each vendor can carry of the common `TemplateMessage`. A field a vendor cannot carry is refused with rule
 * `unsupported_by_vendor` at the field's path, never dropped. Lengths and formats are left to the native rules.
 */
import type { DeliveryEventKind } from "./delivery-event.ts";
import type { ValidTemplateMessage } from "./message.ts";
import type { ValidationIssue, VendorName } from "./outcome.ts";
import { formatPath } from "./validation.ts";

/**
 * How many addresses a recipient field takes (0: none) and whether each may have a display name.
 *
 * @example
 * const { max, names }: AddressCapability = acmeCapabilities.to;
 */
export interface AddressCapability {
  readonly max: number;
  readonly names: boolean;
}

/**
 * A field of the vendor's message that can carry our message id and that the vendor gives back in what it reports,
 * so a later event can name the message even when the send's own answer was lost (`delivery: "unknown"`).
 *
 * @example
 * if (capabilities.messageIdCarrier !== "none") console.log(`our id travels in ${capabilities.messageIdCarrier.field}`);
 */
export interface MessageIdCarrier {
  /** Where the id goes in the vendor's native message, as a dotted path. */
  readonly field: string;
  /** Where the vendor's events or reports give it back. */
  readonly echoedIn: string;
}

/**
 * One vendor's capability table.
 *
 * @example
 * if (acmeCapabilities.bcc.max === 0) console.log("Acme sends no bcc");
 */
export interface VendorCapabilities {
  readonly vendor: VendorName;
  /** The type of the vendor's template id (never converted: `"3"` is not `3`). */
  readonly template: "string" | "number";
  readonly to: AddressCapability;
  readonly cc: AddressCapability;
  readonly bcc: AddressCapability;
  readonly from: AddressCapability;
  readonly replyTo: AddressCapability;
  readonly subject: boolean;
  /** `text`: every value a string (the template pastes text); `json`: any JSON value. */
  readonly data: "text" | "json";
  readonly attachments: boolean;
  /** Whether an attachment's `contentType` can be sent with it. */
  readonly attachmentContentType: boolean;
  /**
   * Where the vendor's native message holds its attachments: the path to the list, and each one's field that holds
   * the bytes (the worker's trusted route takes them as that field plus `Base64`). Absent for a vendor without
   * attachments.
   */
  readonly nativeAttachments?: { readonly list: readonly string[]; readonly content: string };
  readonly tags: number;
  readonly externalId: boolean;
  /**
   * `stated`: the vendor needs it said (`true` may reach contacts who opted out); `always`: every message
   * of this API is transactional, so `true` is accepted and `false` (commercial email) is refused.
   */
  readonly transactional: "stated" | "always";
  readonly tracking: boolean;
  /**
   * How the vendor tells what became of a message it accepted: `webhook`, it posts events to a URL you give it;
   * `report`, you fetch them from a reporting API; `none`, it documents neither.
   */
  readonly deliveryEvents: "webhook" | "report" | "none";
  /** The kinds of `DeliveryEvent` the vendor's events or reports can become. */
  readonly deliveryEventKinds: readonly DeliveryEventKind[];
  /**
   * What ties one of its events to one send: `vendor-id`, the ids the send's answer gave (`Sent.ids`);
   * `recipient`, the address alone; `none`, nothing.
   */
  readonly deliveryEventMatch: "vendor-id" | "recipient" | "none";
  /** The field that carries our message id out and back, or `none` where no field the vendor echoes can. */
  readonly messageIdCarrier: MessageIdCarrier | "none";
}

const UNSUPPORTED = "unsupported_by_vendor";

/**
 * Every field of `message` the vendor cannot carry, each as a `validation` issue with rule `unsupported_by_vendor`.
 *
 * @example
 * const issues = unsupportedFields(acmeCapabilities, message); // cc given: [{ path: "cc", rule: "unsupported_by_vendor", ... }]
 */
export function unsupportedFields(capabilities: VendorCapabilities, message: ValidTemplateMessage): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const refuse = (path: readonly (string | number)[], what: string) =>
    issues.push({ path: formatPath(path), rule: UNSUPPORTED, message: `${capabilities.vendor} ${what}` });

  if (typeof message.template !== capabilities.template) refuse(["template"], `takes a ${capabilities.template} template id`);
  for (const field of ["to", "cc", "bcc", "from", "replyTo"] as const) {
    const value = message[field];
    if (value === undefined) continue;
    const { max, names } = capabilities[field];
    const list = Array.isArray(value) ? value : [value];
    const at = (index: number) => (Array.isArray(value) ? [field, index] : [field]);
    if (max === 0) {
      refuse([field], `cannot carry ${field}`);
      continue;
    }
    if (list.length > max) refuse(at(max), `takes at most ${max} ${field} address${max === 1 ? "" : "es"}`);
    list.forEach((item, index) => {
      if (!names && typeof item === "object" && item.name !== undefined) refuse([...at(index), "name"], `cannot carry a display name in ${field}`);
    });
  }
  if (message.subject !== undefined && !capabilities.subject) refuse(["subject"], "takes the subject from the template");
  if (message.data && capabilities.data === "text") {
    for (const [key, value] of Object.entries(message.data)) {
      if (typeof value !== "string") refuse(["data", key], "takes text values only");
    }
  }
  message.attachments?.forEach((attachment, index) => {
    if (!capabilities.attachments) refuse(["attachments", index], "cannot carry attachments");
    else if (attachment.contentType !== undefined && !capabilities.attachmentContentType) {
      refuse(["attachments", index, "contentType"], "cannot carry an attachment's content type");
    }
  });
  if (message.tags && message.tags.length > capabilities.tags) {
    refuse(capabilities.tags ? ["tags", capabilities.tags] : ["tags"], capabilities.tags ? `takes at most ${capabilities.tags} tag` : "cannot carry tags");
  }
  if (message.externalId !== undefined && !capabilities.externalId) refuse(["externalId"], "cannot carry externalId");
  if (message.transactional === false && capabilities.transactional === "always") {
    refuse(["transactional"], "sends transactional email only: its API has no way to mark an email commercial");
  }
  if (message.tracking !== undefined && !capabilities.tracking) refuse(["tracking"], "sets tracking in the template, not per message");
  return issues;
}
