/**
 * An Act-On double: `POST /token` (password and refresh grants, single-use refresh tokens, expiring access
 * tokens) and `POST /ete/v1/email/{accountId}/{templateId}` as Act-On documents them: the API gateway's
 * bad-token answer, the ETE service's 400 messages, suppression (opted-out contacts still get transactional
 * email), the 500 for transactional email without a subscription, and the 20-per-second cap. Every incoming
 * body is checked against specs/acton.yaml, and every disagreement is recorded in `specViolations`; sends over
 * the cap and password grants over 5 an hour are recorded in `limitViolations`.
 */
import { specErrors } from "../support/spec.js";
import { startHttpDouble, type DoubleAnswer, type HttpDouble, type RecordedRequest } from "../support/http-double.js";

export const ACTON_ACCOUNT = "1234567";
export const ACTON_CREDENTIALS = {
  username: "ops@example.com",
  password: "pa ss+w0rd&Secret=9f2c",
  clientId: "client-id-31c8",
  clientSecret: "client-secret-7d1e90ab",
};

export interface DeliveredEmail {
  readonly accountId: string;
  readonly templateId: string;
  readonly to: string;
  readonly cc: string[];
  readonly transactional: boolean;
  readonly body: Record<string, any>;
}

export interface TokenCall {
  readonly grant: string;
  /** The form as it arrived, secrets included. */
  readonly form: Record<string, string>;
}

export interface ActOnDouble extends HttpDouble {
  readonly delivered: DeliveredEmail[];
  readonly tokenCalls: TokenCall[];
  /** Every access and refresh token the double issued, for the tests that look for leaks. */
  readonly issuedTokens: string[];
  /** When each ETE request arrived (performance.now()). */
  readonly arrivals: number[];
  readonly specViolations: string[];
  readonly limitViolations: string[];
  /** When each password grant arrived (Date.now()); clear it to start a new hour's count. */
  readonly passwordGrants: number[];
  /** Invalidates every access token issued so far (refresh tokens keep working). */
  revokeAccessTokens(): void;
}

export interface ActOnDoubleSetup {
  /** Template ID → the personalization fields it uses. */
  readonly templates?: Record<string, readonly string[]>;
  readonly allowedSenders?: readonly string[];
  /** Addresses that never get email (bounced, suppressed). */
  readonly suppressed?: readonly string[];
  /** Contacts who opted out of marketing mail: they still get transactional email. */
  readonly optedOut?: readonly string[];
  /** Whether the account bought transactional sending. Default true. */
  readonly transactionalSubscription?: boolean;
  readonly suspended?: boolean;
  /** `expires_in` of issued access tokens, in seconds. */
  readonly expiresIn?: number;
  readonly ratePerSecond?: number;
}

const json = (status: number, body: object): DoubleAnswer => ({ status, body });
const gateway = (status: number, httpMessage: string): DoubleAnswer =>
  json(status, { httpCode: String(status), httpMessage, moreInformation: "" });

