/**
 * The browser's client for the worker's named actions. It carries no vendor code and no credential: the page
 * names an action and supplies its variables; the worker decides everything else.
 */
import type { GenericSchema, InferInput } from "valibot";
import type { Delivery } from "../core/public.ts";
import type { Problem, ProblemKind } from "./problem.ts";

/**
 * The shape of a worker's `actions` (see worker/actions.ts): only the variables' schemas matter here.
 *
 * @example
 * const mail = createBrowserClient<typeof actions satisfies ActionsShape>({ endpoint: "/v1/actions" });
 */
export type ActionsShape = { readonly [name: string]: { readonly variables: GenericSchema } };

/**
 * What a page sends for one action.
 *
 * @example
 * const input: ActionInput<{ name: string }> = { variables: { name: "Ada" }, turnstileToken, idempotencyKey: crypto.randomUUID() };
 * await mail.send("contact-form", input);
 */
export interface ActionInput<Variables> {
  readonly variables: Variables;
  /** Needed only when the action's allow-list has several addresses. */
  readonly recipient?: string;
  /** The Turnstile token of an anonymous form (`turnstile.getResponse()`). */
  readonly turnstileToken?: string;
  /** The signed-in user's JWT, for actions that send to the user's own address. */
  readonly idToken?: string;
  readonly signal?: AbortSignal;
  /**
   * The `Idempotency-Key` of this user action. The client does not retry on its own, so by default each `send`
   * gets a fresh key; make one per user action and pass it again when the user retries (after a `network` or
   * `unknown` failure, say), and the worker answers the first attempt's outcome instead of sending twice.
   */
  readonly idempotencyKey?: string;
  /** Ask the worker to queue the email (`Prefer: respond-async`): the answer is `queued` with the message's id. */
  readonly queue?: boolean;
  /**
   * Send the email at this time, for an action that allows scheduling (its `schedule`): a `Date`, or an RFC 3339
   * date-time with its offset, in the future and within the action's limit (at most 30 days). The email is
   * queued (the answer is `queued` with its id, whatever `queue` says) and can be withdrawn with `cancel(id)`
   * until it starts.
   */
  readonly sendAt?: Date | string;
}

/**
 * The worker accepted the action and the vendor accepted the email.
 *
 * @example
 * if (outcome.kind === "sent") show(outcome.sandbox ? "sent to the sandbox" : "sent");
 */
export interface ActionSent {
  readonly ok: true;
  readonly kind: "sent";
  /** Set by a worker in sandbox mode: the email went to a vendor fake and reached no one. */
  readonly sandbox?: true;
}

/**
 * The action failed. `kind` is the worker gate's or the library's outcome kind; `delivery` says whether the
 * email may have gone out, `retryable` whether trying again is safe.
 *
 * @example
 * if (!outcome.ok) for (const issue of outcome.issues ?? []) markField(issue.path, issue.message);
 */
export interface ActionFailed extends Omit<Problem, "kind"> {
  readonly ok: false;
  readonly kind: ProblemKind | "network" | "aborted";
}

/**
 * The worker queued the email (`queue: true`, or `sendAt`); `GET /v1/messages/{id}` says how it went.
 *
 * @example
 * const outcome = await mail.send("contact-form", { variables, turnstileToken, queue: true });
 * if (outcome.kind === "queued") console.log(`GET /v1/messages/${outcome.id}`);
 */
export interface ActionQueued {
  readonly ok: true;
  readonly kind: "queued";
  readonly id: string;
  /** For a scheduled email: when it goes out, as the worker read it. */
  readonly sendAt?: string;
}

/**
 * The message is cancelled: nothing was or will be sent (the same answer when it was cancelled before).
 *
 * @example
 * { ok: true, kind: "cancelled", id: "5f0c2a8e-1b7d-4c3e-9a6f-2d8b4e1c7a90" }
 */
export interface MessageCancelled {
  readonly ok: true;
  readonly kind: "cancelled";
  readonly id: string;
}

/**
 * Too late: the message has started or ended (`state`: `sending`, `sent`, `partial`, `failed`, `unknown`).
 *
 * @example
 * { ok: false, kind: "not_cancellable", status: 409, state: "sent", detail: "the message is sent; ...", retryable: false }
 */
export interface CancelRefused {
  readonly ok: false;
  readonly kind: "not_cancellable";
  readonly status: 409;
  readonly state: string;
  readonly detail: string;
  readonly retryable: false;
}

/**
 * What `cancel` answers; `ActionFailed` for a refusal on the way (not signed in, no such message: `not_found`).
 *
 * @example
 * const outcome = await mail.cancel(id, { idToken });
 * if (outcome.ok) showWithdrawn();
 * else if (outcome.kind === "not_cancellable") show(`too late: the reminder is ${outcome.state}`);
 */
