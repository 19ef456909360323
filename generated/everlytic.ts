// Generated from specs/everlytic.yaml by `npm run gen` (openapi-typescript). Do not edit by hand.

export interface paths {
    "/transactional/email/v1/mail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a transactional email
         * @description Sends one transactional email to every recipient in `headers.to`, `headers.cc` and `headers.bcc`. The content is either raw HTML given in `body.html` (then `headers.subject` and `headers.from.email` are required too) or a stored, published template named by `options.template_id`. On success the response carries one transaction id per recipient.
         */
        post: operations["sendMail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/transactional/email/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account's webhooks (txgate's credential check)
         * @description Lists the webhooks of the account (vendor-docs/README.md, Everlytic: `POST /transactional/email/v1/webhooks` creates one, `GET` lists them). It needs the same Basic credentials a send needs and changes nothing, so txgate's `checkCredentials` reads it to learn whether Everlytic accepts the credentials without sending an email: 200 is accepted, 401 is refused. The list itself is not read (its shape is not documented beyond the webhook's own fields) and never shown.
         */
        get: operations["listWebhooks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The whole request body. Required-when rules (on this object, because `options.template_id`, `body.html`, `headers.subject` and `headers.from.email` have only the root as common ancestor): when `options.template_id` is absent, `body.html`, `headers.subject` and `headers.from.email` are required ("Yes, if options.template_id is empty"). With `options.template_id`, `body.html` and `body.text` are rejected. This is txgate's choice, not a vendor rule: the page makes html required only without a template, which alone would leave it optional with one, but it describes the template and the body as alternative sources of the content ("template_id: No, unless the body parameter is empty"; a stored template has its own content_html and content_text) and never says which is sent when both are given. Whichever Everlytic picks, one of the two contents the caller gave would be silently dropped, so the request is refused before sending and the caller chooses. `body.personalisation_fields` (tags fill the stored template too), `headers.subject`, `headers.from` and `headers.reply_to` stay allowed with a template: they are per-send header fields the page makes optional there, not alternative content. Unknown fields are rejected (additionalProperties false): txgate sends only the documented fields. */
        SendMailRequest: {
            body?: components["schemas"]["MailBody"];
            headers: components["schemas"]["MailHeaders"];
            options?: components["schemas"]["MailOptions"];
            attachments?: components["schemas"]["Attachments"];
        };
        /** @description The content of the email when no template is used, plus personalisation tags. */
        MailBody: {
            /** @description The HTML body. Required when `options.template_id` is absent; rejected by txgate when it is present (see SendMailRequest). Tags such as `{{recipientName}}` are filled from personalisation_fields. Every attachment `content_id` must be referenced here as `cid:<content_id>` (x-txgate-rule content_id_in_html, on ContentId). */
            html?: string;
            /** @description The plain-text body. Optional; rejected by txgate together with `options.template_id` (see SendMailRequest). */
            text?: string;
            personalisation_fields?: components["schemas"]["PersonalisationFields"];
        };
        /** @description Custom tags used to personalise the email. */
        PersonalisationFields: {
            common_fields?: components["schemas"]["TagValues"];
            unique_fields?: components["schemas"]["UniqueFields"];
        };
        /** @description Tag name to value (`{"sports": "soccer"}`). Values are strings. `__proto__` is refused (txgate rule `reserved_key`: JavaScript cannot carry it as a key). */
        TagValues: {
            [key: string]: string;
        };
        /** @description Per-recipient tags: an array of one-key objects, each key a recipient's email address and its value the tags for that recipient (`[{"joe@example.com": {"recipientName": "Joe"}}]`). The page's example puts `unique_fields` directly under `body`; its property table puts it under `body.personalisation_fields`. txgate follows the table (the example is read as a typo) and `body.unique_fields` is rejected. Each element holds exactly one address, as in every vendor example. Rule JSON Schema cannot express (x-txgate-rule unique_fields_recipients): every key must equal, character for character, the `email` of a recipient in `headers.to`, `headers.cc` or `headers.bcc` of the same request, and no address may appear in two elements; otherwise a recipient could get an email with unfilled tags. */
        UniqueFields: {
            [key: string]: components["schemas"]["TagValues"];
        }[];
        /** @description Envelope and header fields. `subject` and `from.email` are required when no template is used (see SendMailRequest). */
        MailHeaders: {
            /** @description Subject line. Required when `options.template_id` is absent. No CR or LF. */
            subject?: string;
            /** @description Message-ID for the email (format not documented). No CR or LF. */
            message_id?: string;
            from?: components["schemas"]["Sender"];
            /** @description All primary recipients; at least one. */
            to: components["schemas"]["Address"][];
            reply_to?: components["schemas"]["Address"];
            /** @description Carbon-copied recipients (each gets a transaction id). */
            cc?: components["schemas"]["Address"][];
            /** @description Blind-carbon-copied recipients (each gets a transaction id). */
            bcc?: components["schemas"]["Address"][];
            custom_headers?: components["schemas"]["CustomHeaders"];
        };
        /**
         * Format: email
         * @description A bare email address (no display name, no CR or LF): dot-atom local part @ a domain of at least two labels. The page names no syntax; `format: email` as JSON Schema validators check it (ajv-formats) is the exact rule txgate checks. Quoted local parts, IP-literal and non-ASCII domains are not accepted. Length capped at 254 (the SMTP path limit; the page gives no length).
         */
        EmailAddress: string;
        /** @description Display name shown with an address. No CR or LF. */
        DisplayName: string;
        /** @description A recipient or reply-to address. The page marks `email` "No" (not required) inside reply_to, cc and bcc, but an address object without an address is meaningless, so txgate requires it everywhere this schema is used. The page calls reply_to an "Array"; every example shows one object, which is what this is. */
        Address: {
            email: components["schemas"]["EmailAddress"];
            name?: components["schemas"]["DisplayName"];
        };
        /** @description The From address. `email` is required when `options.template_id` is absent (enforced on SendMailRequest); with a template, `from` may be omitted or give only a `name`. */
        Sender: {
            email?: components["schemas"]["EmailAddress"];
            name?: components["schemas"]["DisplayName"];
        };
        /** @description Extra headers: name to value. Each name must start with `X-` (case as documented) and be an RFC 9110 token; each value is a single string or an array of strings (arrays are what the vendor example shows). No CR or LF in any value. */
        CustomHeaders: {
            [key: string]: components["schemas"]["CustomHeaderValue"];
        };
        /** @description One header value, or several values for the same header name. */
        CustomHeaderValue: string | string[];
        /** @description Sending options. */
        MailOptions: {
            /** @description Reports group emails by month by default; emails with this group name are aggregated under it instead. */
            group_name?: string;
            /** @description ID of a published template created in the Transactional Email interface. When given, the template supplies the content; txgate then rejects `body.html` and `body.text` (see SendMailRequest). An empty string counts as "empty" on the vendor page and is rejected. */
            template_id?: string;
            /** @description Track opens of this email. */
            track_opens?: boolean;
            /** @description Track clicks on links in this email. */
            track_links?: boolean;
            /**
             * Format: uri
             * @description A valid web URL the contact is redirected to after unsubscribing. The page says no more; `pattern` is txgate's exact reading: http or https, a host name with a dot (a contact's browser must reach it, so no IP literals or single-label hosts), an optional port, then path, query and fragment in URI characters (RFC 3986; other characters percent-encoded).
             */
            unsubscribe_redirect_url?: string;
        };
        /** @description Attached files and their options (an object, not an array). */
        Attachments: {
            /** @description The files to attach. */
            data?: components["schemas"]["Attachment"][];
            options?: {
                /** @description Track opens of the attached files. */
                track?: boolean;
            };
        };
        /** @description One file, given either inline (`data`, base64) or by `path`: exactly one of the two (a file with both, or neither, matches no branch). `filename` is required with `data` ("Yes, if data is not empty"); with `path` it is optional. */
        Attachment: components["schemas"]["InlineAttachment"] | components["schemas"]["PathAttachment"];
        /** @description An attachment whose content is sent in the request (`data`); `filename` is required with it. */
        InlineAttachment: {
            filename: components["schemas"]["AttachmentFilename"];
            /** @description The file content, standard base64 with padding and no line breaks. */
            data: string;
            content_id?: components["schemas"]["ContentId"];
        };
        /** @description An attachment given by file path instead of inline data (`data` must then be absent). */
        PathAttachment: {
            filename?: components["schemas"]["AttachmentFilename"];
            /** @description The file path of the attachment (its form is not documented further). No CR or LF. */
            path: string;
            content_id?: components["schemas"]["ContentId"];
        };
        /** @description Name of the attached file, without control characters (C0, DEL, C1), `"`, `\`, `/`, unpaired surrogates, U+FFFE or U+FFFF, which would be changed or misread on the way (txgate's rule `attachment_name`, the same in every vendor; matched with the Unicode flag). */
        AttachmentFilename: string;
        /** @description Content ID of an embedded image. Rule JSON Schema cannot express (x-txgate-rule content_id_in_html): a matching reference `cid:<content_id>` must be found in `body.html` of the same request ("A matching ID must be found in the HTML"). With `options.template_id` the HTML is the stored template's and cannot be checked locally. */
        ContentId: string;
        /** @description 200 body. The property table calls the array `transaction`; the example (the wire) shows `transactions`, which is what this uses. */
        SendMailSuccess: {
            /** @description One entry per recipient (to, cc and bcc). */
            transactions: components["schemas"]["Transaction"][];
        };
        Transaction: {
            /**
             * @description Transaction id. Looks like a UUID but is not strictly hex (the vendor's own examples contain letters such as `q`, `w`, `g`), so no format is checked.
             * @example 8faa62ec-6c01-4020-8322-933a8q046d9e
             */
            id: string;
        };
        /** @description The account's webhooks. Only the status of this answer is used (txgate's credential check); its shape beyond being JSON is not relied on. */
        WebhookList: unknown;
        /** @description Error body of every documented 4xx response (400, 401, 412). */
        ErrorBody: {
            /**
             * @description The HTTP status code again (documented values 400, 401, 412).
             * @example 412
             */
            code: number;
            message: components["schemas"]["ErrorMessage"];
            error: {
                errors: components["schemas"]["ErrorDetail"][];
            };
        };
        /** @description The reason for the failure: a string (400, 401), or for validation failures (412) an object of field errors. */
        ErrorMessage: string | components["schemas"]["FieldErrors"];
        /** @description Validation failures keyed by field path (e.g. `headers.from.email`), each with one or more messages. */
        FieldErrors: {
            errors: {
                [key: string]: string[];
            };
        };
        /** @description One failure detail. */
        ErrorDetail: {
            /**
             * @description Classification of the error. Documented values (not a closed list): `global`, `usageLimit`, `NoQuota`.
             * @example global
             * @example usageLimit
             * @example NoQuota
             */
            domain: string;
            /**
             * @description Keyword for the error. Documented values (not a closed list): `invalid`, `invalidParameter`, `UnverifiedDomain`, `required`, `Attachment`, `Duplicate`, `CustomHeaders`, `NoQuota`, `Suppressed`, `RequestLimit`, `ForbiddenAccess`. Note the documented unverified-domain 400 uses reason `invalid` with the text in `message`, not `UnverifiedDomain`.
             * @example invalid
             * @example invalidParameter
             * @example UnverifiedDomain
             * @example required
             * @example Attachment
             * @example Duplicate
             * @example CustomHeaders
             * @example NoQuota
             * @example Suppressed
             * @example RequestLimit
             * @example ForbiddenAccess
             */
            reason: string;
            message: components["schemas"]["ErrorMessage"];
            /**
             * @description Where the failure occurred. Documented values (not a closed list) `headers`, `request`, `body`.
             * @example request
             * @example headers
             * @example body
             */
            locationType: string;
            /**
             * @description The validation that failed. Documented values (not a closed list): `authorization`, `sendValidation`, `webhookValidation`, `suppressionValidation`, `templateValidation`, `bouncesValidation`, `trackedAttachmentsGroup`, `trackedAttachmentsAsset`, `default`.
             * @example authorization
             * @example sendValidation
             * @example webhookValidation
             * @example suppressionValidation
             * @example templateValidation
             * @example bouncesValidation
             * @example trackedAttachmentsGroup
             * @example trackedAttachmentsAsset
             * @example default
             */
            location: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    sendMail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMailRequest"];
            };
        };
        responses: {
            /** @description Email was sent successfully. One transaction id per recipient (to, cc and bcc). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "transactions": [
                     *         {
                     *           "id": "8faa62ec-6c01-4020-8322-933a8q046d9e"
                     *         },
                     *         {
                     *           "id": "fe0070a5-ec15-4c99-80ae-d68707we6bc4"
                     *         },
                     *         {
                     *           "id": "7e4b9585-0246-409f-b52f-e3d29g59063b"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["SendMailSuccess"];
                };
            };
            /** @description Bad Request: the request body was formatted improperly or the sending domain is unverified. The page lists further reasons (`Suppressed`, `NoQuota`, `RequestLimit`, ...; see `ErrorDetail.reason`) without saying which status carries them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 400,
                     *       "message": "Send Failed - Unable to send: Unverified Domain - example.net",
                     *       "error": {
                     *         "errors": [
                     *           {
                     *             "domain": "global",
                     *             "reason": "invalid",
                     *             "message": "Send Failed - Unable to send: Unverified Domain - example.net",
                     *             "locationType": "request",
                     *             "location": "default"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Unauthorized. The Basic credentials (username and API key) are missing or incorrect. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 401,
                     *       "message": "Login Required",
                     *       "error": {
                     *         "errors": [
                     *           {
                     *             "domain": "global",
                     *             "reason": "required",
                     *             "message": "Login Required",
                     *             "locationType": "request",
                     *             "location": "authorization"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Precondition Failed: one or more fields were missing or invalid. Here `message` (both the top-level one and the one in each error) is an object `{errors: {<field path>: [text, ...]}}` instead of a string. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 412,
                     *       "message": {
                     *         "errors": {
                     *           "headers.from.email": [
                     *             "The headers.from.email format is invalid."
                     *           ]
                     *         }
                     *       },
                     *       "error": {
                     *         "errors": [
                     *           {
                     *             "domain": "global",
                     *             "reason": "invalidParameter",
                     *             "message": {
                     *               "errors": {
                     *                 "headers.from.email": [
                     *                   "The headers.from.email format is invalid."
                     *                 ]
                     *               }
                     *             },
                     *             "locationType": "request",
                     *             "location": "sendValidation"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other status. The vendor page documents only 200, 400, 401 and 412; it documents no 429 or 5xx response, no rate-limit headers and no `Retry-After` (the `RequestLimit` and `NoQuota` reasons exist, but their status code is not given). Such responses may or may not use the ErrorBody shape; clients must not rely on it. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credentials were accepted; the body lists the account's webhooks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description Unauthorized. The Basic credentials (username and API key) are missing or incorrect. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 401,
                     *       "message": "Login Required",
                     *       "error": {
                     *         "errors": [
                     *           {
                     *             "domain": "global",
                     *             "reason": "required",
                     *             "message": "Login Required",
                     *             "locationType": "request",
                     *             "location": "authorization"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Any other status; not documented for this read. May or may not use the ErrorBody shape. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
