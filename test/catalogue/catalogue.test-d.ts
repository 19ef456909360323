/**
 * Type-level tests of the catalogue, checked by `tsc -p tsconfig.test.json` (part of `npm test`): a wrong
 * template name, a wrong or missing variable, a vendor template id of the wrong type and a vendor without a
 * client are compile errors. Never run, only compiled.
 */
import * as v from "valibot";
import { expectTypeOf } from "vitest";
import { createMailer, defineCatalogue, type CatalogueOutcome, type TemplateMessageClient } from "../../src/catalogue/index.ts";
import { createActOnClient } from "../../src/acton/index.ts";
import { createListmonkClient } from "../../src/listmonk/index.ts";
import type { Failure, VendorName } from "../../src/core/outcome.ts";

const catalogue = defineCatalogue({
  orderShipped: {
    variables: v.object({ orderId: v.string(), name: v.string() }),
    via: [
      { vendor: "acton", template: "t-0099" },
      { vendor: "listmonk", template: 3 },
    ],
  },
  passwordReset: { variables: v.object({ link: v.pipe(v.string(), v.url()) }), via: [{ vendor: "listmonk", template: 7 }] },
});

declare const acton: ReturnType<typeof createActOnClient>;
declare const listmonk: ReturnType<typeof createListmonkClient>;
declare const everlytic: TemplateMessageClient;

const mail = createMailer(catalogue, { acton, listmonk });

export async function typeChecks() {
  const outcome = await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1234", name: "Jane" } });
  expectTypeOf(outcome).toEqualTypeOf<CatalogueOutcome>();
  expectTypeOf(outcome.failover).toEqualTypeOf<readonly Failure[]>();
  expectTypeOf(outcome.vendor).toEqualTypeOf<VendorName>();
  await mail.send("passwordReset", { to: ["a@example.com"], data: { link: "https://example.com/r/1" }, subject: "Reset" });

  await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1", name: "J" }, byVendor: { acton: { externalId: "order-1" } } });
  // @ts-expect-error: byVendor names only the template's own vendors
  await mail.send("passwordReset", { to: "jane@example.com", data: { link: "https://example.com/r/1" }, byVendor: { acton: { externalId: "x" } } });
  // @ts-expect-error: no such template
  await mail.send("orderShiped", { to: "jane@example.com", data: { orderId: "1234", name: "Jane" } });
  // @ts-expect-error: a missing variable (name)
  await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1234" } });
  // @ts-expect-error: a variable of the wrong type
  await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: 1234, name: "Jane" } });
  // @ts-expect-error: a variable the template does not declare
  await mail.send("orderShipped", { to: "jane@example.com", data: { orderId: "1234", name: "Jane", coupon: "X" } });
  // @ts-expect-error: a variable of another template
  await mail.send("passwordReset", { to: "jane@example.com", data: { orderId: "1234" } });
  // @ts-expect-error: no recipients
  await mail.send("passwordReset", { data: { link: "https://example.com/r/1" } });
  // @ts-expect-error: the template comes from the catalogue, not the call
  await mail.send("passwordReset", { to: "a@example.com", template: 9, data: { link: "https://example.com/r/1" } });
}

// @ts-expect-error: the catalogue names acton, and no acton client is given
createMailer(catalogue, { listmonk });
// An extra client is harmless only if it is declared; a client without sendMessage is not a client.
// @ts-expect-error: listmonk given something that cannot send the common message
createMailer(catalogue, { acton, listmonk: { send: listmonk.send } });
createMailer(catalogue, { acton, listmonk: everlytic });

defineCatalogue({
  // @ts-expect-error: listmonk template ids are numbers
  wrongId: { variables: v.object({}), via: [{ vendor: "listmonk", template: "3" }] },
});
defineCatalogue({
  // @ts-expect-error: Act-On template ids are strings
  wrongId: { variables: v.object({}), via: [{ vendor: "acton", template: 99 }] },
});
defineCatalogue({
  // @ts-expect-error: no such vendor
  unknownVendor: { variables: v.object({}), via: [{ vendor: "mailchimp", template: "x" }] },
});
defineCatalogue({
  // @ts-expect-error: a template needs at least one vendor template
  noVendor: { variables: v.object({}), via: [] },
});

/** The catalogue and common-message examples of the README and docs/library.md, in the shape they are written there. */
export async function readmeExamples(env: { LISTMONK_TOKEN: string }, baseUrl: string, to: string, orderId: string) {
  const catalogue = defineCatalogue({
    orderShipped: { variables: v.object({ orderNumber: v.string(), name: v.string() }), message: { transactional: true }, via: [{ vendor: "listmonk", template: 3 }] },
  });
  const mail = createMailer(catalogue, { listmonk: createListmonkClient({ baseUrl, username: "api_user", token: env.LISTMONK_TOKEN }) });
  const outcome = await mail.send("orderShipped", { to: "jane@example.com", data: { orderNumber: "3423423", name: "Jane" } });
  if (!outcome.ok) console.error(outcome.kind, outcome.message);

  await acton.sendMessage({
    template: "t-0099",
    to: "jane.doe@example.com",
    from: { address: "shop@example.com", name: "The Shop" },
    data: { orderNumber: "3423423-234234" },
    transactional: true, externalId: "3423423-234234", tracking: { opens: false, clicks: false },
  });

  const withFailover = defineCatalogue({
    orderShipped: {
      variables: v.object({ orderNumber: v.string(), name: v.string() }),
      message: { transactional: true },
      via: [{ vendor: "acton", template: "t-0099", message: { tracking: { opens: false, clicks: false } } }, { vendor: "listmonk", template: 3 }],
    },
  });
  const data = { orderNumber: "3423423", name: "Jane" };
  await createMailer(withFailover, { acton, listmonk }).send("orderShipped", { to, data, byVendor: { acton: { externalId: orderId } } });
}

/** `Sent.ids`: the vendor's ids, the same type for every vendor. */
export async function sentIds() {
  const outcome = await listmonk.sendMessage({ template: 3, to: "a@example.com" });
  if (outcome.ok) expectTypeOf(outcome.ids).toEqualTypeOf<readonly string[] | undefined>();
  const viaCatalogue = await mail.send("passwordReset", { to: "a@example.com", data: { link: "https://example.com" } });
  if (viaCatalogue.ok) expectTypeOf(viaCatalogue.ids).toEqualTypeOf<readonly string[] | undefined>();
}
