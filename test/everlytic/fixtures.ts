/** Messages shaped like the vendor page's examples, shared by the Everlytic test files and the vendors' shared suite. */
import type { EverlyticMessage } from "../../src/everlytic/index.js";
import type { VendorConformance } from "../vendors/conformance.ts";

/** The template the double holds (./double.ts): here, so this file loads without the double's HTTP server (inside workerd too). */
export const TEMPLATE_ID = "g789123d-8924-4811-b964-4d7255c6c54a";

/** The page's "Example using HTML provided in the body" (with `unique_fields` where its property table puts it). */
// Annotated, not `satisfies`: a literal array of one-key objects would otherwise widen to optional keys.
export const htmlExample: EverlyticMessage = {
  body: {
    html: "<h1>Hello there, {{recipientName}}, how was the {{sports}} match?</h1>",
    text: "Hello there, how was the match?",
    personalisation_fields: {
      common_fields: { sports: "soccer" },
      unique_fields: [{ "joe@example.com": { recipientName: "Mr Joe Bloggs" } }, { "john@example.com": { recipientName: "Johnny boy" } }],
    },
  },
  options: { group_name: "Track Engagement", track_links: true, track_opens: true },
  headers: {
    subject: "Raw HTML Template",
    from: { email: "boss@example.com", name: "Boss" },
    to: [
      { email: "joe@example.com", name: "Joe" },
      { email: "john@example.com", name: "John" },
    ],
    cc: [{ email: "sandy@example.com", name: "Sandy" }],
    reply_to: { email: "replies@example.com" },
  },
  attachments: { data: [{ filename: "Test.txt", data: "V2VsbCBkb25lIQ==" }] },
};

/** The page's "Send Transactional Email (Template ID)" request. */
export const templateExample = {
  options: { template_id: TEMPLATE_ID, group_name: "Rest API Using Template ID" },
  headers: { to: [{ email: "john.doe@example.com", name: "John Doe" }] },
} satisfies EverlyticMessage;

/** The page's "Redirect user to URL after unsubscribing" request. */
export const unsubscribeExample = {
  body: { html: "<p>Hello {{name}}</p>", text: "Hello", personalisation_fields: { common_fields: { name: "Joe" } } },
  headers: {
    subject: "Your receipt",
    from: { email: "billing@example.com", name: "Billing" },
    to: [{ email: "joe@example.com", name: "Joe" }],
    reply_to: { email: "support@example.com", name: "Support" },
  },
  options: { unsubscribe_redirect_url: "https://www.example.com/unsubscribed?list=receipts" },
} satisfies EverlyticMessage;

/** The smallest raw-HTML message. */
export const minimal = {
  body: { html: "<p>Hi</p>" },
  headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] },
} satisfies EverlyticMessage;

const withHeaders = (headers: object) => ({ ...minimal, headers: { ...minimal.headers, ...headers } });
const withFile = (file: object, html = minimal.body.html) => ({ ...minimal, body: { html }, attachments: { data: [file] } });

/**
 * Wire-shaped messages that break one rule: [what is wrong, input, expected issues as `path rule`]. Every one
 * is also refused by the spec's JSON Schema, except the rules JSON Schema cannot state (`x-txgate-rule`).
 */
