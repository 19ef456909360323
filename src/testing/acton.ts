/**
 * A fake Act-On: `POST /token` (password and single-use refresh grants, expiring access tokens) and
 * `POST /ete/v1/email/{accountId}/{templateId}` as Act-On documents them: the API gateway's bad-token answer,
 * the ETE service's 400 messages ("Validation Failed for emailDetails object" for a body that breaks
 * specs/acton.yaml), suppression (opted-out contacts still get transactional email), the 500 for transactional
 * email without a subscription, and the 20-per-second cap.
 */
import spec from "../../generated/acton.spec.json" with { type: "json" };
import { ACTON_SENDS_PER_SECOND } from "../acton/options.ts";
import { ACTON_PASSWORD_GRANTS_PER_HOUR } from "../acton/tokens.ts";
import { answered, asRequest, failureOf, FailurePlan, hang, jsonAnswer, specViolations } from "./fake.ts";
import type { FakeFailure, FakeMessage, FakeOptions, VendorFake } from "./fake.ts";

/**
 * The account and credentials an Act-On fake accepts unless told otherwise. Not secrets.
 *
 * @example
 * const client = createActOnClient({ baseUrl: "https://acton.example", ...ACTON_FAKE_ACCOUNT, fetch: createActOnFake().fetch });
 */
export const ACTON_FAKE_ACCOUNT = {
  accountId: "fake",
  credentials: { username: "fake@example.com", password: "fake-acton-password", clientId: "fake-client", clientSecret: "fake-acton-client-secret" },
};

/**
 * What an Act-On fake is set up with.
 *
 * @example
 * const acton = createActOnFake({ suppressed: ["jane@example.com"], ratePerSecond: 5 } satisfies ActOnFakeOptions);
 */
export interface ActOnFakeOptions extends FakeOptions {
  readonly accountId?: string;
  readonly credentials?: { readonly username: string; readonly password: string; readonly clientId: string; readonly clientSecret: string };
  /** Template id → the personalization fields it uses; every id exists (using none) when absent. */
  readonly templates?: Readonly<Record<string, readonly string[]>>;
  /** Senders the account may use; any when absent. */
  readonly allowedSenders?: readonly string[];
  /** Addresses that never get email (bounced, suppressed). */
  readonly suppressed?: readonly string[];
  /** Contacts who opted out of marketing mail: they still get transactional email. */
  readonly optedOut?: readonly string[];
  /** Whether the account bought transactional sending. Default true. */
  readonly transactionalSubscription?: boolean;
  readonly suspended?: boolean;
  /** `expires_in` of issued access tokens, in seconds. Default 3600. */
  readonly expiresIn?: number;
  /** Sends a second before a 429. Default 20, Act-On's cap. */
  readonly ratePerSecond?: number;
}

/**
 * One email Act-On accepted.
 *
 * @example
 * const [copy]: ActOnDelivered[] = acton.delivered;
 * expect(copy?.transactional).toBe(true);
 */
export interface ActOnDelivered {
  readonly accountId: string;
  readonly templateId: string;
  readonly to: string;
  readonly cc: string[];
  readonly transactional: boolean;
  readonly body: Record<string, any>;
}

/**
 * One call of `POST /token`.
 *
 * @example
 * const calls: ActOnTokenCall[] = acton.tokenCalls;
 * expect(calls.map((call) => call.grant)).toEqual(["password"]);
 */
export interface ActOnTokenCall {
  readonly grant: string;
  /** The form as it arrived, secrets included. */
  readonly form: Record<string, string>;
}

/**
 * An Act-On fake.
 *
 * @example
 * const acton: ActOnFake = createActOnFake();
 * await client.sendMessage(message);
 * expect(acton.tokenCalls).toHaveLength(1);
 */
export interface ActOnFake extends VendorFake {
  readonly delivered: ActOnDelivered[];
  readonly tokenCalls: ActOnTokenCall[];
  /** Every access and refresh token issued, for tests that look for leaks. */
  readonly issuedTokens: string[];
  /** When each ETE request arrived (performance.now()). */
  readonly arrivals: number[];
  /** Sends over the per-second cap and password grants over 5 an hour. */
  readonly limitViolations: string[];
  /** When each password grant arrived (Date.now()); clear it to start a new hour's count. */
  readonly passwordGrants: number[];
  /** Invalidates every access token issued so far (refresh tokens keep working). */
  revokeAccessTokens(): void;
}

/** The ETE service's answer to a body that breaks its rules, whichever rule. */
const INVALID_EMAIL_DETAILS = "Validation Failed for emailDetails object";

