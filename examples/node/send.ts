/**
 * One message through txgate's listmonk client, from Node, against txgate/testing's listmonk fake: the fake is the
 * client's `fetch`, so nothing leaves the process. For real sends, drop the fake and `fetch`, and pass your
 * listmonk's URL and API user. `npm start` runs it (Node 22.18 or later runs TypeScript as it is).
 */
import { createListmonkClient } from "txgate/listmonk";
import { createListmonkFake, LISTMONK_FAKE_CREDENTIALS } from "txgate/testing";

const listmonk = createListmonkFake();
const client = createListmonkClient({ baseUrl: "https://listmonk.example.com", ...LISTMONK_FAKE_CREDENTIALS, fetch: listmonk.fetch });

const outcome = await client.sendMessage({
  template: 3,
  to: "jane@example.com",
  from: { address: "shop@example.com", name: "The Shop" },
  data: { orderNumber: "3423423", name: "Jane" },
});

// A send never throws: every answer is a value, and `kind` says which.
switch (outcome.kind) {
  case "sent":
    console.log(`sent by ${outcome.vendor} (HTTP ${outcome.status}); the fake received it for ${listmonk.outbox.map((message) => message.to.join(", ")).join("; ")}`);
    break;
  case "validation":
    // Nothing was sent: each issue names a field and the rule it broke.
    for (const issue of outcome.issues) console.error(`${issue.path}: ${issue.message} (${issue.rule})`);
    throw new Error("the message is not valid");
  default:
    // `retryable` says whether sending again is safe; `delivery` whether the email may have gone out.
    throw new Error(`${outcome.kind}: ${outcome.message} (retryable: ${outcome.retryable}, delivery: ${outcome.delivery})`);
}
