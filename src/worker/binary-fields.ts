/**
 * Trusted callers send the library client's `send` input as JSON, where bytes cannot travel. The one field of
 * each vendor that holds an attachment's bytes travels as the same name plus `Base64`, holding standard base64
 * (`attachments[].contentBase64` for a vendor whose bytes sit in `attachments[].content`). They become
 * `Uint8Array`s before the client sees them. Where each vendor keeps them is its capability table's
 * (`nativeAttachments`), read from its descriptor.
 */
import type { ValidationIssue } from "../core/public.ts";
import type { AnyVendorDescriptor } from "../vendors/descriptor.ts";
import { Refusal } from "./problem.ts";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `input` with every `<field>Base64` of the vendor's attachments decoded into `<field>`; a 422 naming each
 * attachment whose base64 is not valid, or that gives both forms.
 *
 * @example
 * decodeAttachments(acmeVendor, { template_id: 2, attachments: [{ filename: "a.txt", contentBase64: "aGk=" }] });
 * // → { template_id: 2, attachments: [{ filename: "a.txt", content: Uint8Array [104, 105] }] }
 */
export function decodeAttachments(vendor: AnyVendorDescriptor | undefined, input: unknown): unknown {
  const attachments = vendor?.capabilities.nativeAttachments;
  if (!attachments || !input || typeof input !== "object") return input;
  const where = { list: attachments.list, field: attachments.content };
  const encodedField = `${where.field}Base64`;
  const issues: ValidationIssue[] = [];
  const decodeList = (list: unknown, path: string): unknown =>
    Array.isArray(list)
      ? list.map((item, index) => {
          if (!item || typeof item !== "object" || !(encodedField in item)) return item;
          const { [encodedField]: encoded, ...rest } = item as Record<string, unknown>;
          const itemPath = `${path}.${index}.${encodedField}`;
          if (where.field in rest) issues.push({ path: itemPath, rule: "one_content", message: `give ${where.field} or ${encodedField}, not both` });
          else if (typeof encoded !== "string" || !BASE64.test(encoded)) issues.push({ path: itemPath, rule: "base64", message: "must be standard padded base64" });
          else return { ...rest, [where.field]: Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)) };
          return item;
        })
      : list;

  const copy = structuredClone(input) as Record<string, unknown>;
  let parent: Record<string, unknown> | undefined = copy;
  for (const key of where.list.slice(0, -1)) {
    const next: unknown = parent?.[key];
    parent = next && typeof next === "object" ? (next as Record<string, unknown>) : undefined;
  }
  const last = where.list.at(-1)!;
  if (parent && last in parent) parent[last] = decodeList(parent[last], where.list.join("."));
  if (issues.length) throw new Refusal("validation", "an attachment's content is not valid base64", { issues });
  return copy;
}
