/**
 * Type-level tests of `sendMany`, checked by `tsc -p tsconfig.test.json` (part of `npm test`): each client's items
 * are its own native messages, each result holds that client's `Outcome` and `started`, and a mailer's items name
 * a template of its catalogue with that template's variables. Never run, only compiled.
 */
import * as v from "valibot";
import { expectTypeOf } from "vitest";
import { createActOnClient, type ActOnMessage, type EteSuccess, type SendManyItem, type SendManyOptions, type SendManyOutcome } from "../../src/acton/index.ts";
import { createMailer, defineCatalogue, type CatalogueBatchItem, type CatalogueOutcome } from "../../src/catalogue/index.ts";
import { createEverlyticClient, type SendMailSuccess } from "../../src/everlytic/index.ts";
import { createExpertSenderClient, type ExpertSenderSent } from "../../src/expertsender/index.ts";
import { createListmonkClient, type ListmonkMessage, type TxQueued } from "../../src/listmonk/index.ts";
import type { Outcome } from "../../src/core/outcome.ts";

declare const acton: ReturnType<typeof createActOnClient>;
declare const listmonk: ReturnType<typeof createListmonkClient>;
declare const everlytic: ReturnType<typeof createEverlyticClient>;
declare const expertsender: ReturnType<typeof createExpertSenderClient>;
declare const actonMessage: ActOnMessage;
declare const listmonkMessage: ListmonkMessage;

const catalogue = defineCatalogue({
  orderShipped: { variables: v.object({ orderId: v.string() }), via: [{ vendor: "listmonk", template: 3 }] },
  welcome: { variables: v.object({ name: v.string() }), via: [{ vendor: "acton", template: "t-1" }] },
});
const mail = createMailer(catalogue, { acton, listmonk });

export async function typeChecks() {
  // Each client's results carry its own outcome, one per item, with `started`.
  expectTypeOf(await listmonk.sendMany([{ message: listmonkMessage }])).toEqualTypeOf<SendManyOutcome<Outcome<TxQueued>>[]>();
  expectTypeOf(await acton.sendMany([{ message: actonMessage, idempotencyKey: "order-1" }])).toEqualTypeOf<SendManyOutcome<Outcome<EteSuccess>>[]>();
  expectTypeOf(everlytic.sendMany).returns.resolves.toEqualTypeOf<SendManyOutcome<Outcome<SendMailSuccess>>[]>();
  expectTypeOf(expertsender.sendMany).returns.resolves.toEqualTypeOf<SendManyOutcome<Outcome<ExpertSenderSent>>[]>();
  expectTypeOf<SendManyOutcome<Outcome<TxQueued>>>().toEqualTypeOf<{ readonly outcome: Outcome<TxQueued>; readonly started: boolean }>();

  const [first] = await listmonk.sendMany([{ message: listmonkMessage }]);
  if (first?.outcome.ok) expectTypeOf(first.outcome.data).toEqualTypeOf<TxQueued>();
  else if (first?.outcome.kind === "aborted") expectTypeOf(first.outcome.delivery).toEqualTypeOf<"not_sent" | "unknown" | "partial">();

  // Items are the client's native message; another vendor's is a compile error.
  expectTypeOf<Parameters<typeof listmonk.sendMany>[0]>().toEqualTypeOf<readonly SendManyItem<ListmonkMessage>[]>();
  // @ts-expect-error an Act-On message is not a listmonk message
  await listmonk.sendMany([{ message: actonMessage }]);
  // @ts-expect-error a message must be wrapped as { message }
  await listmonk.sendMany([listmonkMessage]);
  // @ts-expect-error concurrency is a number
  await listmonk.sendMany([], { concurrency: "8" });
  expectTypeOf<SendManyOptions>().toEqualTypeOf<{ readonly concurrency?: number; readonly signal?: AbortSignal; readonly timeoutMs?: number }>();

  // A mailer's items name a template and take that template's variables.
  expectTypeOf(await mail.sendMany([{ template: "welcome", message: { to: "a@example.com", data: { name: "Ada" } } }])).toEqualTypeOf<SendManyOutcome<CatalogueOutcome>[]>();
  const item: CatalogueBatchItem<typeof catalogue> = { template: "orderShipped", message: { to: "a@example.com", data: { orderId: "1" } }, idempotencyKey: "k-00000001" };
  await mail.sendMany([item]);
  // @ts-expect-error welcome's variables are { name }, not { orderId }
  await mail.sendMany([{ template: "welcome", message: { to: "a@example.com", data: { orderId: "1" } } }]);
  // @ts-expect-error no such template
  await mail.sendMany([{ template: "farewell", message: { to: "a@example.com", data: {} } }]);
}
