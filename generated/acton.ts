// Generated from specs/acton.yaml by `npm run gen` (openapi-typescript). Do not edit by hand.

export interface paths {
    "/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get or refresh an OAuth access token
         * @description Issues an access token (and a new refresh token) from either a password grant or a refresh grant.
         *     The body is `application/x-www-form-urlencoded`. This endpoint takes no bearer token.
         *     Password grants are limited to 5 per hour: cache the tokens and use the refresh grant instead of
         *     logging in again. Each refresh token works once; a refresh returns a new access token AND a new
         *     refresh token, and both must be stored.
         *
         *     **The credential check.** Act-On documents no read for ETE credentials (no ETE GET at all), and an ETE
         *     send is an email, so txgate's `checkCredentials` uses this endpoint and nothing else: a stored access token
         *     that has not expired is Act-On's own word that it accepted the credentials (no request is made); without
         *     one, a refresh grant, or a password grant only while the hour's grants leave two for sends (txgate's
         *     rule, not Act-On's). What either issues is stored and used by the next send, so the check spends nothing a
         *     send would not have spent. 200 is accepted; 401 and 403 are refused.
         */
        post: operations["acquireToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ete/v1/email/{accountId}/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one Event-Triggered Email from a template
         * @description Sends one email, built from the ETE-enabled template `templateId` of account `accountId`, to one
         *     recipient (plus up to 5 CC addresses). The body is the bare EmailDetails object
         *     `{envelope, content, metadata, actions}` (no wrapper), `Content-Type: application/json`.
         *     Rate limit: 20 transactions per second per account (x-txgate-rule: ete-20-tps); throttle, and on
         *     429 or 503 slow down and retry. Never retry a 500 (it is not retryable, and the email may be
         *     considered processed).
         */
        post: operations["sendEventTriggeredEmail"];
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
         * EteEmailRequest
         * @description The EmailDetails object, sent bare (no wrapper): `envelope`, `content`, `metadata`, `actions`.
         *     The documentation enumerates every field of every section, so all four objects are closed
         *     (`additionalProperties: false`): a misplaced field (for example `subjectLine` under `envelope`)
         *     would otherwise be silently ignored by Act-On and the template default sent instead.
         *     `content` is optional because all its fields are optional, but see
         *     `content.personalizationDataMap` (required when the template has personalization fields).
         */
        EteEmailRequest: {
            envelope: components["schemas"]["EteEnvelope"];
            content?: components["schemas"]["EteContent"];
            metadata: components["schemas"]["EteMetadata"];
            actions: components["schemas"]["EteActions"];
        };
        /**
         * EteEnvelope
         * @description Addressing of the message. Every field here becomes (part of) a mail header, so none may
         *     contain CR or LF.
         */
        EteEnvelope: {
            /**
             * Format: email
             * @description Required. The ONE email address the message is sent to: a single address string, not a list
             *     and not a comma-separated string. No CR/LF.
             */
            toAddress: string;
            /** @description Optional. Addresses to carbon-copy; at most five. */
            ccAddressList?: string[];
            /**
             * Format: email
             * @description Optional. Sender address; defaults to the address selected in the template composer, else the
             *     address of the user who saved the template. The account must have permission to use the
             *     address (x-txgate-rule: acton-sender-permitted; not checkable in JSON Schema: Act-On answers
             *     400 "Sender Not Allowed"). No CR/LF.
             */
            fromAddress?: string;
            /**
             * @description Optional. Display name of the sender; defaults to the name associated with fromAddress.
             *     No CR/LF. No length limit is documented.
             */
            fromDisplayName?: string;
            /**
             * Format: email
             * @description Optional. Reply-to address; defaults to fromAddress. No CR/LF.
             */
            replyToAddress?: string;
        };
        /**
         * EteContent
         * @description Fields used to turn the template into the message. All optional.
         */
        EteContent: {
            /** @description Optional. Subject line; defaults to the template's subject. At most 90 characters. No CR/LF. */
            subjectLine?: string;
            /**
             * @description Optional. Preview text shown next to the subject in the inbox; defaults to the template's.
             *     At most 240 characters. No CR/LF.
             */
            previewText?: string;
            /**
             * @description Key/value map of personalization data: keys are the template's personalization field names,
             *     values are strings (only strings) that replace them. Personalizations have no access to list
             *     or account data. Required, and must contain EVERY personalization field of the template,
             *     when the template has personalization fields (x-txgate-rule: acton-personalization-complete;
             *     depends on the template, so not expressible here: Act-On answers 400 "Personalization
             *     Failure Exception").
             */
            personalizationDataMap?: {
                [key: string]: string;
            };
        };
        /**
         * EteMetadata
         * @description Metadata about the message; stored by Act-On, not sent with the message.
         */
        EteMetadata: {
            /**
             * @description REQUIRED in this spec (the guide says Required; the endpoint reference says Optional): txgate
             *     makes the caller state it explicitly and never defaults it. `true` declares that the message
             *     conforms to the legal definition of transactional email; such a message is delivered even to
             *     contacts who opted out of marketing mail or marked past mail as spam, so it has legal weight
             *     and must only be set for genuinely transactional messages
             *     (x-txgate-rule: acton-transactional-is-legal-claim). Sending `true` needs a purchased
             *     transactional subscription (otherwise 500 EmailServiceException). `false` sends as
             *     commercial mail, which respects opt-outs.
             */
            transactional: boolean;
            /**
             * @description Identifier from the caller's system (e.g. order or confirmation number), stored with the sent
             *     message record. At most 128 characters. Required here (the guide says Required, the endpoint
             *     reference says Optional: the stricter reading is accepted by both); must be non-empty.
             */
            externalId: string;
            /**
             * @description Optional. Tags for grouping the template's reports; only one tag per message, at most 48
             *     characters.
             */
            tagList?: string[];
        };
        /**
         * EteActions
         * @description How the ETE service processes the send. The endpoint reference marks trackOpens and trackClicks
         *     Required; the guide says Optional, default true. This spec requires both (the stricter reading is
         *     accepted under both pages, and the tracking choice is then always explicit).
         */
        EteActions: {
            /** @description Whether to try to track message opens (Act-On's default, per the guide, is true). */
            trackOpens: boolean;
            /**
             * @description Whether links are replaced by click-tracking links (which record the click and set a tracking
             *     cookie before redirecting). Act-On's default, per the guide, is true.
             */
            trackClicks: boolean;
            /**
             * @description Documented by the guide as "currently ignored" (appears in the reference's curl example as
             *     "TRUE"). Allowed so that such bodies validate; txgate need not send it.
             * @enum {string}
             */
            deliveryWhenDelayed?: "TRUE" | "FALSE" | "FIVE_MINUTES";
        };
        /**
         * EteSuccess
         * @description 200 body. The endpoint reference names the message "Successfully Accepted"; Act-On's API export
         *     shows "Email Sent Successfully". Do not match on the message text. A non-empty
         *     suppressedRecipients lists addresses that were not sent to (for instance a suppressed CC address);
         *     txgate reports such an answer as a rejection of those addresses with `delivery: "partial"` (or
         *     `"not_sent"` when the list covers every recipient), never as a plain success.
         */
        EteSuccess: {
            /** @example true */
            success?: boolean;
            message: string;
            suppressedRecipients?: string[];
        };
        /**
         * EteError
         * @description Error body of the ETE service: `{errorName, message}`. `errorName` is present in the bodies seen
         *     in Act-On's API export (e.g. "Invalid ID in request:", "EmailServiceException") but the endpoint
         *     reference documents only the message, so it is optional. Used for 400, 401 (service form), 500
         *     and 503.
         */
        EteError: {
            errorName?: string;
            message: string;
        };
        /**
         * EteSuppressed
         * @description 400 body when the recipient is suppressed: nothing was sent to the listed addresses. Not
         *     retryable for those recipients.
         */
        EteSuppressed: {
            /** @constant */
            success: false;
            message: string;
            suppressedRecipients: string[];
        };
        /**
         * GatewayError
         * @description Body of Act-On's API gateway (in front of the ETE service) for bad tokens and unknown paths.
         *     `httpCode` is the status as a string.
         */
        GatewayError: {
            /** @example 401 */
            httpCode: string;
            /** @example Unauthorized */
            httpMessage: string;
            moreInformation?: string;
        };
        /**
         * UndocumentedBody
         * @description Any body (or none); Act-On does not document it. Used for 429.
         */
        UndocumentedBody: unknown;
        /**
         * TokenRequest
         * @description Form body of POST /token, one of the two grants (told apart by grant_type).
         */
        TokenRequest: components["schemas"]["PasswordGrantRequest"] | components["schemas"]["RefreshGrantRequest"];
        /**
         * PasswordGrantRequest
         * @description Password grant. Limited to 5 per hour (x-txgate-rule: acton-password-grant-5-per-hour): cache
         *     tokens and refresh instead of logging in again.
         */
        PasswordGrantRequest: {
            /** @constant */
            grant_type: "password";
            username: string;
            password: string;
            client_id: string;
            client_secret: string;
        };
        /**
         * RefreshGrantRequest
         * @description Refresh grant. Each refresh token works once; the response carries a new access token and a new
         *     refresh token, and both must replace the stored ones (x-txgate-rule: acton-refresh-token-single-use).
         */
        RefreshGrantRequest: {
            /** @constant */
            grant_type: "refresh_token";
            refresh_token: string;
            client_id: string;
            client_secret: string;
        };
        /**
         * TokenResponse
         * @description Successful token response (both grants).
         */
        TokenResponse: {
            access_token: string;
            /** @description Single-use; store it in place of the previous one. */
            refresh_token: string;
            scope?: string;
            /** @constant */
            token_type: "Bearer";
            /** @description Lifetime of the access token in seconds (3600 in Act-On's example). */
            expires_in: number;
        };
        /**
         * TokenError
         * @description Error body of POST /token: 401 `access_denied` / "Unauthorized"; 403 `invalid_grant` with
         *     "Wrong email or password." or "Unknown or invalid refresh token.".
         */
        TokenError: {
            error: string;
            error_description?: string;
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
    acquireToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Token issued. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "access_token": "12345678-9abc-defg-hijk-lmnopqrs",
                     *       "refresh_token": "87654321-cba9-fedc-kjih-srqponml",
                     *       "scope": "PRODUCTION",
                     *       "token_type": "Bearer",
                     *       "expires_in": 3600
                     *     }
                     */
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Client credentials rejected. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "access_denied",
                     *       "error_description": "Unauthorized"
                     *     }
                     */
                    "application/json": components["schemas"]["TokenError"];
                };
            };
            /**
             * @description Grant rejected: wrong username/password (password grant) or an unknown, expired or already
             *     used refresh token (refresh grant; fall back to one password grant, respecting the 5/hour limit).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenError"];
                };
            };
        };
    };
    sendEventTriggeredEmail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Your Act-On Account ID. Not `.` or `..`, which URL parsing would remove from the path, and no unpaired
                 *     surrogate, which no URL can carry.
                 * @example 1234567
                 */
                accountId: string;
                /**
                 * @description ID of an email template saved with "Make this Template available in API calls" (shown on the
                 *     template's General tab). Not `.` or `..`, which URL parsing would remove from the path, and no
                 *     unpaired surrogate, which no URL can carry.
                 * @example t-0099
                 */
                templateId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "envelope": {
                 *         "toAddress": "jane.doe@example.com",
                 *         "ccAddressList": [
                 *           "orders@example.com"
                 *         ],
                 *         "fromAddress": "john@example.com",
                 *         "fromDisplayName": "John from Act-On",
                 *         "replyToAddress": "support@example.com"
                 *       },
                 *       "content": {
                 *         "subjectLine": "Your order has shipped.",
                 *         "personalizationDataMap": {
                 *           "orderNumber": "3423423-234234",
                 *           "trackingLink": "https://www.example.com/tracking/12313123123213",
                 *           "name": "Jane Doe"
                 *         },
                 *         "previewText": "Great news! Your order is on the way."
                 *       },
                 *       "metadata": {
                 *         "transactional": true,
                 *         "externalId": "245-lfkg-23423-lkj",
                 *         "tagList": [
                 *           "shipping_notifications"
                 *         ]
                 *       },
                 *       "actions": {
                 *         "trackOpens": true,
                 *         "trackClicks": true
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["EteEmailRequest"];
            };
        };
        responses: {
            /** @description Accepted for sending. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EteSuccess"];
                };
            };
            /**
             * @description Request rejected; not retryable as is. Two body shapes: an error `{errorName, message}`
             *     (EteError), or the suppression form `{success:false, message, suppressedRecipients}`
             *     (EteSuppressed) when the recipient is suppressed (opted out, bounced, spam complaint).
             *     Tell them apart by the presence of the `suppressedRecipients` array. `anyOf` is used because
             *     EteError is an open object that a suppression body would also satisfy.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EteSuppressed"] | components["schemas"]["EteError"];
                };
            };
            /**
             * @description Not authorized. Either Act-On's ETE service answers `{errorName?, message}` (EteError) with
             *     "Unauthorized Request" (get a new access token with the refresh grant, then retry once) or
             *     "Account Temporarily Suspended" (do not retry; a new token will not help), or the API gateway
             *     in front answers a bad/expired token or an unknown path with GatewayError
             *     `{httpCode, httpMessage, moreInformation}`.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EteError"] | components["schemas"]["GatewayError"];
                };
            };
            /**
             * @description Too many requests (the ETE cap is 20 transactions per second). Act-On documents neither the body
             *     nor a `Retry-After` header, so the body may be anything (or empty). Slow down and retry with
             *     backoff.
             */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": components["schemas"]["UndocumentedBody"];
                };
            };
            /**
             * @description Email service error, e.g. `EmailServiceException` "A transactional subscription is required"
             *     when `metadata.transactional` is true on an account without transactional sending.
             *     NOT retryable: never retry a 500.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EteError"];
                };
            };
            /**
             * @description Transient I/O failure in the ETE service ("IO Exception was encountered"). Retryable: slow down
             *     and retry with backoff. Body shape taken to be EteError `{errorName?, message}` like the other
             *     ETE service errors (only the message is documented).
             */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "IO Exception was encountered"
                     *     }
                     */
                    "application/json": components["schemas"]["EteError"];
                };
            };
        };
    };
}
