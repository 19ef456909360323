/**
 * The worker suite's settings and secrets, given to workerd as bindings by vitest.config.ts (they override
 * wrangler.toml's [vars]). Every value in `TEST_SECRETS` is searched for in every response and log line of
 * the suite (see secret-scan.ts). No vendor credentials here: the suite runs in sandbox mode, and the live-mode
 * tests add vendor secrets per request (see `LIVE_VENDOR_SECRETS`).
 */
import { VENDOR_NAMES } from "../../../src/vendors/registry.ts";

export const ORIGIN = "https://shop.example";
export const OTHER_ALLOWED_ORIGIN = "https://www.shop.example";
export const JWT_ISSUER = "https://id.shop.example/";
export const JWT_AUDIENCE = "txgate";
export const TURNSTILE_VERIFY_URL = "https://turnstile.test/siteverify";

export const CALLER_KEY_BILLING = "ck_billing_9f3b1c7e4a2d48b6a0e5c3f1d7b9a2e4";
/** The billing service's next key: both work while it rotates. */
export const CALLER_KEY_BILLING_NEXT = "ck_billing_next_51c8e2a9d4f74b3e86a0c2d5e9f1b7a3";
export const CALLER_KEY_NEWSLETTER = "ck_newsletter_2d7f9a1c3e5b47d8a6c0e2f4b8d1a3c5";
/** The operator's key of GET /v1/health (OPERATOR_KEYS). */
export const OPERATOR_KEY = "op_oncall_8d2f6b1e9c4a47e3b5d0a7c2e6f9b1d4";
export const TURNSTILE_SECRET = "0x4AAAAAAAtest_turnstile_secret_8c2e5f1a";
/** The basic auth Everlytic's webhook presents at POST /v1/events/everlytic. */
export const EVERLYTIC_WEBHOOK_USER = "everlytic-hook";
export const EVERLYTIC_WEBHOOK_PASSWORD = "hook_password_5e1c9a7b3d2f48a6";

export const CALLER_KEYS = [
  { id: "billing", key: CALLER_KEY_BILLING, vendors: [...VENDOR_NAMES] },
  { id: "billing-next", key: CALLER_KEY_BILLING_NEXT, vendors: [...VENDOR_NAMES] },
  { id: "newsletter", key: CALLER_KEY_NEWSLETTER, vendors: ["listmonk"] },
];

/** Vendor credentials of the live-mode tests (never in the suite's bindings). */
export const LIVE_VENDOR_SECRETS = {
  LISTMONK_URL: "https://lists.shop.example",
  LISTMONK_USERNAME: "txgate",
  LISTMONK_TOKEN: "lm_live_token_4b8e2c6a9d1f",
  EVERLYTIC_USERNAME: "shop",
  EVERLYTIC_API_KEY: "ev_live_key_7c3a9e5b1d2f",
  EXPERTSENDER_BASE_URL: "https://api3.esv2.com",
  EXPERTSENDER_API_KEY: "es_live_key_1f5d9b3e7a2c",
  ACTON_ACCOUNT_ID: "1234567",
  ACTON_USERNAME: "ops@shop.example",
  ACTON_PASSWORD: "acton_live_password_6e2a8c4f",
  ACTON_CLIENT_ID: "acton-client-id",
  ACTON_CLIENT_SECRET: "acton_live_client_secret_3d9f1b7e",
} as const;

/** Settings of the suite, as bindings. */
export const TEST_BINDINGS = {
  // The suite runs on the sandbox, which a deployment must ask for (npm start does the same).
  SANDBOX: "true",
  ALLOWED_ORIGINS: `${ORIGIN}, ${OTHER_ALLOWED_ORIGIN}`,
  CALLER_KEYS: JSON.stringify(CALLER_KEYS),
  OPERATOR_KEYS: JSON.stringify([{ id: "oncall", key: OPERATOR_KEY }]),
  TURNSTILE_SECRET,
  TURNSTILE_VERIFY_URL,
  JWT_ISSUER,
  JWT_AUDIENCE,
  EVERLYTIC_WEBHOOK_USER,
  EVERLYTIC_WEBHOOK_PASSWORD,
};

/** Every secret value the suite knows, with the encodings a leak could take. */
export const TEST_SECRETS: readonly string[] = [
  CALLER_KEY_BILLING,
  CALLER_KEY_BILLING_NEXT,
  CALLER_KEY_NEWSLETTER,
  OPERATOR_KEY,
  TURNSTILE_SECRET,
  EVERLYTIC_WEBHOOK_PASSWORD,
  btoa(`${EVERLYTIC_WEBHOOK_USER}:${EVERLYTIC_WEBHOOK_PASSWORD}`),
  LIVE_VENDOR_SECRETS.LISTMONK_TOKEN,
  LIVE_VENDOR_SECRETS.EVERLYTIC_API_KEY,
  LIVE_VENDOR_SECRETS.EXPERTSENDER_API_KEY,
  LIVE_VENDOR_SECRETS.ACTON_PASSWORD,
  LIVE_VENDOR_SECRETS.ACTON_CLIENT_SECRET,
  btoa(`${LIVE_VENDOR_SECRETS.LISTMONK_USERNAME}:${LIVE_VENDOR_SECRETS.LISTMONK_TOKEN}`),
  btoa(`${LIVE_VENDOR_SECRETS.EVERLYTIC_USERNAME}:${LIVE_VENDOR_SECRETS.EVERLYTIC_API_KEY}`),
];
