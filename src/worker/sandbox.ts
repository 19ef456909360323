/**
 * What a deployment gives the worker for sandbox mode (`SANDBOX=true` and no vendor credentials): a fake of each
 * vendor's HTTP API that its client reaches through an injected `fetch` (so nothing leaves the isolate), the
 * settings that client is built with, and the deployment's own local pages. The package ships no fake of its own:
 * the repo's deployment passes its built-in sandbox, a user's passes `txgate/testing`'s fakes or none.
 */
import type { VendorName } from "../core/public.ts";
import type { Env, VendorSettings } from "./env.ts";

/**
 * One vendor's fake: its HTTP API as a `fetch`, and the (made-up) settings its client is built with.
 *
 * @example
 * const fake = createAcmeFake();
 * const vendor: SandboxVendor<"acme"> = { fetch: fake.fetch, settings: { baseUrl: "https://acme.example", ...ACME_FAKE_CREDENTIALS } };
 */
export interface SandboxVendor<V extends VendorName = VendorName> {
  /** The vendor's HTTP API, answered by the fake. */
  readonly fetch: (request: Request) => Promise<Response>;
  readonly settings: NonNullable<VendorSettings[V]>;
}

/**
 * The sandbox of a deployment.
 *
 * @example
 * createTxgateWorker({ actions, sandbox: { vendors: { acme: { fetch: fake.fetch, settings: { baseUrl: fake.baseUrl, apiKey: "k" } } } } });
 */
export interface WorkerSandbox {
  /** A vendor without a fake here is not configured in sandbox mode (its sends are refused, `not_configured`). */
  readonly vendors: { readonly [V in VendorName]?: SandboxVendor<V> };
  /**
   * The deployment's local pages under `/sandbox` and `/demo` (an outbox, a demo form), and `/`, an index of them
   * (a `not_found` refusal for `/` keeps the worker's one-line index). Called only in sandbox mode and for a request
   * to a loopback host; a deployed worker's host name never reaches them.
   */
  serveLocal?(request: Request, env: Env, pathname: string): Promise<Response> | Response;
  /**
   * The webhook posts the sandbox vendors made since last asked (a fake's `onWebhook`), taken and forgotten: the
   * worker hands each to its own event route's handling (the vendor's parser, then the messages they name), as if
   * the vendor had posted it, after each queued send. Called only in sandbox mode.
   */
  takeWebhookPosts?(): readonly SandboxWebhookPost[];
}

/**
 * A webhook post a sandbox vendor made: its body and `Content-Type`, as the vendor would post them.
 *
 * @example
 * const post: SandboxWebhookPost = { vendor: "acme", body: "{}", contentType: "application/json" };
 */
export interface SandboxWebhookPost {
  readonly vendor: VendorName;
  readonly body: string;
  readonly contentType: string;
}
