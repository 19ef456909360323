/**
 * One address rule and one IP rule, proven equal to the specs: each case goes through the vendor's valibot
 * schema (what the client enforces) and through Ajv on the vendor's spec (what the wire allows), and the two
 * must agree. The tables hold the cases that once split them (`a@b`, `.a@b.co`, `a..b@b.co`, `!a@a.aa`,
 * `fe80::1%eth0`, `::0:0:0:0:0:0.0.0.0`) with ordinary and edge cases around them.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ActOnMessageSchema } from "../../src/acton/index.js";
import { EverlyticMessageSchema } from "../../src/everlytic/index.js";
import { ExpertSenderMessageSchema } from "../../src/expertsender/index.js";
import { ListmonkMessageSchema } from "../../src/listmonk/index.js";
import { specErrors, type SpecVendor } from "../support/spec.js";

/** [address, whether `format: email` accepts it] */
const addresses: [string, boolean][] = [
  ["jane.doe@example.com", true],
  ["a@b.co", true],
  ["!a@a.aa", true],
  ["#!$%&'*+/=?^_`{|}~-@example.com", true],
  ["first.middle.last@sub.example.co.uk", true],
  ["UPPER@EXAMPLE.COM", true],
  ["1@2.3", true],
  ["a@b-c.de", true],
  ["x@xn--bcher-kva.example", true],
  ["a@b", false],
  [".a@b.co", false],
  ["a..b@b.co", false],
  ["a.@b.co", false],
  ["a@-b.co", false],
  ["a@b-.co", false],
  ["a@b..co", false],
  ["a@.b.co", false],
  ["Jane <a@b.co>", false],
  ["a@b.co, c@d.ee", false],
  ["a@b.co\n", false],
  ["a@b.co\r\nBcc: x@y.zz", false],
  [" a@b.co", false],
  ["a b@c.de", false],
  ['"quoted"@example.com', false],
  ["a@[127.0.0.1]", false],
  ["ü@example.com", false],
  ["a@exämple.com", false],
  ["", false],
  ["@b.co", false],
  ["a@", false],
  ["a@@b.co", false],
];
/** Over 254 characters: refused where the spec has `maxLength: 254` (listmonk, Everlytic), accepted elsewhere. */
const long = `${"x".repeat(64)}@${["d", "e", "f", "g"].map((letter) => letter.repeat(60)).join(".")}.com`;

/** Where each vendor takes an address: the message around it, and the wire value the spec judges. */
const addressFields: { vendor: SpecVendor; field: string; schema: v.GenericSchema; message: (address: string) => unknown; spec: string; wire: (message: any) => unknown }[] = [
  ...(["toAddress", "fromAddress", "replyToAddress"] as const).map((field) => ({
    vendor: "acton" as const,
    field,
    schema: ActOnMessageSchema,
    message: (address: string) => ({
      templateId: "t",
      envelope: { toAddress: "jane@example.com", [field]: address },
      metadata: { transactional: false, externalId: "1" },
      actions: { trackOpens: false, trackClicks: false },
    }),
    spec: "EteEmailRequest",
    wire: ({ templateId: _, ...body }: any) => body,
  })),
  {
    vendor: "acton",
    field: "ccAddressList",
    schema: ActOnMessageSchema,
    message: (address) => ({
      templateId: "t",
      envelope: { toAddress: "jane@example.com", ccAddressList: [address] },
      metadata: { transactional: false, externalId: "1" },
      actions: { trackOpens: false, trackClicks: false },
    }),
    spec: "EteEmailRequest",
    wire: ({ templateId: _, ...body }) => body,
  },
  {
    vendor: "listmonk",
    field: "subscriber_emails",
    schema: ListmonkMessageSchema,
    message: (address) => ({ template_id: 2, subscriber_emails: [address] }),
    spec: "TxMessage",
    wire: (message) => message,
  },
  {
    vendor: "everlytic",
    field: "headers.to",
    schema: EverlyticMessageSchema,
    message: (address) => ({ body: { html: "<p>Hi</p>" }, headers: { subject: "Hi", from: { email: "shop@example.com" }, to: [{ email: address }] } }),
    spec: "SendMailRequest",
    wire: (message) => message,
  },
  {
    vendor: "expertsender",
    field: "Receiver.Email",
    schema: ExpertSenderMessageSchema,
    message: (address) => ({ transactionalId: 1, Receiver: { Email: address } }),
    spec: "Receiver",
    wire: (message) => message.Receiver,
  },
];

describe("every address field agrees with the spec's format: email", () => {
  for (const { vendor, field, schema, message, spec, wire } of addressFields) {
    it.each([...addresses, [long, !["listmonk", "everlytic"].includes(vendor)] as [string, boolean]])(
      `${vendor} ${field}: %j`,
      (address, accepted) => {
        const input = message(address);
        expect(specErrors(vendor, spec, wire(input)).length === 0).toBe(accepted);
        const parsed = v.safeParse(schema, input);
        expect(parsed.issues?.map((issue) => issue.message) ?? []).toEqual(accepted ? [] : [expect.any(String)]);
      },
    );
  }
});

/** [Ip, whether `anyOf: [format: ipv4, format: ipv6]` accepts it] */
const ips: [string, boolean][] = [
  ["192.0.2.1", true],
  ["0.0.0.0", true],
  ["255.255.255.255", true],
  ["::", true],
  ["::1", true],
  ["fe80::1", true],
  ["FE80::1", true],
  ["2001:db8::8a2e:370:7334", true],
  ["1:2:3:4:5:6:7:8", true],
  ["::ffff:192.0.2.1", true],
  ["::0:0:0:0:0:0.0.0.0", true],
  ["1:2:3:4:5:6:1.2.3.4", true],
  ["1::1.2.3.4", true],
  ["::1.2.3.4", true],
  ["fe80::1%eth0", false],
  ["fe80::1%1", false],
  ["256.0.0.1", false],
  ["01.2.3.4", false],
  ["1.2.3", false],
  ["1.2.3.4.5", false],
  ["[::1]", false],
  ["::1/128", false],
  ["1:2:3:4:5:6:7:8:9", false],
  ["1::2::3", false],
  ["::ffff:1.2.3.256", false],
  ["12345::1", false],
  ["", false],
  [" 192.0.2.1", false],
  ["192.0.2.1\n", false],
  ["localhost", false],
];

describe("ExpertSender Receiver.Ip agrees with the spec's anyOf ipv4, ipv6", () => {
  it.each(ips)("%j", (ip, accepted) => {
    const receiver = { Email: "patrick@example.com", Ip: ip };
    expect(specErrors("expertsender", "Receiver", receiver).length === 0).toBe(accepted);
    const parsed = v.safeParse(ExpertSenderMessageSchema, { transactionalId: 1, Receiver: receiver });
    expect(parsed.issues?.map((issue) => `${issue.type} ${issue.message}`) ?? []).toEqual(accepted ? [] : [expect.stringMatching(/^ip /)]);
  });
});
