// The suite's bindings beyond the worker's own Env (vitest.config.ts adds them).
declare namespace Cloudflare {
  interface Env extends import("../../../src/worker/env.ts").Env {
    readonly JWT_JWKS: string;
    readonly TEST_JWT_SIGNING_KEYS: string;
  }
}
