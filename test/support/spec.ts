/**
 * The specs as JSON Schema validators, so tests can hold request bodies (and doubles can hold incoming
 * requests) to the same rules the spec states.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import type { VendorName } from "../../src/core/outcome.ts";

export type SpecVendor = VendorName;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
const loaded = new Set<SpecVendor>();

export function loadSpec(vendor: SpecVendor): Record<string, unknown> {
  return parse(readFileSync(new URL(`../../specs/${vendor}.yaml`, import.meta.url), "utf8"));
}

/** A validator for `components.schemas.<name>` of a vendor's spec. */
export function specSchema(vendor: SpecVendor, name: string): ValidateFunction {
  if (!loaded.has(vendor)) {
    // The whole document is added under an id so `#/components/...` references resolve inside it;
    // OpenAPI-only keywords (`xml`, `example`, `discriminator`) are ignored in non-strict mode.
    ajv.addSchema({ ...loadSpec(vendor), $id: `spec:${vendor}` });
    loaded.add(vendor);
  }
  const validate = ajv.getSchema(`spec:${vendor}#/components/schemas/${name}`);
  if (!validate) throw new Error(`specs/${vendor}.yaml has no components.schemas.${name}`);
  return validate;
}

/** Validation errors as short strings (`/subscriber_emails/0 must match format "email"`), or [] when valid. */
export function specErrors(vendor: SpecVendor, name: string, value: unknown): string[] {
  const validate = specSchema(vendor, name);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`);
}
