/**
 * The library's promises on generated input, per vendor (issue 11): `send` never rejects or hangs; the outcome's
 * kind is a documented one and a validation outcome names each field and rule; a validation outcome sends nothing;
 * every request sent is valid against the vendor's spec and carries the input's values unchanged; no header holds
 * CR or LF and no credential shows where it should not. The same promises hold for valid messages whatever the
 * vendor answers. `npm test` tries FUZZ_RUNS (300) inputs per vendor with a fixed seed; `npm run fuzz` tries 10,000
 * and prints the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actonFuzz } from "./acton.js";
import { everlyticFuzz } from "./everlytic.js";
import { expertSenderFuzz } from "./expertsender.js";
import { counterexample, countsTable, countVerdicts, evaluate, inputsOf, keep, PROPERTIES, RUNS, SEED, type Counts, type KeptVerdict, type Property, type RunKind, type VendorFuzz } from "./harness.js";
import { listmonkFuzz } from "./listmonk.js";

const vendors: VendorFuzz[] = [listmonkFuzz, actonFuzz, everlyticFuzz, expertSenderFuzz];
const counts: [string, Counts][] = [];
/** Time for the whole run of one vendor: sends answer at once, so this is generous even on a busy machine. */
const RUN_TIMEOUT_MS = Math.max(120_000, RUNS * 200);

afterAll(() => {
  if (counts.length) console.log(`Generated inputs per vendor: ${RUNS}, seed ${SEED}\n${countsTable(counts)}`);
});

function suite(fuzz: VendorFuzz, kind: RunKind) {
  describe(`${fuzz.vendor} on generated ${kind}`, () => {
    const verdicts: KeptVerdict[] = [];

    beforeAll(async () => {
      const started = performance.now();
      for (const generated of inputsOf(fuzz, kind)) verdicts.push(keep(await evaluate(fuzz, generated)));
      counts.push([kind === "inputs" ? fuzz.vendor : `${fuzz.vendor} (answers)`, { ...countVerdicts(verdicts), seconds: (performance.now() - started) / 1000 }]);
    }, RUN_TIMEOUT_MS);

    it(kind === "inputs" ? "tries every generated input, and sends some and refuses some" : "sends every valid message once, whatever the answer", () => {
      expect(verdicts).toHaveLength(RUNS);
      const { sent, validation } = countVerdicts(verdicts);
      if (kind === "inputs") {
        expect(sent).toBeGreaterThan(0);
        expect(validation).toBeGreaterThan(0);
      } else {
        // A valid message refused is the "a valid message is sent" property's failure, with its counterexample.
        expect(validation).toBeLessThanOrEqual(verdicts.filter((verdict) => verdict.problems.validRefused).length);
        expect(verdicts.filter((verdict) => verdict.requests === 0 && verdict.kind !== "aborted" && verdict.kind !== "validation").length).toBe(0);
      }
    });

    for (const property of Object.keys(PROPERTIES) as Property[]) {
      it(PROPERTIES[property], async () => {
        const failing = verdicts.filter((verdict) => verdict.problems[property] !== undefined);
        if (failing.length === 0) return;
        const example = await counterexample(fuzz, property, failing[0]!, kind);
        expect.fail(`${failing.length} of ${verdicts.length} inputs (seed ${SEED}); smallest found: ${example}`);
      }, RUN_TIMEOUT_MS);
    }
  });
}

for (const fuzz of vendors) suite(fuzz, "inputs");
for (const fuzz of vendors) suite(fuzz, "answers");