export const invalidEverlyticMessages: [string, unknown, string[]][] = [
  ["no recipients", withHeaders({ to: [] }), ["headers.to min_length"]],
  ["no to at all", { ...minimal, headers: { subject: "Hi", from: { email: "shop@example.com" } } }, ["headers.to required"]],
  ["no html without a template", { ...minimal, body: { text: "Hi" } }, ["body.html required_without_template_id"]],
  ["no body without a template", { headers: minimal.headers }, ["body.html required_without_template_id"]],
  ["no subject without a template", withHeaders({ subject: undefined }), ["headers.subject required_without_template_id"]],
  ["no from without a template", withHeaders({ from: undefined }), ["headers.from.email required_without_template_id"]],
  ["a from name but no address without a template", withHeaders({ from: { name: "Shop" } }), ["headers.from.email required_without_template_id"]],
  ["html together with a template", { ...templateExample, body: { html: "<p>Hi</p>" } }, ["body.html template_excludes_body"]],
  ["text together with a template", { ...templateExample, body: { text: "Hi" } }, ["body.text template_excludes_body"]],
  ["an empty template id", { ...minimal, options: { template_id: "" } }, ["options.template_id min_length"]],
  ["an empty html body", { ...minimal, body: { html: "" } }, ["body.html min_length"]],
  ["a display name in an address", withHeaders({ to: [{ email: "Joe <joe@example.com>" }] }), ["headers.to.0.email email"]],
  ["not an address", withHeaders({ cc: [{ email: "sandy" }] }), ["headers.cc.0.email email"]],
  ["a single-label domain", withHeaders({ bcc: [{ email: "root@localhost" }] }), ["headers.bcc.0.email email"]],
  ["a malformed from address", withHeaders({ from: { email: "boss@@example.com" } }), ["headers.from.email email"]],
  ["a reply-to without an address", withHeaders({ reply_to: { name: "Support" } }), ["headers.reply_to.email required"]],
  ["CRLF in the subject", withHeaders({ subject: "Hi\r\nBcc: evil@example.com" }), ["headers.subject no_line_breaks"]],
  ["LF in a display name", withHeaders({ to: [{ email: "joe@example.com", name: "Joe\nBcc: evil@example.com" }] }), ["headers.to.0.name no_line_breaks"]],
  ["CR in the message id", withHeaders({ message_id: "<1@example.com>\rX-Evil: 1" }), ["headers.message_id no_line_breaks"]],
  ["LF in an address", withHeaders({ to: [{ email: "joe@example.com\nBcc: evil@example.com" }] }), ["headers.to.0.email email"]],
  ["LF in a custom header value", withHeaders({ custom_headers: { "X-Order": "1\nBcc: evil@example.com" } }), ["headers.custom_headers.X-Order no_line_breaks"]],
  ["CR in one of several header values", withHeaders({ custom_headers: { "X-Tags": ["a", "b\rc"] } }), ["headers.custom_headers.X-Tags.1 no_line_breaks"]],
  ["a custom header without X-", withHeaders({ custom_headers: { Precedence: "bulk" } }), ["headers.custom_headers.Precedence header_name"]],
  ["a lowercase x- custom header", withHeaders({ custom_headers: { "x-order": "1" } }), ["headers.custom_headers.x-order header_name"]],
  ["a custom header name with a space", withHeaders({ custom_headers: { "X-Order Id": "1" } }), ['headers.custom_headers["X-Order Id"] header_name']],
  ["an empty custom header value list", withHeaders({ custom_headers: { "X-Tags": [] } }), ["headers.custom_headers.X-Tags min_length"]],
  ["a number as a custom header value", withHeaders({ custom_headers: { "X-Order": 1 } }), ["headers.custom_headers.X-Order string", "headers.custom_headers.X-Order array"]],
  ["reply_to as an array", withHeaders({ reply_to: [{ email: "replies@example.com" }] }), ["headers.reply_to object"]],
  ["an unknown header field", withHeaders({ sender: { email: "shop@example.com" } }), ["headers.sender unknown_field"]],
  ["an unknown top-level field", { ...minimal, tags: ["a"] }, ["tags unknown_field"]],
  ["unique_fields directly under body (the page example's typo)", { ...minimal, body: { html: "<p>Hi</p>", unique_fields: [] } }, ["body.unique_fields unknown_field"]],
  ["unique fields for someone who gets no email", { ...minimal, body: { html: "<p>Hi {{n}}</p>", personalisation_fields: { unique_fields: [{ "ann@example.com": { n: "Ann" } }] } } }, ['body.personalisation_fields.unique_fields.0["ann@example.com"] unique_fields_recipients']],
  ["unique fields twice for one recipient", { ...minimal, body: { html: "<p>Hi</p>", personalisation_fields: { unique_fields: [{ "joe@example.com": { n: "Joe" } }, { "joe@example.com": { n: "Joseph" } }] } } }, ['body.personalisation_fields.unique_fields.1["joe@example.com"] unique_fields_recipients']],
  ["two recipients in one unique_fields entry", { ...minimal, headers: { ...minimal.headers, cc: [{ email: "sandy@example.com" }] }, body: { html: "<p>Hi</p>", personalisation_fields: { unique_fields: [{ "joe@example.com": { n: "Joe" }, "sandy@example.com": { n: "Sandy" } }] } } }, ["body.personalisation_fields.unique_fields.0 max_entries"]],
  ["a unique_fields key that is not an address", { ...minimal, body: { html: "<p>Hi</p>", personalisation_fields: { unique_fields: [{ joe: { n: "Joe" } }] } } }, ["body.personalisation_fields.unique_fields.0.joe email", "body.personalisation_fields.unique_fields.0.joe unique_fields_recipients"]],
  ["a non-string tag value", { ...minimal, body: { html: "<p>Hi</p>", personalisation_fields: { common_fields: { total: 12 } } } }, ["body.personalisation_fields.common_fields.total string"]],
  ["personalisation_fields as an array", { ...minimal, body: { html: "<p>Hi</p>", personalisation_fields: [] } }, ["body.personalisation_fields object"]],
  ["an attachment with neither data nor path", withFile({ filename: "a.txt" }), ["attachments.data.0.data attachment_source"]],
  ["an attachment with both data and path", withFile({ filename: "a.txt", data: "YQ==", path: "/files/a.txt" }), ["attachments.data.0.path attachment_source"]],
  ["inline data without a filename", withFile({ data: "YQ==" }), ["attachments.data.0.filename attachment_filename"]],
  ["data that is not base64", withFile({ filename: "a.txt", data: "not base64!" }), ["attachments.data.0.data base64"]],
  ["base64 without padding", withFile({ filename: "a.txt", data: "YQ" }), ["attachments.data.0.data base64"]],
  ["CRLF in a filename", withFile({ filename: "a.txt\r\nContent-Type: text/html", data: "YQ==" }), ["attachments.data.0.filename attachment_name"]],
  ["a content id not referenced in the HTML", withFile({ filename: "logo.png", data: "iVBORw0KGgo=", content_id: "logo" }, "<p>No image</p>"), ["attachments.data.0.content_id content_id_in_html"]],
  ["attachments as an array (the old API's shape)", { ...minimal, attachments: [{ filename: "a.txt", data: "YQ==" }] }, ["attachments object"]],
  ["an unsubscribe URL that is not a web URL", { ...minimal, options: { unsubscribe_redirect_url: "javascript:alert(1)" } }, ["options.unsubscribe_redirect_url web_url"]],
  ["an unsubscribe URL with a space", { ...minimal, options: { unsubscribe_redirect_url: "https://www.example.com/a b" } }, ["options.unsubscribe_redirect_url web_url"]],
  ["track_opens as a string", { ...minimal, options: { track_opens: "yes" } }, ["options.track_opens boolean"]],
];

