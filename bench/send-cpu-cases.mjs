// What each client sends in the CPU bench: per txgate vendor, the native message for `send`, the common message for
// `sendMessage` and a one-template catalogue, chosen so that all three put the same request on the wire (the bench
// checks it); and per peer, the SDK's call. Imports nothing: the child process that uses it resolves the packages.
const acton = { username: "ops@example.com", password: "bench-password", clientId: "bench-client", clientSecret: "bench-secret" };

/** txgate's vendors. `ratePerSecond` is set above what the bench reaches, so Act-On's pacing never waits. */
export const vendors = {
  listmonk: {
    entry: "txgate/listmonk",
    create: (entry, baseUrl) => entry.createListmonkClient({ baseUrl, username: "api_user", token: "bench-token" }),
    send: { subscriber_emails: ["ada@example.com"], template_id: 2, data: { order: "1234", items: [1, 2, 3] } },
    message: { template: 2, to: ["ada@example.com"], data: { order: "1234", items: [1, 2, 3] } },
    route: { vendor: "listmonk", template: 2 },
    variables: (v) => v.object({ order: v.string(), items: v.array(v.number()) }),
  },
  acton: {
    entry: "txgate/acton",
    create: (entry, baseUrl) => entry.createActOnClient({ baseUrl, accountId: "1234567", credentials: acton, ratePerSecond: 1_000_000 }),
    send: {
      templateId: "t-0099",
      envelope: { toAddress: "jane.doe@example.com" },
      content: { personalizationDataMap: { orderNumber: "3423423-234234" } },
      metadata: { transactional: true, externalId: "3423423-234234" },
      actions: { trackOpens: false, trackClicks: false },
    },
    message: {
      template: "t-0099",
      to: ["jane.doe@example.com"],
      data: { orderNumber: "3423423-234234" },
      transactional: true,
      externalId: "3423423-234234",
      tracking: { opens: false, clicks: false },
    },
    route: { vendor: "acton", template: "t-0099", message: { transactional: true, tracking: { opens: false, clicks: false } } },
    variables: (v) => v.object({ orderNumber: v.string() }),
    byVendor: { acton: { externalId: "3423423-234234" } },
  },
  everlytic: {
    entry: "txgate/everlytic",
    create: (entry, baseUrl) => entry.createEverlyticClient({ baseUrl, username: "acme", apiKey: "bench-api-key" }),
    send: {
      body: { personalisation_fields: { common_fields: { name: "Joe", order: "1234" } } },
      headers: { subject: "Shipped", to: [{ email: "joe@example.com", name: "Joe" }] },
      options: { template_id: "42" },
    },
    message: { template: "42", subject: "Shipped", to: [{ address: "joe@example.com", name: "Joe" }], data: { name: "Joe", order: "1234" } },
    route: { vendor: "everlytic", template: "42", message: { subject: "Shipped" } },
    variables: (v) => v.object({ name: v.string(), order: v.string() }),
  },
  expertsender: {
    entry: "txgate/expertsender",
    create: (entry, baseUrl) => entry.createExpertSenderClient({ baseUrl, apiKey: "bench-api-key" }),
    // sendMessage asks for the message GUID (ReturnGuid); `send` asks for it too, so all three send one request.
    send: { transactionalId: 123, ReturnGuid: true, Receiver: { Email: "patrick@example.com" }, Snippets: [{ Name: "helloMessage", Value: "Hello Patrick!" }] },
    message: { template: 123, to: ["patrick@example.com"], data: { helloMessage: "Hello Patrick!" } },
    route: { vendor: "expertsender", template: 123 },
    variables: (v) => v.object({ helloMessage: v.string() }),
  },
};

/** The peers: each SDK's own send, to the same mock (Resend's `/emails`, Postmark's `/email`). */
export const peers = {
  resend: {
    send: async (baseUrl) => {
      // Resend's SDK reads its base URL from the environment (it has no option for it).
      process.env.RESEND_BASE_URL = baseUrl;
      const { Resend } = await import("resend");
      const resend = new Resend("re_bench_key");
      const email = { from: "shop@example.com", to: ["ada@example.com"], subject: "Shipped", html: "<p>Your order 1234 has shipped</p>" };
      return async () => {
        const { error } = await resend.emails.send(email);
        if (error) throw new Error(`resend: ${JSON.stringify(error)}`);
      };
    },
  },
  postmark: {
    send: async (baseUrl) => {
      const { ServerClient } = (await import("postmark")).default ?? (await import("postmark"));
      const client = new ServerClient("bench-server-token", { useHttps: false, requestHost: new URL(baseUrl).host });
      const email = { From: "shop@example.com", To: "ada@example.com", Subject: "Shipped", HtmlBody: "<p>Your order 1234 has shipped</p>" };
      return async () => {
        const answer = await client.sendEmail(email);
        if (answer.ErrorCode !== 0) throw new Error(`postmark: ${answer.Message}`);
      };
    },
  },
};
