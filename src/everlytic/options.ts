import type { CommonClientOptions } from "../core/options.ts";

/**
 * Everlytic's API host, the only one its v1 transactional API documents.
 *
 * @example
 * createEverlyticClient({ baseUrl: EVERLYTIC_BASE_URL, username: "acme", apiKey: env.EVERLYTIC_API_KEY });
 */
export const EVERLYTIC_BASE_URL = "https://api.everlytic.net";

/**
 * Options for `createEverlyticClient`.
 *
 * @example
 * const options: EverlyticOptions = { username: "acme", apiKey: env.EVERLYTIC_API_KEY, timeoutMs: 10_000 };
 */
export interface EverlyticOptions extends Omit<CommonClientOptions, "baseUrl"> {
  /** Defaults to `EVERLYTIC_BASE_URL`; set it to reach a proxy or a test double. */
  readonly baseUrl?: string;
  /** Your Everlytic username (the HTTP Basic user name). */
  readonly username: string;
  /** Your Everlytic API key (the HTTP Basic password). Kept out of every outcome, hook and log. */
  readonly apiKey: string;
}
