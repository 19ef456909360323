/**
 * Type-level tests of `checkCredentials`, checked by `tsc -p tsconfig.test.json`: every client has it, taking a
 * signal and a timeout and nothing a send takes, and its `CredentialCheck` is a closed union a `switch` exhausts,
 * with a status where the vendor answered and `retryAfter` only on `skipped`. Never run, only compiled.
 */
import { expectTypeOf } from "vitest";
import { createActOnClient, type CheckCallOptions, type CredentialCheck } from "../../src/acton/index.ts";
import { createEverlyticClient } from "../../src/everlytic/index.ts";
import { createExpertSenderClient } from "../../src/expertsender/index.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";

declare const acton: ReturnType<typeof createActOnClient>;
declare const listmonk: ReturnType<typeof createListmonkClient>;
declare const everlytic: ReturnType<typeof createEverlyticClient>;
declare const expertsender: ReturnType<typeof createExpertSenderClient>;
declare const check: CredentialCheck;

for (const client of [acton, listmonk, everlytic, expertsender]) {
  expectTypeOf(client.checkCredentials).parameter(0).toEqualTypeOf<CheckCallOptions | undefined>();
  expectTypeOf(client.checkCredentials).returns.resolves.toEqualTypeOf<CredentialCheck>();
}
// @ts-expect-error a check sends nothing, so it takes no idempotency key
void listmonk.checkCredentials({ idempotencyKey: "order-1234" });

expectTypeOf(check.kind).toEqualTypeOf<"ok" | "refused" | "unreachable" | "error" | "skipped" | "unsupported">();

function describe(result: CredentialCheck): string {
  switch (result.kind) {
    case "ok":
      return `accepted ${result.status ?? "(nothing asked)"}`;
    case "refused":
      expectTypeOf(result.status).toEqualTypeOf<number>();
      return `refused ${result.status}`;
    case "unreachable":
    case "error":
      return result.message;
    case "skipped":
      expectTypeOf(result.requests).toEqualTypeOf<0>();
      return `skipped, again in ${result.retryAfter ?? "?"} s`;
    case "unsupported":
      return result.message;
    default:
      expectTypeOf(result).toBeNever();
      return result;
  }
}
void describe;
