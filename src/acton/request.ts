/**
 * Our message to Act-On's wire format. The ETE body is the message minus `templateId`, which goes in the path.
 * Token requests are form-encoded; middleware sees them with every secret `[redacted]`, and the secrets are put
 * in only when the request leaves, after every middleware ran.
 */
import { bodyText, type Authorize } from "../core/http-client.ts";
import { REDACTED } from "../core/redact.ts";
import type { PostRequest } from "../core/transport.ts";
import type { components, paths } from "../../generated/acton.ts";
import type { ActOnCredentials } from "./options.ts";
import type { ActOnMessage } from "./schema.ts";

export type EteEmailRequest = components["schemas"]["EteEmailRequest"];
export type TokenRequest = components["schemas"]["TokenRequest"];

/** The `POST /ete/v1/email/{accountId}/{templateId}` request: the template ID in the path, the bare EmailDetails body. */
export function toEteRequest(accountId: string, { templateId, ...body }: ActOnMessage): PostRequest<paths> {
  const recipients = [body.envelope.toAddress, ...(body.envelope.ccAddressList ?? [])];
  return { path: "/ete/v1/email/{accountId}/{templateId}", params: { path: { accountId, templateId } }, body: body satisfies EteEmailRequest, recipients };
}

/** A login with the user's password, or the next token pair for a (single-use) refresh token. */
export type Grant = { readonly grant_type: "password" } | { readonly grant_type: "refresh_token"; readonly refresh_token: string };

const SECRET_FIELDS = ["password", "refresh_token", "client_secret"] as const;

/** The `POST /token` form for `grant`, secrets included. */
export function tokenForm(grant: Grant, credentials: ActOnCredentials): TokenRequest {
  const client = { client_id: credentials.clientId, client_secret: credentials.clientSecret };
  return grant.grant_type === "password"
    ? { grant_type: "password", username: credentials.username, password: credentials.password, ...client }
    : { grant_type: "refresh_token", refresh_token: grant.refresh_token, ...client };
}

/** The form as openapi-fetch and middleware get it: every secret `[redacted]`. */
export function maskedTokenForm(form: TokenRequest): TokenRequest {
  const masked: Record<string, string> = { ...form };
  for (const name of SECRET_FIELDS) if (name in masked) masked[name] = REDACTED;
  return masked as TokenRequest;
}

/** openapi-fetch body serializer for `application/x-www-form-urlencoded`. */
export const formBody = (form: TokenRequest): string => new URLSearchParams(form as Record<string, string>).toString();

/** Puts `form`'s secrets into the outgoing token request, keeping any other change middleware made. */
export const withSecrets =
  (form: TokenRequest): Authorize =>
  async (request) => {
    const body = new URLSearchParams(await bodyText(request));
    for (const name of SECRET_FIELDS) if (body.has(name)) body.set(name, (form as Record<string, string>)[name]!);
    request.body = body.toString();
  };
