import type { CommonClientOptions } from "../core/options.ts";

/**
 * The documented ExpertSender API v2 hosts. Each account lives on one of them: use the one shown in your
 * account's API settings (`api.ecdp.app` is a different, JSON product).
 *
 * @example
 * const baseUrl: ExpertSenderHost = EXPERTSENDER_HOSTS[2]; // "https://api3.esv2.com"
 */
export const EXPERTSENDER_HOSTS = [
  "https://api.esv2.com",
  "https://api2.esv2.com",
  "https://api3.esv2.com",
  "https://api4.esv2.com",
  "https://api5.esv2.com",
  "https://api6.esv2.com",
  "https://api7.esv2.com",
] as const;

/**
 * One of the documented ExpertSender API hosts.
 *
 * @example
 * const host: ExpertSenderHost = "https://api.esv2.com";
 */
export type ExpertSenderHost = (typeof EXPERTSENDER_HOSTS)[number];

/**
 * What an API key may hold (the spec's ApiKey rule): no whitespace, no character XML cannot carry. A stray space or
 * newline from configuration would only ever earn a 403.
 */
export const API_KEY_SYNTAX = /^[^\s\0-\x1F\uD800-\uDFFF\uFFFE\uFFFF]+$/u;

/**
 * Options for `createExpertSenderClient`.
 *
 * @example
 * const options: ExpertSenderOptions = { baseUrl: "https://api.esv2.com", apiKey: env.EXPERTSENDER_API_KEY };
 */
export interface ExpertSenderOptions extends CommonClientOptions {
  /**
   * Your account's API host (there is no default: it differs per account). Any other origin, such as a test
   * double or a proxy, is accepted too.
   */
  readonly baseUrl: ExpertSenderHost | (string & {});
  /**
   * The account's API key. It travels inside the XML body, so txgate writes it in only after your middleware
   * has run, and keeps it out of every outcome, hook and log.
   */
  readonly apiKey: string;
}
