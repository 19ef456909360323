/**
 * Holds requests to the vendors' specs at run time (generated/<vendor>.spec.json, from specs/<vendor>.yaml),
 * with @cfworker/json-schema, which runs in workerd without `eval`.
 */
import { Validator } from "@cfworker/json-schema";
import type { VendorName } from "../../src/core/public.ts";
import acton from "../../generated/acton.spec.json";
import everlytic from "../../generated/everlytic.spec.json";
import expertsender from "../../generated/expertsender.spec.json";
import listmonk from "../../generated/listmonk.spec.json";

const SPECS: Record<VendorName, unknown> = { acton, everlytic, expertsender, listmonk };
const validators = new Map<string, Validator>();

/**
 * How `value` breaks `components.schemas.<component>` of the vendor's spec: short lines such as
 * `#/subscriber_emails/0 Instance does not match format "email"`, or none.
 *
 * @example
 * const violations = specViolations("listmonk", "TxMessage", body);
 */
export function specViolations(vendor: VendorName, component: string, value: unknown): string[] {
  const id = `${vendor}#${component}`;
  let validator = validators.get(id);
  if (!validator) {
    // `$ref`s in the spec point at `#/components/...` of the same document, so the whole document is added.
    validator = new Validator({ $ref: `spec:${vendor}#/components/schemas/${component}` }, "2020-12", false);
    validator.addSchema(SPECS[vendor] as object, `spec:${vendor}`);
    validators.set(id, validator);
  }
  const { valid, errors } = validator.validate(value);
  if (valid) return [];
  // The validator reports each failing schema and every schema above it; the innermost say the most.
  const leaves = errors.filter((error) => !/subschema|every subschema|does not match "(then|else)" schema/.test(error.error));
  return [...new Set((leaves.length ? leaves : errors).map((error) => `${error.instanceLocation} ${error.error}`))].slice(0, 10);
}

/** The OpenAPI document of a vendor, for code that reads more than schemas from it. */
export function specDocument(vendor: VendorName): unknown {
  return SPECS[vendor];
}
