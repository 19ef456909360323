// Generated from specs/expertsender.yaml by `npm run gen` (openapi-typescript). Do not edit by hand.

export interface paths {
    "/v2/Api/SystemTransactionals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a system transactional message to one subscriber
         * @description Sends the previously created system transactional message `id` to a single subscriber (`Data.Receiver`).
         *     Snippets fill `*[tr_Name]*` tags of the message; attachments are added to it.
         *
         *     Behaviour that matters for "never send an unwanted email":
         *     * Blacklists are NOT checked for system transactional messages: the message goes out even to a
         *       blacklisted address. Use this endpoint only for messages the recipient must get.
         *     * The page disagrees with itself about unknown subscribers: its introduction says a subscriber who is not
         *       on the list is created first (and an existing one is updated with the Receiver data), while the
         *       Receiver note says a subscriber with the given Email/EmailMd5/EmailSha256 must already exist. txgate
         *       takes the reading that can send more: any `Email` given may receive the message even if it is not in
         *       the database yet, so only pass addresses that are meant to receive it. (A hash alone presumably cannot
         *       create a subscriber, so EmailMd5/EmailSha256 can only reach existing subscribers.)
         *     * Each address in `Bcc` receives a hidden copy and doubles the volume of the message.
         *     * Sending a message that is inactive or deleted is an error.
         *     * No rate limit is documented. A 500 does not say whether the message was sent: txgate never retries
         *       a 500 automatically (x-txgate-rule: never-retry-500), as a retry could send the message twice.
         *
         *     Request: `Content-Type: text/xml; charset=utf-8` (`application/xml` is also accepted; the vendor's own
         *     examples send `application/xml;charset=UTF-8`). Element order inside `<Data>` is not significant.
         */
        post: operations["sendSystemTransactional"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/Api/Time": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The server's time (txgate's credential check)
         * @description ExpertSender's "Get server time" method (manual: API v2 methods, get-server-time; public client code calls
         *     `GET {host}/v2/Api/Time?apiKey=...`). Like every ExpertSender GET it takes the API key as the `apiKey` URL
         *     parameter, the same key a send puts in `<ApiKey>`, and it changes nothing, so txgate's `checkCredentials`
         *     reads it to learn whether ExpertSender accepts the key without sending a message: 200 is accepted, 403
         *     (`ErrorMessage.Code` 403) refused. The key in the URL is a secret: txgate never shows or logs this URL.
         */
        get: operations["getServerTime"];
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
        /**
         * Format: int32
         * @description ID of a system transactional message (the `{id}` path parameter), a positive 32-bit integer.
         */
        TransactionalId: number;
        /**
         * @description Text that XML 1.0 can carry: any string without U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, unpaired
         *     surrogates (U+D800-U+DFFF not forming a pair), U+FFFE or U+FFFF (txgate's validation rule `xml_char`). The pattern is
         *     matched with the Unicode flag, as JSON Schema patterns are, so a surrogate pair counts as one character.
         */
        XmlText: string;
        /**
         * @description The `<ApiRequest>` root element. The vendor's examples always declare
         *     `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` and `xmlns:xs="http://www.w3.org/2001/XMLSchema"`
         *     on it; both are needed whenever a `Property/Value` carries `xsi:type="xs:..."`, and txgate always sends
         *     them (required here). The JSON properties `@_xmlns:xsi` / `@_xmlns:xs` are those namespace declarations.
         */
        SystemTransactionalRequest: {
            /**
             * @description Namespace declaration `xmlns:xsi` on `<ApiRequest>`.
             * @constant
             */
            "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance";
            /**
             * @description Namespace declaration `xmlns:xs` on `<ApiRequest>` (the prefix used in `xsi:type` values).
             * @constant
             */
            "@_xmlns:xs": "http://www.w3.org/2001/XMLSchema";
            /**
             * @description The account's API key (a secret; redact it in logs). The docs give no format; txgate rejects an
             *     empty key and any whitespace (a stray space or newline from configuration would only earn a 403).
             * @example test_api_key1
             */
            ApiKey: components["schemas"]["XmlText"];
            Data: components["schemas"]["TransactionalData"];
        };
        /** @description The `<Data>` element. Element order inside it is not significant. */
        TransactionalData: {
            /**
             * @description When `true`, the 201 response carries `<ApiResponse><Data>GUID</Data></ApiResponse>` (the GUID of the
             *     sent message) instead of an empty body. Written as `true` / `false`.
             * @default false
             */
            ReturnGuid?: boolean;
            Receiver: components["schemas"]["Receiver"];
            /**
             * @description Wrapped array `<Snippets><Snippet>...</Snippet>...</Snippets>`: values inserted where the message
             *     content, subject and other fields use `*[tr_Name]*` tags. Optional. Snippet names must be unique
             *     (x-txgate-rule: snippet-names-unique; the docs are silent, but two values for one tag would leave the
             *     content to chance, so txgate rejects duplicates; JSON Schema cannot compare one property across items).
             */
            Snippets?: components["schemas"]["Snippet"][];
            /**
             * @description Wrapped array `<Attachments><Attachment>...</Attachment>...</Attachments>`. Optional.
             *     No two attachments may have the same `FileName` (x-txgate-rule: attachment-filename-unique; the docs
             *     say "should be unique"; JSON Schema cannot compare one property across items).
             */
            Attachments?: components["schemas"]["Attachment"][];
        };
        /**
         * @description The subscriber who receives the message. At least one of `Id`, `Email`, `EmailMd5`, `EmailSha256` must be
         *     given. If `Email`, `EmailMd5` or `EmailSha256` is given, a subscriber with that email (or hash) is looked
         *     up; if several identifiers are given, `Id` always takes precedence (so an `Id` together with an `Email`
         *     sends to the subscriber with that `Id`, whatever the email). A subscriber that already exists is updated
         *     with the other fields given here (Firstname, Lastname, Name, TrackingCode, Vendor, Ip, Properties).
         */
        Receiver: {
            /**
             * Format: int32
             * @description Subscriber ID. Takes precedence over the email fields. txgate requires a positive 32-bit integer.
             * @example 12345
             */
            Id?: number;
            /**
             * Format: email
             * @description Subscriber's email address.
             * @example patrick@example.com
             */
            Email?: string;
            /**
             * @description MD5 hash of the subscriber's email, as 32 lower-case hex digits. The page does not say how the
             *     address is normalised before hashing; when txgate computes it from an `Email` it hashes the address
             *     lower-cased, as UTF-8.
             */
            EmailMd5?: string;
            /**
             * @description SHA-256 hash of the subscriber's email, as 64 lower-case hex digits. The page does not say how the
             *     address is normalised before hashing; when txgate computes it from an `Email` it hashes the address
             *     lower-cased, as UTF-8.
             */
            EmailSha256?: string;
            /** @description Subscriber's first name. */
            Firstname?: components["schemas"]["XmlText"];
            /** @description Subscriber's last name. */
            Lastname?: components["schemas"]["XmlText"];
            /**
             * @description Full name, for when separate first and last names are not available; it is split against the
             *     template "Firstname Lastname".
             */
            Name?: components["schemas"]["XmlText"];
            /** @description Identifier of the subscriber's source (e.g. a particular web form). */
            TrackingCode?: components["schemas"]["XmlText"];
            /** @description Identifier/name of the traffic vendor the subscriber came from. */
            Vendor?: components["schemas"]["XmlText"];
            /** @description IP address of the subscriber (IPv4 or IPv6). */
            Ip?: string & (unknown | unknown);
            /**
             * @description Wrapped array `<Properties><Property>...</Property>...</Properties>` of custom subscriber properties.
             *     (The page's table gives the type "string", but its note says it is a collection of `Property`
             *     elements as in "Add subscriber"; it is modelled as that collection.)
             */
            Properties?: components["schemas"]["Property"][];
            /**
             * @description Address(es) that receive a hidden copy of each message: one address or several separated with `;`;
             *     personalization tags are allowed, dynamic content is not. Each address doubles the volume of the
             *     message. No CR or LF (the value ends up in a mail header).
             * @example archive@example.com;audit@example.com
             */
            Bcc?: components["schemas"]["XmlText"];
        } & (unknown | unknown | unknown | unknown);
        /** @description One `<Snippet>`; its value is inserted where `*[tr_<Name>]*` tags are used. */
        Snippet: {
            /**
             * @description Snippet name: the `Name` in the `*[tr_Name]*` tag. The docs give no character set; txgate allows only
             *     ASCII letters, digits and underscore, 1-100 of them (the vendor's examples are `helloMessage` and
             *     `pointsNumber`), so the name can never contain `]`, `*`, `[`, whitespace or markup that would break
             *     or change the tag.
             * @example helloMessage
             */
            Name: string;
            /**
             * @description Snippet value (may be empty). May contain HTML and personalization tags such as
             *     `*[subscriber_firstname]*`; dynamic content does not work inside snippets. HTML must reach the vendor as
             *     text: either XML-escaped (`&lt;b&gt;`) or inside a CDATA section, as in the vendor's example; a CDATA
             *     section cannot contain `]]>`, so a serializer that uses CDATA must split there.
             * @example 2076
             */
            Value: components["schemas"]["XmlText"];
        };
        /** @description One `<Attachment>` sent with the message. */
        Attachment: {
            /**
             * @description Attachment file name, e.g. `infosheet.pdf`. Unique within the request (see `Attachments`). It ends up in
             *     a MIME header, so it is without control characters (C0, DEL, C1), `"`, `\`, `/`, unpaired surrogates, U+FFFE or U+FFFF, which would be changed or misread on the way (txgate's rule `attachment_name`, the same in every vendor; matched with the Unicode flag).
             * @example infosheet.pdf
             */
            FileName: components["schemas"]["XmlText"];
            /**
             * @description MIME type (`type/subtype`, RFC 6838 characters), e.g. `application/pdf`. Optional; the vendor uses
             *     `application/octet-stream` when it is omitted. Advisable to always give the right type.
             * @default application/octet-stream
             * @example application/pdf
             */
            MimeType?: string;
            /**
             * @description File content, standard padded Base64. The vendor's example wraps it in lines; txgate sends it as one
             *     line with no whitespace, which is what this pattern accepts.
             */
            Content: string;
        };
        /**
         * @description One custom subscriber property: `<Property><Id>2</Id><Value xsi:type="xs:string">gold</Value></Property>`.
         *     The page refers to "Add subscriber" for these children; the shape and the `xsi:type` values are those
         *     sent by public ExpertSender API clients. The property `Id` must exist in the account and the type must
         *     match the property's type (x-txgate-rule: property-type-matches-account; not checkable offline).
         */
        Property: {
            /**
             * Format: int32
             * @description ID of the custom subscriber property.
             */
            Id: number;
            Value: components["schemas"]["PropertyValue"];
        };
        /**
         * @description `<Value xsi:type="xs:TYPE">text</Value>`: the attribute is `@_xsi:type`, the text content `#text`.
         *     The text must be in the XML Schema lexical form of the type (checked below, except ranges).
         */
        PropertyValue: {
            /**
             * @description The `xsi:type` attribute naming the XML Schema type of the value.
             * @enum {string}
             */
            "@_xsi:type": "xs:string" | "xs:int" | "xs:boolean" | "xs:decimal" | "xs:double" | "xs:date" | "xs:dateTime";
            /** @description Text content of `<Value>` (fast-xml-parser `textNodeName`). */
            "#text": components["schemas"]["XmlText"];
        } & ({
            /** @constant */
            "@_xsi:type": "xs:string";
            "#text": string;
        } | {
            /** @constant */
            "@_xsi:type": "xs:int";
            "#text": string;
        } | {
            /** @constant */
            "@_xsi:type": "xs:boolean";
            /** @enum {string} */
            "#text": "true" | "false" | "1" | "0";
        } | {
            /** @constant */
            "@_xsi:type": "xs:decimal";
            "#text": string;
        } | {
            /** @constant */
            "@_xsi:type": "xs:double";
            "#text": string;
        } | {
            /** @constant */
            "@_xsi:type": "xs:date";
            "#text": string;
        } | {
            /** @constant */
            "@_xsi:type": "xs:dateTime";
            "#text": string;
        });
        /**
         * @description 201 body when `ReturnGuid` is true: `<ApiResponse><Data>GUID</Data></ApiResponse>`, as parsed by
         *     fast-xml-parser (the root's namespace declarations appear as `@_xmlns:xsd` / `@_xmlns:xsi`).
         */
        GuidResponse: {
            /** @description Namespace declaration `xmlns:xsd` on `<ApiResponse>`. */
            "@_xmlns:xsd"?: string;
            /** @description Namespace declaration `xmlns:xsi` on `<ApiResponse>`. */
            "@_xmlns:xsi"?: string;
            /**
             * Format: uuid
             * @description GUID of the sent transactional message.
             * @example c3a4bda9-07be-4d48-af20-df51293ec78f
             */
            Data: string;
        };
        /** @description 200 body of `GET /v2/Api/Time`, as parsed by fast-xml-parser. Only its status is used. */
        TimeResponse: {
            /** @description The server's time, ISO 8601. */
            Data: string;
        };
        /** @description Error body: `<ApiResponse><ErrorMessage>...</ErrorMessage></ApiResponse>`, as parsed by fast-xml-parser. */
        ErrorResponse: {
            /** @description Namespace declaration `xmlns:xsd` on `<ApiResponse>`. */
            "@_xmlns:xsd"?: string;
            /** @description Namespace declaration `xmlns:xsi` on `<ApiResponse>`. */
            "@_xmlns:xsi"?: string;
            ErrorMessage: components["schemas"]["ErrorMessage"];
        };
        /**
         * @description `<ErrorMessage>` with `<Code>` (mirrors the HTTP status) and either one `<Message>` or a `<Messages>` list
         *     of `<Message for="field">text</Message>`.
         */
        ErrorMessage: {
            /**
             * @description Mirrors the HTTP status code (a number after fast-xml-parser's default `parseTagValue`).
             * @example 400
             */
            Code: number;
            Message?: components["schemas"]["ErrorMessageText"];
            /**
             * @description `<Messages>` holding one or more `<Message for="...">` elements. The repeated `<Message>` children are
             *     the unwrapped array `Message`; fast-xml-parser returns a single `<Message>` as one value, not an
             *     array (unless configured with `isArray`), so both are accepted.
             */
            Messages?: {
                Message: components["schemas"]["ErrorMessageText"] | components["schemas"]["ErrorMessageText"][];
            };
        } & (unknown | unknown);
        /**
         * @description One `<Message>`. Without attributes fast-xml-parser returns its text (a string, or a number if the text
         *     looks like one); with the attribute `for` (naming the field the message is about) it returns
         *     `{"@_for": "...", "#text": "..."}`.
         */
        ErrorMessageText: string | number | {
            /** @description The `for` attribute of `<Message>`. */
            "@_for"?: string;
            /** @description Text content of `<Message>` (fast-xml-parser `textNodeName`). */
            "#text"?: string | number;
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
    sendSystemTransactional: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description ID of the system transactional message, as part of the path (not a query parameter),
                 *     e.g. `/v2/Api/SystemTransactionals/123`. txgate requires a positive 32-bit integer (the page only says
                 *     "integer").
                 * @example 123
                 */
                id: components["schemas"]["TransactionalId"];
            };
            cookie?: never;
        };
        /** @description The `<ApiRequest>` document (UTF-8), carrying the API key and the send data. */
        requestBody: {
            content: {
                "text/xml": components["schemas"]["SystemTransactionalRequest"];
                "application/xml": components["schemas"]["SystemTransactionalRequest"];
            };
        };
        responses: {
            /**
             * @description Created: the message was sent. By default the body is EMPTY (`Content-Length: 0`, no Content-Type).
             *     Only when `Data.ReturnGuid` is `true` the body is `<ApiResponse><Data>GUID</Data></ApiResponse>`
             *     (`Content-Type: text/xml; charset=utf-8`), described by `GuidResponse`. The body may start with a
             *     UTF-8 byte-order mark.
             */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["GuidResponse"];
                };
            };
            /**
             * @description Invalid data (bad XML, unknown or missing subscriber, inactive or deleted message, ...). The body is
             *     an `ApiResponse` with an `ErrorMessage` whose `Code` is 400 and either one `Message` or a `Messages`
             *     list whose `Message` elements name the offending field in the attribute `for`. Not retryable.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Invalid API key (`ErrorMessage.Code` 403). Not retryable; check the `ApiKey`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
            /**
             * @description Not found (e.g. unknown transactional message id or wrong path; `ErrorMessage.Code` 404). The body is
             *     not documented beyond the status code: expect `ErrorResponse`, but tolerate an empty or non-XML body.
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
            /**
             * @description Server error (`ErrorMessage.Code` 500). It does not say whether the message was sent, so txgate does
             *     not retry it automatically (x-txgate-rule: never-retry-500). The body is not documented beyond the
             *     status code: expect `ErrorResponse`, but tolerate an empty or non-XML body.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getServerTime: {
        parameters: {
            query: {
                /** @description The account's API key (the same as a send's `<ApiKey>`). */
                apiKey: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key was accepted; the body is `<ApiResponse><Data>server time</Data></ApiResponse>`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "Data": "2013-04-24T10:47:37.1934698Z"
                     *     }
                     */
                    "text/xml": components["schemas"]["TimeResponse"];
                };
            };
            /** @description Invalid API key (`ErrorMessage.Code` 403). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Server error. The body is not documented beyond the status code. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/xml": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
