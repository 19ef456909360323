/**
 * `client.validate(message)`: the check `send` starts with, on its own, for accepting a message now and sending it
 * later. It refuses exactly what `send` refuses, with the same outcome, and asks nothing of anyone: no request,
 * no token, no pacing slot.
 */
import { describe, expect, it } from "vitest";
import { createActOnClient } from "../../src/acton/index.js";
import { memoryTokenStore } from "../../src/acton/tokens.js";
import { createEverlyticClient } from "../../src/everlytic/index.js";
import { createExpertSenderClient } from "../../src/expertsender/index.js";
import { createListmonkClient } from "../../src/listmonk/index.js";

let requests = 0;
const fetch = async () => {
  requests++;
  return new Response("no request is expected", { status: 500 });
};

const clients = {
  listmonk: createListmonkClient({ baseUrl: "https://lists.example", username: "u", token: "t", fetch }),
  acton: createActOnClient({ accountId: "1", credentials: { username: "u", password: "p", clientId: "c", clientSecret: "s" }, tokenStore: memoryTokenStore(), fetch }),
  everlytic: createEverlyticClient({ baseUrl: "https://everlytic.example", username: "u", apiKey: "k", fetch }),
  expertsender: createExpertSenderClient({ baseUrl: "https://api.example", apiKey: "k", fetch }),
};
const invalid = {
  listmonk: { subscriber_emails: ["not an address"] },
  acton: { templateId: "t", envelope: { toAddress: "nobody" } },
  everlytic: { headers: { to: [] } },
  expertsender: { transactionalId: "123", Receiver: {} },
};
const valid = {
  listmonk: { subscriber_emails: ["ada@example.com"], template_id: 2 },
  acton: { templateId: "t-plain", envelope: { toAddress: "jane.doe@example.com" }, metadata: { transactional: false, externalId: "o-1" }, actions: { trackOpens: false, trackClicks: false } },
  everlytic: { body: { html: "<p>Hi</p>" }, headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: "joe@example.com" }] } },
  expertsender: { transactionalId: 123, Receiver: { Email: "patrick@example.com" } },
};

describe("validate", () => {
  for (const vendor of Object.keys(clients) as (keyof typeof clients)[]) {
    it(`${vendor}: the validation outcome send would return, asking nothing of anyone`, async () => {
      const client = clients[vendor];
      const before = requests;
      const ahead = client.validate(invalid[vendor]);
      expect(ahead).toMatchObject({ ok: false, kind: "validation", vendor, delivery: "not_sent", retryable: false, attempts: 0 });
      expect(ahead).toEqual(await client.send(invalid[vendor] as never));
      expect(client.validate(valid[vendor])).toBeUndefined();
      expect(requests).toBe(before);
    });
  }
});
