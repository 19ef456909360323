import type { CommonClientOptions } from "../core/options.ts";

/**
 * How to present listmonk API credentials.
 *
 * @example
 * createListmonkClient({ baseUrl, username: "api_user", token, authScheme: "token" satisfies ListmonkAuthScheme });
 */
export type ListmonkAuthScheme = "basic" | "token";

/**
 * Options for `createListmonkClient`.
 *
 * @example
 * const options: ListmonkOptions = { baseUrl: "https://lists.example.com", username: "api_user", token: env.LISTMONK_TOKEN };
 */
export interface ListmonkOptions extends CommonClientOptions {
  /** Your listmonk instance, e.g. `https://lists.example.com` (listmonk is self-hosted; there is no default). */
  readonly baseUrl: string;
  /** The API user's name (Admin → Users → API user). */
  readonly username: string;
  /** The API user's token. Kept out of every outcome, hook and log. */
  readonly token: string;
  /** `basic` (default) sends `Authorization: Basic base64(user:token)`; `token` sends `Authorization: token user:token`. */
  readonly authScheme?: ListmonkAuthScheme;
}