export async function startActOnDouble(setup: ActOnDoubleSetup = {}): Promise<ActOnDouble> {
  const templates = setup.templates ?? { "t-0099": ["orderNumber", "trackingLink", "name"], "t-plain": [] };
  const senders = new Set(setup.allowedSenders ?? ["john@example.com", "support@example.com"]);
  const suppressed = new Set(setup.suppressed ?? ["bounced@example.com"]);
  const optedOut = new Set(setup.optedOut ?? ["opted-out@example.com"]);
  const rate = setup.ratePerSecond ?? 20;
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const passwordGrants: number[] = [];
  const delivered: DeliveredEmail[] = [];
  const tokenCalls: TokenCall[] = [];
  const issuedTokens: string[] = [];
  const arrivals: number[] = [];
  const specViolations: string[] = [];
  const limitViolations: string[] = [];
  let serial = 0;

  const issue = (): DoubleAnswer => {
    serial++;
    const access = `at-${serial}-${crypto.randomUUID()}`;
    const refresh = `rt-${serial}-${crypto.randomUUID()}`;
    const expiresIn = setup.expiresIn ?? 3600;
    accessTokens.set(access, Date.now() + expiresIn * 1000);
    refreshTokens.add(refresh);
    issuedTokens.push(access, refresh);
    return json(200, { access_token: access, refresh_token: refresh, scope: "PRODUCTION", token_type: "Bearer", expires_in: expiresIn });
  };

  const token = (request: RecordedRequest): DoubleAnswer => {
    if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      specViolations.push(`/token content-type ${request.headers["content-type"]}`);
    }
    const form = Object.fromEntries(new URLSearchParams(request.text));
    tokenCalls.push({ grant: form.grant_type ?? "", form });
    for (const error of specErrors("acton", "TokenRequest", form)) specViolations.push(`/token ${error}`);
    if (form.client_id !== ACTON_CREDENTIALS.clientId || form.client_secret !== ACTON_CREDENTIALS.clientSecret) {
      return json(401, { error: "access_denied", error_description: "Unauthorized" });
    }
    if (form.grant_type === "password") {
      const now = Date.now();
      passwordGrants.push(now);
      if (passwordGrants.filter((at) => at > now - 3_600_000).length > 5) limitViolations.push("more than 5 password grants in an hour");
      if (form.username !== ACTON_CREDENTIALS.username || form.password !== ACTON_CREDENTIALS.password) {
        return json(403, { error: "invalid_grant", error_description: "Wrong email or password." });
      }
      return issue();
    }
    if (form.grant_type === "refresh_token") {
      if (!refreshTokens.delete(form.refresh_token ?? "")) {
        return json(403, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." });
      }
      return issue();
    }
    return json(400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" });
  };

  const ete = (request: RecordedRequest, accountId: string, templateId: string): DoubleAnswer => {
    const now = performance.now();
    arrivals.push(now);
    if (arrivals.filter((at) => at > now - 1000).length > rate) {
      limitViolations.push(`more than ${rate} sends within 1 s at ${now.toFixed(1)} ms`);
      return { status: 429 };
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    if ((accessTokens.get(bearer) ?? 0) <= Date.now()) return gateway(401, "Unauthorized");
    if (setup.suspended) return json(401, { message: "Account Temporarily Suspended" });

    let body: Record<string, any>;
    try {
      body = JSON.parse(request.text);
    } catch {
      return json(400, { message: "Validation Failed for emailDetails object" });
    }
    const errors = specErrors("acton", "EteEmailRequest", body);
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) errors.push(`content-type ${request.headers["content-type"]}`);
    if (errors.length) {
      specViolations.push(...errors.map((error) => `ete ${error}`));
      return json(400, { message: "Validation Failed for emailDetails object" });
    }
    if (accountId !== ACTON_ACCOUNT) return json(400, { message: "Invalid ID in request. accountId or templateId is invalid" });
    const fields = templates[templateId];
    if (!fields) {
      return json(400, { errorName: "Invalid ID in request:", message: `The email template, ${templateId}, does not exist for this account.` });
    }
    const { envelope, content = {}, metadata } = body;
    for (const sender of [envelope.fromAddress, envelope.replyToAddress]) {
      if (sender !== undefined && !senders.has(sender)) return json(400, { message: "Sender Not Allowed" });
    }
    const values = content.personalizationDataMap ?? {};
    if (fields.some((field) => !(field in values))) {
      return json(400, { message: "Personalization Failure Exception. personalization fields were missed" });
    }
    if (metadata.transactional && setup.transactionalSubscription === false) {
      return json(500, { errorName: "EmailServiceException", message: "A transactional subscription is required to send transactional email." });
    }
    const refused = (address: string) => suppressed.has(address.toLowerCase()) || (!metadata.transactional && optedOut.has(address.toLowerCase()));
    if (refused(envelope.toAddress)) {
      return json(400, { success: false, message: "Recipient email has been suppressed", suppressedRecipients: [envelope.toAddress] });
    }
    const cc: string[] = envelope.ccAddressList ?? [];
    delivered.push({ accountId, templateId, to: envelope.toAddress, cc: cc.filter((a) => !refused(a)), transactional: metadata.transactional, body });
    return json(200, { success: true, message: "Email Sent Successfully", suppressedRecipients: cc.filter(refused) });
  };

  const handle = (request: RecordedRequest): DoubleAnswer => {
    const path = new URL(request.path, "http://double.invalid").pathname;
    if (request.method === "POST" && path === "/token") return token(request);
    const match = /^\/ete\/v1\/email\/([^/]+)\/([^/]+)$/.exec(path);
    if (request.method === "POST" && match) return ete(request, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    return gateway(404, "Not Found");
  };

  const double = await startHttpDouble(handle);
  return Object.assign(double, {
    delivered,
    tokenCalls,
    issuedTokens,
    arrivals,
    specViolations,
    limitViolations,
    passwordGrants,
    revokeAccessTokens: () => accessTokens.clear(),
  });
}
