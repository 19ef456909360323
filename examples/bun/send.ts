/**
 * Act-On from Bun, against txgate/testing's Act-On fake: the client gets its OAuth token first, then sends; and a
 * message with a bad address is refused before anything is sent, naming the field and the rule it broke.
 * `bun start` runs it.
 */
import { createActOnClient } from "txgate/acton";
import { ACTON_FAKE_ACCOUNT, createActOnFake } from "txgate/testing";

const acton = createActOnFake();
const client = createActOnClient({ baseUrl: "https://acton.example.com", ...ACTON_FAKE_ACCOUNT, fetch: acton.fetch });
// Act-On asks for an externalId (it tells two sends apart) and tracking choices on every message.
const message = {
  template: "t-0099",
  from: { address: "support@example.com", name: "Support" },
  data: { name: "Jane" },
  transactional: true,
  externalId: crypto.randomUUID(),
  tracking: { opens: false, clicks: false },
};

const refused = await client.sendMessage({ ...message, to: "jane.example.com" });
if (refused.kind !== "validation") throw new Error(`expected a validation failure, got ${refused.kind}`);
console.log(`refused before sending: ${refused.issues.map((issue) => `${issue.path} (${issue.rule})`).join(", ")}`);

const outcome = await client.sendMessage({ ...message, to: "jane@example.com" });
if (!outcome.ok) throw new Error(`${outcome.kind}: ${outcome.message}`);
console.log(`sent by ${outcome.vendor} after ${acton.tokenCalls.length} token request(s); the fake received it for ${acton.delivered.map((sent) => sent.to).join("; ")}`);