/** Inputs only txgate understands (Web-type attachment content): valibot's rules alone, never on the wire. */
export const invalidContentAttachments: [string, unknown, string[]][] = [
  ["content with no filename and no File name", withFile({ content: new Uint8Array([1, 2]) }), ["attachments.data.0.filename attachment_filename"]],
  ["empty content", withFile({ filename: "empty.bin", content: new Uint8Array(0) }), ["attachments.data.0.content attachment_content"]],
  ["content that is a string", withFile({ filename: "a.txt", content: "/etc/passwd" }), ["attachments.data.0.content attachment_content"]],
  ["content and data together", withFile({ filename: "a.txt", content: new Uint8Array([1]), data: "YQ==" }), ["attachments.data.0.content attachment_source"]],
  ["a content type (Everlytic has no such field)", withFile({ filename: "a.txt", content: new Uint8Array([1]), contentType: "text/plain" }), ["attachments.data.0.contentType unknown_field"]],
];

/** Messages both valibot and the spec accept. */
export const validEverlyticMessages: [string, EverlyticMessage][] = [
  ["the page's HTML example", htmlExample],
  ["the page's template example", templateExample],
  ["the page's unsubscribe-redirect example", unsubscribeExample],
  ["the smallest HTML message", minimal],
  ["a template with personalisation, subject, from and reply-to", {
    ...templateExample,
    body: { personalisation_fields: { common_fields: { month: "May" }, unique_fields: [{ "john.doe@example.com": { name: "John" } }] } },
    headers: { ...templateExample.headers, subject: "Statement", from: { name: "Statements" }, reply_to: { email: "help@example.com" } },
  }],
  ["every header field", withHeaders({
    message_id: "<order-1234@example.com>",
    reply_to: { email: "replies@example.com", name: "Replies" },
    cc: [{ email: "sandy@example.com" }],
    bcc: [{ email: "audit+orders@example.co.za", name: "Audit" }],
    custom_headers: { "X-Order-Id": ["1234"], "X-Campaign": "autumn", "X-Tags": ["a", "b"] },
  })],
  ["unusual but valid addresses", withHeaders({ to: [{ email: "o'brien@example.ie" }, { email: "first.last+tag@sub.example-mail.com" }, { email: "UPPER@EXAMPLE.COM" }] })],
  ["unique fields for a bcc recipient", {
    ...minimal,
    body: { html: "<p>{{n}}</p>", personalisation_fields: { unique_fields: [{ "audit@example.com": { n: "Audit" } }] } },
    headers: { ...minimal.headers, bcc: [{ email: "audit@example.com" }] },
  }],
  ["every options field", { ...minimal, options: { group_name: "", track_opens: false, track_links: true, unsubscribe_redirect_url: "http://example.com:8080/u/%7Eme?a=1&b=2#top" } }],
  ["inline data, a path and an embedded image", {
    ...minimal,
    body: { html: '<p><img src="cid:logo@shop"></p>' },
    attachments: {
      data: [
        { filename: "Test.txt", data: "V2VsbCBkb25lIQ==" },
        { path: "/files/terms.pdf" },
        { filename: "logo.png", data: "iVBORw0KGgo=", content_id: "logo@shop" },
      ],
      options: { track: true },
    },
  }],
  ["a content id with a template (its HTML is not ours to check)", { ...templateExample, attachments: { data: [{ filename: "logo.png", data: "iVBORw0KGgo=", content_id: "logo" }] } }],
  ["Web-type attachments", {
    ...minimal,
    attachments: {
      data: [
        { content: new File(["%PDF"], "invoice.pdf", { type: "application/pdf" }) },
        { filename: "rows.csv", content: new Blob(["a,b\n"]) },
        { filename: "raw.bin", content: new Uint8Array([0, 255]) },
        { filename: "buffer.bin", content: new Uint8Array([1, 2, 3]).buffer },
      ],
    },
  }],
];

/**
 * Everlytic in the shared suite (test/vendors/conformance.test.ts): each invalid message a validation outcome naming
 * exactly its issues, nothing sent. Its spec agreement, field by field, is ./spec-agreement.test.ts.
 */
export const conformance: VendorConformance = {
  sample: { body: { html: "<p>Your order has shipped</p>" }, headers: { subject: "Shipped", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] } },
  invalid: [...invalidEverlyticMessages, ...invalidContentAttachments],
  issues: "exact",
  valid: validEverlyticMessages,
};
