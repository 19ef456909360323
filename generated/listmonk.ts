// Generated from specs/listmonk.yaml by `npm run gen` (openapi-typescript). Do not edit by hand.

export interface paths {
    "/api/tx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a transactional message
         * @description Sends a preconfigured transactional template to one or more recipients. JSON, or multipart/form-data with
         *     exactly one `data` field holding the JSON and any number of `file` parts as attachments.
         *     In `default` mode recipients that exist are queued and the missing ones are reported in a 400 whose message
         *     joins `Subscriber (0: a@example.com) not found` items with `; ` (a partial success).
         */
        post: operations["sendTransactional"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling user's own profile (txgate's credential check)
         * @description The profile of the user the credentials belong to (listmonk v4.0.0 and later, `cmd/handlers.go`:
         *     `g.GET("/api/profile", a.GetUserProfile)`, behind authentication and no permission). It needs the same
         *     credentials `POST /api/tx` needs and changes nothing, so txgate's `checkCredentials` reads it to learn
         *     whether listmonk accepts them without sending a message: 200 is accepted, 403 `invalid API credentials`
         *     refused. It does not tell whether the user's role holds `tx:send`; a send refused for that says
         *     `permission denied: tx:send`. The profile itself (name, email, role) is not read and never shown.
         */
        get: operations["getProfile"];
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
        /** @description The calling user's profile under `data`. Only the status of this answer is used. */
        Profile: {
            data: Record<string, never>;
        };
        /**
         * Format: email
         * @description A bare address; listmonk rejects display names (`Name <a@example.com>`) with `Invalid email.`
         */
        Email: string;
        SubscriberId: number;
        /** @description No CR or LF, so a value cannot start a new mail header. */
        HeaderText: string;
        TxMessage: {
            /**
             * @description `default`: recipients must be subscribers; send `subscriber_emails` or `subscriber_ids`, not both.
             *     `fallback`: `subscriber_emails` only; unknown addresses are still sent to.
             *     `external`: `subscriber_emails` only; no subscriber lookup.
             * @default default
             * @enum {string}
             */
            subscriber_mode?: "default" | "fallback" | "external";
            subscriber_emails?: components["schemas"]["Email"][];
            subscriber_ids?: components["schemas"]["SubscriberId"][];
            /**
             * @deprecated
             * @description Deprecated single form of `subscriber_emails`; not together with `subscriber_emails`.
             */
            subscriber_email?: components["schemas"]["Email"];
            /**
             * @deprecated
             * @description Deprecated single form of `subscriber_ids`; not together with `subscriber_ids`.
             */
            subscriber_id?: components["schemas"]["SubscriberId"];
            template_id: number;
            /** @description Sender, bare or `Name <address>`; the instance's default when omitted. */
            from_email?: string;
            /** @description Overrides the template's subject. */
            subject?: string;
            /** @description Plain-text alternative body (listmonk v6.1+). */
            altbody?: string;
            /**
             * @description Available in the template as `{{ .Tx.Data.* }}`. Plain JSON only, checked by txgate before sending
             *     (x-txgate-rule: json_value): objects, arrays without holes, strings, finite numbers, booleans, null; at
             *     most 64 levels deep and 1,000,000 values; no key `__proto__` at any depth (rule `reserved_key`).
             */
            data?: {
                [key: string]: unknown;
            };
            /** @description Extra mail headers, each an object of header name to value. */
            headers?: {
                [key: string]: components["schemas"]["HeaderText"];
            }[];
            /** @description Messenger to send with; `email` when omitted. */
            messenger?: string;
            /** @enum {string} */
            content_type?: "html" | "markdown" | "plain";
        } & (unknown & unknown & unknown);
        /** @description Recipients given as addresses (either field). */
        HasRecipientEmails: unknown | unknown;
        /** @description Recipients given as subscriber ids (either field). */
        HasRecipientIds: unknown | unknown;
        TxMultipart: {
            data: components["schemas"]["TxMessage"];
            /**
             * @description One part per attachment. Each part's file name is without control characters (C0, DEL, C1), `"`, `\`, `/`, unpaired surrogates, U+FFFE or U+FFFF, which would be changed or misread on the way (txgate's rule `attachment_name`, the same in every vendor; matched with the Unicode flag): `FormData` percent-escapes CR, LF and `"`, and
             *     listmonk keeps only what follows the last `/`.
             */
            file?: string[];
        };
        TxQueued: {
            /** @constant */
            data: true;
        };
        ErrorMessage: {
            message: string;
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
    sendTransactional: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "subscriber_email": "user@example.com",
                 *       "template_id": 2,
                 *       "data": {
                 *         "order_id": "1234",
                 *         "date": "2022-07-30",
                 *         "items": [
                 *           1,
                 *           2,
                 *           3
                 *         ]
                 *       },
                 *       "content_type": "html"
                 *     }
                 */
                "application/json": components["schemas"]["TxMessage"];
                "multipart/form-data": components["schemas"]["TxMultipart"];
            };
        };
        responses: {
            /** @description The message was queued for every recipient. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": true
                     *     }
                     */
                    "application/json": components["schemas"]["TxQueued"];
                };
            };
            /**
             * @description Invalid fields (`Invalid fields: send subscriber_emails OR subscriber_ids`, `Invalid email.`,
             *     `template 9 not found`, `Unknown messenger sms.`), or recipients not found (a partial success: the others
             *     were queued).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "Subscriber (0: a@example.com) not found"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description Every authentication or permission failure; listmonk never answers 401. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "invalid API credentials"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description No such route (wrong base URL or listmonk older than the tx API). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description Method not allowed. */
            405: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description The body was neither JSON nor multipart. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description listmonk failed to queue a message; earlier recipients of the same request may have been queued. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
        };
    };
    getProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credentials were accepted; the body is the user's profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "username": "api_user",
                     *         "type": "api",
                     *         "status": "enabled"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description Every authentication failure; listmonk never answers 401. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "message": "invalid API credentials"
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
            /** @description No such route (wrong base URL, or listmonk older than v4.0.0, which has no profile route). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorMessage"];
                };
            };
        };
    };
}