export type CancelOutcome = MessageCancelled | CancelRefused | ActionFailed;

/**
 * Options of one `cancel`.
 *
 * @example
 * await mail.cancel(id, { idToken: await auth.getIdToken(), signal: AbortSignal.timeout(5000) });
 */
export interface CancelInput {
  /** The signed-in user's JWT, when the email was queued with one: only its user may cancel it. */
  readonly idToken?: string;
  readonly signal?: AbortSignal;
}

/**
 * What `send` resolves with: sent, queued, or failed (never a rejection).
 *
 * @example
 * const outcome: ActionOutcome = await mail.send("contact-form", { variables, turnstileToken });
 * if (!outcome.ok && outcome.retryable) showRetryButton();
 */
export type ActionOutcome = ActionSent | ActionQueued | ActionFailed;

/**
 * A queued email's state as the worker keeps it (`GET /v1/messages/{id}`): never its content.
 *
 * @example
 * { ok: true, id, vendor: "listmonk", state: "sent", attempts: 1, createdAt, updatedAt, history: [...] }
 */
export interface MessageStatus {
  readonly ok: true;
  readonly id: string;
  readonly vendor: string;
  /** `scheduled`, `queued`, `sending`, `sent`, `partial`, `failed`, `unknown` or `cancelled`. */
  readonly state: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sendAt?: string;
  readonly result?: unknown;
  readonly history: readonly { readonly at: string; readonly state: string; readonly attempt?: number; readonly note?: string; readonly outcome?: unknown }[];
  /** What the vendor reported after sending (`delivered`, `bounced`, `opened`, ...), oldest first; a page sees no vendor details. */
  readonly events?: readonly { readonly kind: string; readonly at: string; readonly bounce?: "hard" | "soft" }[];
  /** The delivery the events add up to (`delivered`, `bounced`, ...), and when; absent before any event. */
  readonly delivery?: { readonly state: string; readonly at: string; readonly bounce?: "hard" | "soft"; readonly opened?: true; readonly clicked?: true; readonly unsubscribed?: true };
}

/**
 * What `messageStatus` answers; `ActionFailed` for a refusal on the way (not signed in, no such message:
 * `not_found`) or no answer.
 *
 * @example
 * const status = await mail.messageStatus(id, { idToken });
 * if (status.ok) show(status.state);
 */
export type MessageStatusOutcome = MessageStatus | ActionFailed;

/**
 * Options of `createBrowserClient`.
 *
 * @example
 * const options: BrowserClientOptions = { endpoint: "https://mail.example.com/v1/actions" };
 * const mail = createBrowserClient<Actions>(options);
 */
export interface BrowserClientOptions {
  /** The worker's actions URL, e.g. `https://mail.example.com/v1/actions`. */
  readonly endpoint: string;
  /** The `fetch` to use; the page's own by default. */
  readonly fetch?: typeof fetch;
  /** Where queued messages are (for `cancel` and `messageStatus`); by default `endpoint` with its last `actions` made `messages`. */
  readonly messagesEndpoint?: string;
}

/**
 * A client whose `send` accepts only the actions of `A`, each with its own variables' type.
 *
 * @example
 * const mail: BrowserClient<Actions> = createBrowserClient<Actions>({ endpoint: "/v1/actions" });
 * await mail.send("contact-form", { variables: { name: "Ada" }, turnstileToken });
 */
export interface BrowserClient<A extends ActionsShape> {
  /** Sends action `N` with its variables; resolves with the outcome, never rejects. */
  send<N extends keyof A & string>(action: N, input: ActionInput<InferInput<A[N]["variables"]>>): Promise<ActionOutcome>;
  /**
   * Cancels a queued or scheduled email (`DELETE /v1/messages/{id}`) that has not started; never throws.
   *
   * @example
   * const queued = await mail.send("appointment-reminder", { variables, idToken, sendAt: new Date(start - 86_400_000) });
   * if (queued.ok && queued.kind === "queued") await mail.cancel(queued.id, { idToken });
   */
  cancel(id: string, input?: CancelInput): Promise<CancelOutcome>;
  /**
   * A queued or scheduled email's state and history (`GET /v1/messages/{id}`), for the user or address that
   * queued it; never throws.
   *
   * @example
   * const status = await mail.messageStatus(queued.id, { idToken });
   * if (status.ok && status.state === "sent") showSent();
   */
  messageStatus(id: string, input?: CancelInput): Promise<MessageStatusOutcome>;
}

