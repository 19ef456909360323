/**
 * The Act-On sandbox: `POST /token` (password and single-use refresh grants) and
 * `POST /ete/v1/email/{accountId}/{templateId}` as Act-On documents them: the gateway's 401 for a bad token,
 * the ETE service's 400 "Validation Failed for emailDetails object" for a body that breaks specs/acton.yaml, and
 * `{success, message, suppressedRecipients}` for a sent email. Every template exists; nobody is suppressed.
 */
import type { VendorName } from "../../src/core/public.ts";
import type { Outbox } from "./outbox.ts";
import { jsonAnswer, type SandboxVendor } from "./http.ts";
import { specViolations } from "./spec-check.ts";

/** The account and credentials the sandbox accepts; the worker's own sandbox client uses them. Not secrets. */
export const ACTON_SANDBOX = {
  accountId: "sandbox",
  credentials: { username: "sandbox@example.com", password: "sandbox-acton-password", clientId: "sandbox-client", clientSecret: "sandbox-acton-client-secret" },
};

const vendor: VendorName = "acton";
const TOKEN_SECONDS = 3600;
const gateway = (status: number, httpMessage: string) => jsonAnswer(status, { httpCode: String(status), httpMessage, moreInformation: "" });

/**
 * @example
 * const acton = actonSandbox(outbox);
 */
export function actonSandbox(outbox: Outbox): SandboxVendor {
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();

  const issue = () => {
    const access = `sandbox-at-${crypto.randomUUID()}`;
    const refresh = `sandbox-rt-${crypto.randomUUID()}`;
    accessTokens.set(access, Date.now() + TOKEN_SECONDS * 1000);
    refreshTokens.add(refresh);
    return jsonAnswer(200, { access_token: access, refresh_token: refresh, scope: "PRODUCTION", token_type: "Bearer", expires_in: TOKEN_SECONDS });
  };

  const token = async (request: Request) => {
    // Read as bytes: workerd warns when a form body is read with text().
    const form = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())));
    const { credentials } = ACTON_SANDBOX;
    if (form.client_id !== credentials.clientId || form.client_secret !== credentials.clientSecret) {
      return jsonAnswer(401, { error: "access_denied", error_description: "Unauthorized" });
    }
    if (form.grant_type === "password") {
      if (form.username !== credentials.username || form.password !== credentials.password) {
        return jsonAnswer(403, { error: "invalid_grant", error_description: "Wrong email or password." });
      }
      return issue();
    }
    if (form.grant_type === "refresh_token") {
      if (!refreshTokens.delete(form.refresh_token ?? "")) {
        return jsonAnswer(403, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." });
      }
      return issue();
    }
    return jsonAnswer(400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" });
  };

  const ete = async (request: Request, accountId: string, templateId: string) => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    if ((accessTokens.get(bearer) ?? 0) <= Date.now()) return gateway(401, "Unauthorized");
    let body: Record<string, any>;
    try {
      body = await request.json();
    } catch {
      return jsonAnswer(400, { message: "Validation Failed for emailDetails object" });
    }
    const violations = specViolations(vendor, "EteEmailRequest", body);
    const refusal = violations.length
      ? "Validation Failed for emailDetails object"
      : accountId !== ACTON_SANDBOX.accountId
        ? "Invalid ID in request. accountId or templateId is invalid"
        : undefined;
    const status = refusal ? 400 : 200;
    outbox.record({
      vendor,
      status,
      accepted: !refusal,
      ...(refusal ? { refusal } : {}),
      template: templateId,
      from: body?.envelope?.fromDisplayName ? `${body.envelope.fromDisplayName} <${body.envelope.fromAddress}>` : body?.envelope?.fromAddress,
      to: typeof body?.envelope?.toAddress === "string" ? [body.envelope.toAddress] : [],
      cc: body?.envelope?.ccAddressList ?? [],
      subject: body?.content?.subjectLine,
      data: { ...body?.content?.personalizationDataMap, "metadata.transactional": body?.metadata?.transactional },
      specViolations: violations,
    });
    if (refusal) return jsonAnswer(400, { message: refusal });
    return jsonAnswer(200, { success: true, message: "Email Sent Successfully", suppressedRecipients: [] });
  };

  return async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/token") return token(request);
    const match = /^\/ete\/v1\/email\/([^/]+)\/([^/]+)$/.exec(path);
    if (request.method === "POST" && match) return ete(request, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    return gateway(404, "Not Found");
  };
}
