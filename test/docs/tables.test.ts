/**
 * The tables in docs/ that state facts about the code are written from it (scripts/docs-tables.ts): each marked
 * block must be exactly what the script writes now, and the capability table's "—" must be exactly what
 * `unsupportedFields` refuses. Nothing outside the markers is read.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unsupportedFields } from "../../src/core/capabilities.ts";
import type { ValidTemplateMessage } from "../../src/core/message.ts";
import { VENDOR_NAMES, VENDORS } from "../../src/vendors/registry.ts";
import { capabilityTable, GENERATED_BLOCKS, generatedBlock } from "../../scripts/docs-tables.ts";

const root = new URL("../../", import.meta.url);

describe("generated tables in docs/", () => {
  it.each(GENERATED_BLOCKS.map((block) => [`${block.file}: ${block.name}`, block] as const))("%s is what npm run docs:tables writes", (_, block) => {
    const written = generatedBlock(readFileSync(new URL(block.file, root), "utf8"), block.name);
    expect(written, `run npm run docs:tables to rewrite ${block.file}`).toBe(block.render());
  });
});

/** One value of each field of the common message, each one a vendor could carry if it takes the field at all. */
const SAMPLES: Record<string, Partial<ValidTemplateMessage>> = {
  to: { to: "to@example.com" },
  cc: { cc: "cc@example.com" },
  bcc: { bcc: "bcc@example.com" },
  from: { from: "from@example.com" },
  replyTo: { replyTo: "reply@example.com" },
  subject: { subject: "Your order" },
  data: { data: { name: "Jane" } },
  attachments: { attachments: [{ content: new Uint8Array([1]), filename: "a.txt" }] },
  tags: { tags: ["orders"] },
  externalId: { externalId: "order-1" },
  transactional: { transactional: true },
  tracking: { tracking: { opens: false, clicks: false } },
};

describe("the capability table", () => {
  const rows = capabilityTable()
    .split("\n")
    .slice(2)
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |`| \|$/g, "")));

  it.each(VENDOR_NAMES)("%s: a field marked — is refused with unsupported_by_vendor, and only that one", (vendor) => {
    const { capabilities } = VENDORS[vendor];
    const column = VENDOR_NAMES.indexOf(vendor) + 1;
    const template = capabilities.template === "number" ? 3 : "t-3";
    for (const [field, ...cells] of rows) {
      if (field === "template") continue;
      const message = { template, to: "to@example.com", ...SAMPLES[field!] } as ValidTemplateMessage;
      const refused = unsupportedFields(capabilities, message).some((issue) => issue.path === field || issue.path.startsWith(`${field}.`));
      expect(refused, `${vendor} ${field}`).toBe(cells[column - 1] === "—");
    }
  });
});
