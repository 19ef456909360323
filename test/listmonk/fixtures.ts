/** Inputs shared by the listmonk tests, and its cases for the vendors' shared suite (test/vendors/conformance.test.ts). */
import { ListmonkMessageSchema } from "../../src/listmonk/index.ts";
import { toTxMessage } from "../../src/listmonk/request.ts";
import type { VendorConformance } from "../vendors/conformance.ts";

export const ok = { subscriber_emails: ["ada@example.com"], template_id: 2 };

/** [what is wrong, input, expected issues as `path rule`] */
export const invalidListmonkMessages: [string, unknown, string[]][] = [
  ["no template", { subscriber_emails: ["ada@example.com"] }, ["template_id required"]],
  ["template id not an integer", { ...ok, template_id: 2.5 }, ["template_id integer"]],
  ["template id zero", { ...ok, template_id: 0 }, ["template_id min_value"]],
  ["a display name", { subscriber_emails: ["Ada <ada@example.com>"], template_id: 2 }, ["subscriber_emails.0 email"]],
  ["not an address", { subscriber_emails: ["ada"], template_id: 2 }, ["subscriber_emails.0 email"]],
  ["a string id", { subscriber_ids: ["1"], template_id: 2 }, ["subscriber_ids.0 number"]],
  ["a fractional id", { subscriber_ids: [1.5], template_id: 2 }, ["subscriber_ids.0 integer"]],
  ["no recipient", { template_id: 2 }, ["subscriber_emails listmonk_recipients"]],
  ["emails and ids", { subscriber_emails: ["ada@example.com"], subscriber_ids: [1], template_id: 2 }, ["subscriber_emails listmonk_recipients"]],
  ["single and array email", { subscriber_email: "ada@example.com", subscriber_emails: ["grace@example.com"], template_id: 2 }, ["subscriber_email listmonk_recipients"]],
  ["single and array id", { subscriber_id: 1, subscriber_ids: [2], template_id: 2 }, ["subscriber_id listmonk_recipients"]],
  ["ids in external mode", { subscriber_mode: "external", subscriber_ids: [1], template_id: 2 }, ["subscriber_ids listmonk_recipients", "subscriber_emails listmonk_recipients"]],
  ["no emails in fallback mode", { subscriber_mode: "fallback", template_id: 2 }, ["subscriber_emails listmonk_recipients"]],
  ["unknown mode", { ...ok, subscriber_mode: "broadcast" }, ["subscriber_mode picklist"]],
  ["empty recipient list", { subscriber_emails: [], template_id: 2 }, ["subscriber_emails min_length"]],
  ["headers as an object", { ...ok, headers: { "X-A": "b" } }, ["headers array"]],
  ["a header given as an array", { ...ok, headers: [["X-A", "b"]] }, ["headers.0 object"]],
  ["CRLF in a header value", { ...ok, headers: [{ "X-A": "b\r\nBcc: evil@example.com" }] }, ["headers.0.X-A no_line_breaks"]],
  ["LF in a header name", { ...ok, headers: [{ "X-A\nBcc": "b" }] }, ['headers.0["X-A\\nBcc"] header_name']],
  ["CR in the subject", { ...ok, subject: "Hi\rBcc: evil@example.com" }, ["subject no_line_breaks"]],
  ["LF in from_email", { ...ok, from_email: "a@example.com\nBcc: evil@example.com" }, ["from_email no_line_breaks"]],
  ["unknown content type", { ...ok, content_type: "rtf" }, ["content_type picklist"]],
  ["an unknown field", { ...ok, bcc: ["evil@example.com"] }, ["bcc unknown_field"]],
  ["data not an object", { ...ok, data: "x" }, ["data object"]],
  ["data an array", { ...ok, data: [1, 2] }, ["data object"]],
  ["attachment without a name", { ...ok, attachments: [{ content: new Uint8Array([1]) }] }, ["attachments.0.filename attachment_filename"]],
  ["attachment content a path", { ...ok, attachments: [{ content: "/etc/passwd", filename: "x" }] }, ["attachments.0.content custom"]],
];

/** Messages both valibot and the spec accept. */
export const validListmonkMessages: [string, Record<string, unknown>][] = [
  ["the documented example", { subscriber_email: "user@example.com", template_id: 2, data: { order_id: "1234", items: [1, 2, 3] }, content_type: "html" }],
  ["external mode", { subscriber_mode: "external", subscriber_emails: ["recipient@example.com"], template_id: 2, data: { name: "John" } }],
  ["fallback mode", { subscriber_mode: "fallback", subscriber_emails: ["a@example.com", "b@example.org"], template_id: 3 }],
  ["ids in default mode", { subscriber_mode: "default", subscriber_ids: [1, 2, 3], template_id: 2 }],
  ["the deprecated single id", { subscriber_id: 7, template_id: 2 }],
  ["every optional field", {
    subscriber_emails: ["ada@example.com"],
    template_id: 2,
    from_email: "Shop <shop@example.com>",
    subject: "Your order",
    altbody: "text",
    data: {},
    headers: [{ "X-Campaign": "autumn", "Reply-To": "help@example.com" }],
    messenger: "email",
    content_type: "plain",
  }],
];

/** The spec helpers, which read specs/ from disk: loaded when called, so this file loads inside workerd too. */
const spec = () => import("../support/spec.ts");

/**
 * listmonk in the shared suite: valibot (what the client enforces) and specs/listmonk.yaml (what the wire allows)
 * refuse the same messages and accept the same. Attachments travel as multipart parts, not JSON fields: those rules
 * are valibot's alone. (That every body the client actually sent is valid under the spec is checked by the double
 * in every listmonk test file.)
 */
export const conformance: VendorConformance = {
  sample: { template_id: 2, subscriber_emails: ["ada@example.com"], data: { order: "1234" } },
  invalid: invalidListmonkMessages,
  valid: validListmonkMessages,
  spec: {
    schema: ListmonkMessageSchema,
    refuses: async (input) => (await spec()).specErrors("listmonk", "TxMessage", input),
    accepts: async (parsed) => (await spec()).specErrors("listmonk", "TxMessage", toTxMessage(parsed as never)),
    judges: (input) => !("attachments" in (input as object)),
  },
};
