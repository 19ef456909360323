import type { CommonClientOptions } from "../core/options.ts";
import type { Pacer } from "../core/pacing.ts";
import type { ActOnTokenStore } from "./tokens.ts";

/** Act-On's API gateway, the default `baseUrl`. @example createActOnClient({ baseUrl: ACTON_BASE_URL, accountId, credentials }) */
export const ACTON_BASE_URL = "https://api.actonsoftware.com";
/** Act-On's API gateway in the EU. @example createActOnClient({ baseUrl: ACTON_EU_BASE_URL, accountId, credentials }) */
export const ACTON_EU_BASE_URL = "https://api-eu.actonsoftware.com";
/** The host of older Act-On pages, the ETE endpoint reference among them. @example createActOnClient({ baseUrl: ACTON_LEGACY_BASE_URL, accountId, credentials }) */
export const ACTON_LEGACY_BASE_URL = "https://restapi.actonsoftware.com";
/** Act-On's documented cap on sends per second per account: the default pace, and the most it allows. @example createActOnClient({ accountId, credentials, ratePerSecond: ACTON_SENDS_PER_SECOND / 2 }) */
export const ACTON_SENDS_PER_SECOND = 20;
/** Act-On's general API limit per second, which covers `POST /token`. @example createPacer({ limit: ACTON_TOKEN_CALLS_PER_SECOND }) */
export const ACTON_TOKEN_CALLS_PER_SECOND = 5;

/**
 * What `POST /token` needs: the Act-On user's login and the API client's keys (Settings → Other Settings →
 * Custom Account Settings → API Access Keys). None of them ever appears in an outcome, hook or log.
 *
 * @example
 * const credentials: ActOnCredentials = { username: "ops@example.com", password: env.ACTON_PASSWORD, clientId: env.ACTON_CLIENT_ID, clientSecret: env.ACTON_CLIENT_SECRET };
 */
export interface ActOnCredentials {
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Options for `createActOnClient`.
 *
 * @example
 * const options: ActOnOptions = { accountId: "1234567", credentials, ratePerSecond: 10 };
 */
export interface ActOnOptions extends Omit<CommonClientOptions, "baseUrl"> {
  /** Default `ACTON_BASE_URL`; `ACTON_EU_BASE_URL` for the EU gateway. */
  readonly baseUrl?: string;
  /** Your Act-On account ID. */
  readonly accountId: string;
  readonly credentials: ActOnCredentials;
  /**
   * Where access and refresh tokens are kept. Default: memory shared by every Act-On client in this isolate.
   * Give a shared store (KV, a Durable Object) so that many isolates refresh instead of logging in again.
   */
  readonly tokenStore?: ActOnTokenStore;
  /**
   * Sends per second per account, a whole number. Default 20, Act-On's cap; lower it when other systems send
   * from the same account. Clients in one isolate with the same rate share one queue per account. Ignored when
   * a `pacer` is given: that pacer's own limit holds.
   */
  readonly ratePerSecond?: number;
  /**
   * Paces `POST /token` (Act-On's general API limit, 5 calls a second). Default: 5 a second, shared by every
   * Act-On client in this isolate; give a shared pacer (a Durable Object's) to hold it across isolates.
   */
  readonly tokenPacer?: Pacer;
  /**
   * Password grants (logins) allowed per rolling hour. Default 5, Act-On's limit; beyond it a send ends `auth`
   * without calling Act-On. Counted in the token store.
   */
  readonly maxPasswordGrantsPerHour?: number;
}
