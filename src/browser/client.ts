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
 * The worker queued the email (`queue: true`); `GET /v1/messages/{id}` says how it went.
 *
 * @example
 * const outcome = await mail.send("contact-form", { variables, turnstileToken, queue: true });
 * if (outcome.kind === "queued") console.log(`GET /v1/messages/${outcome.id}`);
 */
export interface ActionQueued {
  readonly ok: true;
  readonly kind: "queued";
  readonly id: string;
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
    async send(action, { variables, recipient, turnstileToken, idToken, signal, idempotencyKey, queue }) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (turnstileToken) headers["x-turnstile-token"] = turnstileToken;
      if (idToken) headers.authorization = `Bearer ${idToken}`;
      // randomUUID exists in secure contexts (https, localhost) only; elsewhere the send goes without a key.
      const key = idempotencyKey ?? (typeof crypto === "undefined" ? undefined : crypto.randomUUID?.());
      if (key) headers["idempotency-key"] = key;
      if (queue) headers.prefer = "respond-async";
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(options.endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify({ action, variables, recipient }),
          signal,
        });
      } catch (error) {
        // The request may have reached the worker before the connection failed or the page gave up.
        const aborted = signal?.aborted === true;
        return failed(aborted ? "aborted" : "network", 0, aborted ? "aborted" : String(error), "unknown");
      }
      const body = (await response.json().catch(() => undefined)) as { ok?: unknown; kind?: unknown; id?: unknown; sandbox?: unknown } | undefined;
      if (response.ok && body?.ok === true) {
        if (body.kind === "queued") return { ok: true, kind: "queued", id: String(body.id) };
        return body.sandbox === true ? { ok: true, kind: "sent", sandbox: true } : { ok: true, kind: "sent" };
      }
      if (typeof body?.kind === "string") return { ...(body as Problem), ok: false };
      // Not the worker's own answer (a proxy's error page): it may or may not have sent.
      return failed("internal", response.status, `unexpected ${response.status} answer`, "unknown");
    },
  };
}

function failed(kind: ActionFailed["kind"], status: number, detail: string, delivery: Delivery): ActionFailed {
  return { ok: false, kind, status, detail, delivery, retryable: false, type: `urn:txgate:problem:${kind}`, title: detail };
}
