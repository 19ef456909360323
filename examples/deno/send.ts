/**
 * A catalogue with failover, from Deno: the template `orderShipped` is declared once and rendered by listmonk or,
 * when listmonk's answer proves nothing was sent, by Everlytic. Both vendors are txgate/testing's fakes, and
 * listmonk's is told to answer its next sends with 503 (down for maintenance), so the send fails over.
 * `deno task start` runs it (Deno reads txgate from node_modules, as `npm install` put it there).
 */
import * as v from "valibot";
import { createMailer, defineCatalogue } from "txgate/catalogue";
import { createEverlyticClient } from "txgate/everlytic";
import { createListmonkClient } from "txgate/listmonk";
import { createEverlyticFake, createListmonkFake, EVERLYTIC_FAKE_CREDENTIALS, LISTMONK_FAKE_CREDENTIALS } from "txgate/testing";

const catalogue = defineCatalogue({
  orderShipped: {
    variables: v.object({ orderNumber: v.string(), name: v.string() }),
    message: { transactional: true, from: { address: "shop@example.com", name: "The Shop" } },
    via: [
      { vendor: "listmonk", template: 3 },
      { vendor: "everlytic", template: "order-shipped" },
    ],
  },
});

const listmonkFake = createListmonkFake({ failNext: ["503", "503", "503"] });
const everlyticFake = createEverlyticFake();
const mail = createMailer(catalogue, {
  listmonk: createListmonkClient({ baseUrl: "https://listmonk.example.com", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonkFake.fetch }),
  everlytic: createEverlyticClient({ baseUrl: "https://everlytic.example.com", ...EVERLYTIC_FAKE_CREDENTIALS, fetch: everlyticFake.fetch }),
});

const outcome = await mail.send("orderShipped", { to: "jane@example.com", data: { orderNumber: "3423423", name: "Jane" } });
if (!outcome.ok) throw new Error(`${outcome.kind}: ${outcome.message}`);
const tried = outcome.failover.map((failure) => `${failure.vendor} (${failure.kind}, ${failure.delivery})`).join(", ");
console.log(`sent by ${outcome.vendor} after ${tried}; the fake received it for ${everlyticFake.outbox.map((message) => message.to.join(", ")).join("; ")}`);