const gateway = (status: number, httpMessage: string, headers?: Record<string, string>) =>
  jsonAnswer(status, { httpCode: String(status), httpMessage, moreInformation: "" }, headers);

/**
 * A fake Act-On to pass as the client's `fetch`. A `to` or cc address `fail+<failure>@…` (or `failNext`) plays
 * a failure on the send (never on `/token`): `fail+timeout`, `fail+429` (with `Retry-After`), `fail+503`,
 * `fail+500` (delivered, then a 500), `fail+auth` (the gateway's 401), `fail+partial` as a cc address (listed
 * in `suppressedRecipients`, the others sent).
 *
 * @example
 * const acton = createActOnFake();
 * const client = createActOnClient({ baseUrl: "https://acton.example", ...ACTON_FAKE_ACCOUNT, fetch: acton.fetch });
 * await client.send({ templateId: "t-1", envelope: { toAddress: "ada@example.com" }, metadata: { transactional: true, externalId: "order-1" }, actions: { trackOpens: false, trackClicks: false } });
 * expect(acton.delivered[0]?.to).toBe("ada@example.com");
 */
export function createActOnFake(options: ActOnFakeOptions = {}): ActOnFake {
  const account = options.accountId ?? ACTON_FAKE_ACCOUNT.accountId;
  const credentials = options.credentials ?? ACTON_FAKE_ACCOUNT.credentials;
  const senders = options.allowedSenders && new Set(options.allowedSenders);
  const suppressed = new Set((options.suppressed ?? []).map((email) => email.toLowerCase()));
  const optedOut = new Set((options.optedOut ?? []).map((email) => email.toLowerCase()));
  const rate = options.ratePerSecond ?? ACTON_SENDS_PER_SECOND;
  const plan = new FailurePlan(options);
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const outbox: FakeMessage[] = [];
  const violations: string[] = [];
  const fake = {
    delivered: [] as ActOnDelivered[],
    tokenCalls: [] as ActOnTokenCall[],
    issuedTokens: [] as string[],
    arrivals: [] as number[],
    limitViolations: [] as string[],
    passwordGrants: [] as number[],
  };
  let serial = 0;

  const issue = () => {
    serial++;
    const access = `at-${serial}-${crypto.randomUUID()}`;
    const refresh = `rt-${serial}-${crypto.randomUUID()}`;
    const expiresIn = options.expiresIn ?? 3600;
    accessTokens.set(access, Date.now() + expiresIn * 1000);
    refreshTokens.add(refresh);
    fake.issuedTokens.push(access, refresh);
    return jsonAnswer(200, { access_token: access, refresh_token: refresh, scope: "PRODUCTION", token_type: "Bearer", expires_in: expiresIn });
  };

  const token = async (request: Request) => {
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) violations.push(`/token content-type ${type}`);
    // Read as bytes: workerd warns when a form body is read with text().
    const form = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())));
    fake.tokenCalls.push({ grant: form.grant_type ?? "", form });
    for (const error of specViolations(spec, "acton", "TokenRequest", form)) violations.push(`/token ${error}`);
    if (form.client_id !== credentials.clientId || form.client_secret !== credentials.clientSecret) {
      return jsonAnswer(401, { error: "access_denied", error_description: "Unauthorized" });
    }
    if (form.grant_type === "password") {
      const now = Date.now();
      fake.passwordGrants.push(now);
      if (fake.passwordGrants.filter((at) => at > now - 3_600_000).length > ACTON_PASSWORD_GRANTS_PER_HOUR) {
        fake.limitViolations.push(`more than ${ACTON_PASSWORD_GRANTS_PER_HOUR} password grants in an hour`);
      }
      if (form.username !== credentials.username || form.password !== credentials.password) {
        return jsonAnswer(403, { error: "invalid_grant", error_description: "Wrong email or password." });
      }
      return issue();
    }
    if (form.grant_type === "refresh_token") {
      if (!refreshTokens.delete(form.refresh_token ?? "")) return jsonAnswer(403, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." });
      return issue();
    }
    return jsonAnswer(400, { error: "unsupported_grant_type", error_description: "Unsupported grant type" });
  };

  const ete = async (request: Request, accountId: string, templateId: string) => {
    const now = performance.now();
    fake.arrivals.push(now);
    if (fake.arrivals.filter((at) => at > now - 1000).length > rate) {
      fake.limitViolations.push(`more than ${rate} sends within 1 s at ${now.toFixed(1)} ms`);
      return new Response(null, { status: 429 });
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    if ((accessTokens.get(bearer) ?? 0) <= Date.now()) return gateway(401, "Unauthorized");
    if (options.suspended) return jsonAnswer(401, { message: "Account Temporarily Suspended" });

    let body: Record<string, any>;
    try {
      body = JSON.parse(new TextDecoder().decode(await request.arrayBuffer()));
    } catch {
      return jsonAnswer(400, { message: INVALID_EMAIL_DETAILS });
    }
    const broken = specViolations(spec, "acton", "EteEmailRequest", body);
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("application/json")) broken.push(`content-type ${type}`);
    violations.push(...broken.map((error) => `ete ${error}`));
    const envelope = body?.envelope ?? {};
    const cc: string[] = Array.isArray(envelope.ccAddressList) ? envelope.ccAddressList : [];
    const failure = plan.take([envelope.toAddress, ...cc]);
    const record = (status: number, refusal?: string, accepted = refusal === undefined) => {
      const message: FakeMessage = {
        vendor: "acton",
        ...answered(status, refusal, accepted),
        template: templateId,
        from: envelope.fromDisplayName ? `${envelope.fromDisplayName} <${envelope.fromAddress}>` : envelope.fromAddress,
        to: typeof envelope.toAddress === "string" ? [envelope.toAddress] : [],
        cc,
        subject: body?.content?.subjectLine,
        data: { ...body?.content?.personalizationDataMap, "metadata.transactional": body?.metadata?.transactional },
        specViolations: broken,
        ...(failure ? { failure } : {}),
      };
      outbox.push(message);
      options.onMessage?.(message);
    };
    const refuse = (status: number, answer: Record<string, unknown>) => {
      record(status, String(answer.message));
      return jsonAnswer(status, answer);
    };
    if (failure === "auth") return gateway(401, "Unauthorized");
    if (failure === "timeout") return hang(request);
    if (failure === "429" || failure === "503") {
      record(Number(failure), failure === "429" ? "Too Many Requests" : "Service Unavailable");
      return gateway(Number(failure), failure === "429" ? "Too Many Requests" : "Service Unavailable", plan.retryHeaders);
    }

    if (broken.length) return refuse(400, { message: INVALID_EMAIL_DETAILS });
    if (accountId !== account) return refuse(400, { message: "Invalid ID in request. accountId or templateId is invalid" });
    const fields = options.templates ? options.templates[templateId] : [];
    if (!fields) return refuse(400, { errorName: "Invalid ID in request:", message: `The email template, ${templateId}, does not exist for this account.` });
    const { content = {}, metadata } = body;
    for (const sender of [envelope.fromAddress, envelope.replyToAddress]) {
      if (sender !== undefined && senders && !senders.has(sender)) return refuse(400, { message: "Sender Not Allowed" });
    }
    const values = content.personalizationDataMap ?? {};
    if (fields.some((field) => !(field in values))) return refuse(400, { message: "Personalization Failure Exception. personalization fields were missed" });
    if (metadata.transactional && options.transactionalSubscription === false) {
      return refuse(500, { errorName: "EmailServiceException", message: "A transactional subscription is required to send transactional email." });
    }
    const refused = (address: string) =>
      suppressed.has(address.toLowerCase()) || (!metadata.transactional && optedOut.has(address.toLowerCase())) || (failure === "partial" && failureOf(address) === "partial");
    if (refused(envelope.toAddress)) {
      return refuse(400, { success: false, message: "Recipient email has been suppressed", suppressedRecipients: [envelope.toAddress] });
    }
    fake.delivered.push({ accountId, templateId, to: envelope.toAddress, cc: cc.filter((address) => !refused(address)), transactional: metadata.transactional, body });
    if (failure === "500") {
      record(500, undefined, true);
      return jsonAnswer(500, { errorName: "EmailServiceException", message: "Internal Server Error" });
    }
    record(200);
    return jsonAnswer(200, { success: true, message: "Email Sent Successfully", suppressedRecipients: cc.filter(refused) });
  };

  const handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/token") return token(request);
    const match = /^\/ete\/v1\/email\/([^/]+)\/([^/]+)$/.exec(path);
    if (request.method === "POST" && match) return ete(request, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    return gateway(404, "Not Found");
  };

  return {
    ...fake,
    fetch: (input, init) => handle(asRequest(input, init)),
    outbox,
    specViolations: violations,
    failNext: (...failures: FakeFailure[]) => plan.push(...failures),
    revokeAccessTokens: () => accessTokens.clear(),
  };
}