/**
 * Creates the browser client. Pass your worker's actions type so a wrong action or variable fails to compile.
 *
 * @example
 * import type { Actions } from "../worker/actions";
 * const mail = createBrowserClient<Actions>({ endpoint: "/v1/actions" });
 * const outcome = await mail.send("contact-form", { variables: { name, replyTo, message }, recipient: "support@example.com", turnstileToken });
 * if (!outcome.ok) show(outcome.detail, outcome.issues);
 */
export function createBrowserClient<A extends ActionsShape>(options: BrowserClientOptions): BrowserClient<A> {
  return {
    async send(action, { variables, recipient, turnstileToken, idToken, signal, idempotencyKey, queue, sendAt }) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (turnstileToken) headers["x-turnstile-token"] = turnstileToken;
      if (idToken) headers.authorization = `Bearer ${idToken}`;
      // randomUUID exists in secure contexts (https, localhost) only; elsewhere the send goes without a key.
      const key = idempotencyKey ?? (typeof crypto === "undefined" ? undefined : crypto.randomUUID?.());
      if (key) headers["idempotency-key"] = key;
      const at = sendAt instanceof Date ? sendAt.toISOString() : sendAt;
      if (queue || at !== undefined) headers.prefer = "respond-async";
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(options.endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify({ action, variables, recipient, sendAt: at }),
          signal,
        });
      } catch (error) {
        // The request may have reached the worker before the connection failed or the page gave up.
        const aborted = signal?.aborted === true;
        return failed(aborted ? "aborted" : "network", 0, aborted ? "aborted" : String(error), "unknown");
      }
      const body = (await response.json().catch(() => undefined)) as { ok?: unknown; kind?: unknown; id?: unknown; sandbox?: unknown; sendAt?: unknown } | undefined;
      if (response.ok && body?.ok === true) {
        if (body.kind === "queued") return { ok: true, kind: "queued", id: String(body.id), ...(typeof body.sendAt === "string" ? { sendAt: body.sendAt } : {}) };
        return body.sandbox === true ? { ok: true, kind: "sent", sandbox: true } : { ok: true, kind: "sent" };
      }
      if (typeof body?.kind === "string") return { ...(body as Problem), ok: false };
      // Not the worker's own answer (a proxy's error page): it may or may not have sent.
      return failed("internal", response.status, `unexpected ${response.status} answer`, "unknown");
    },

    async cancel(id, input = {}) {
      const response = await message("DELETE", id, input);
      // Whether the worker got the cancel is not known: asking again is safe, it answers the same.
      if (!(response instanceof Response)) return response;
      const body = (await response.json().catch(() => undefined)) as { kind?: unknown; state?: unknown; detail?: unknown } | undefined;
      if (response.ok && body?.state === "cancelled") return { ok: true, kind: "cancelled", id };
      if (response.status === 409 && body?.kind === "not_cancellable") {
        return { ok: false, kind: "not_cancellable", status: 409, state: String(body.state), detail: String(body.detail), retryable: false };
      }
      if (typeof body?.kind === "string") return { ...(body as Problem), ok: false };
      return failed("internal", response.status, `unexpected ${response.status} answer`, "unknown");
    },

    async messageStatus(id, input = {}) {
      const response = await message("GET", id, input);
      if (!(response instanceof Response)) return response;
      const body = (await response.json().catch(() => undefined)) as { kind?: unknown; state?: unknown } | undefined;
      if (response.ok && typeof body?.state === "string") return { ...(body as Omit<MessageStatus, "ok">), ok: true };
      if (typeof body?.kind === "string") return { ...(body as Problem), ok: false };
      return failed("internal", response.status, `unexpected ${response.status} answer`, "unknown");
    },
  };

  /** A request about one queued message, or the failure of a request that got no answer. */
  async function message(method: string, id: string, { idToken, signal }: CancelInput): Promise<Response | ActionFailed> {
    const url = `${options.messagesEndpoint ?? options.endpoint.replace(/actions(\/?)$/, "messages")}/${encodeURIComponent(id)}`;
    try {
      return await (options.fetch ?? fetch)(url, { method, headers: idToken ? { authorization: `Bearer ${idToken}` } : {}, signal });
    } catch (error) {
      const aborted = signal?.aborted === true;
      return failed(aborted ? "aborted" : "network", 0, aborted ? "aborted" : String(error), "unknown");
    }
  }
}

function failed(kind: ActionFailed["kind"], status: number, detail: string, delivery: Delivery): ActionFailed {
  return { ok: false, kind, status, detail, delivery, retryable: false, type: `urn:txgate:problem:${kind}`, title: detail };
}
