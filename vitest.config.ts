import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { TEST_BINDINGS } from "./test/worker/support/bindings.ts";

// The worker suite's identity provider: fresh RS256 and ES256 keys each run. The worker gets the public JWKS
// (JWT_JWKS); the tests get the private keys (TEST_JWT_SIGNING_KEYS) to sign users' tokens.
const jwk = (key: KeyObject, kid: string, alg: string) => ({ ...key.export({ format: "jwk" }), kid, alg, use: "sig" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signingKeys = [jwk(rsa.privateKey, "rsa-1", "RS256"), jwk(ec.privateKey, "ec-1", "ES256")];
const jwks = { keys: [jwk(rsa.publicKey, "rsa-1", "RS256"), jwk(ec.publicKey, "ec-1", "ES256")] };

// Two projects in one run: the library's tests on Node (with HTTP doubles on 127.0.0.1), and the worker's
// tests inside workerd through Cloudflare's vitest plugin.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/worker/**", "**/node_modules/**"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...TEST_BINDINGS,
                JWT_JWKS: JSON.stringify(jwks),
                TEST_JWT_SIGNING_KEYS: JSON.stringify(signingKeys),
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/support/secret-scan.ts"],
          globalSetup: ["test/support/vendor-doubles-setup.ts"],
        },
      },
    ],
  },
});
