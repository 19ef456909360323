/**
 * Holds a request (and its answer) to a vendor's spec as a whole operation: the path and method are one the spec
 * declares, the required query parameters are there and valid, and the answer's status is one it documents.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { loadSpec, type SpecVendor } from "./spec.ts";

type Operation = { parameters?: { name: string; in: string; required?: boolean; schema?: object }[]; responses?: Record<string, unknown> };

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** What is wrong with `request` (and `status`, its answer) under `specs/<vendor>.yaml`; [] when nothing. */
export function operationErrors(vendor: SpecVendor, request: Request, status?: number): string[] {
  const spec = loadSpec(vendor) as { paths: Record<string, Record<string, Operation>> };
  const url = new URL(request.url);
  const entry = Object.entries(spec.paths).find(([template]) => new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(url.pathname));
  if (!entry) return [`${url.pathname}: no such path in specs/${vendor}.yaml`];
  const operation = entry[1][request.method.toLowerCase()];
  if (!operation) return [`${request.method} ${entry[0]}: no such operation`];
  const errors: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== "query") continue;
    const value = url.searchParams.get(parameter.name);
    if (value === null) {
      if (parameter.required) errors.push(`query ${parameter.name} is required`);
      continue;
    }
    if (parameter.schema && !ajv.validate(parameter.schema, value)) errors.push(`query ${parameter.name}: ${ajv.errorsText()}`);
  }
  const declared = new Set(operation.parameters?.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name));
  for (const name of url.searchParams.keys()) if (!declared.has(name)) errors.push(`query ${name} is not in the spec`);
  if (status !== undefined && operation.responses && !(String(status) in operation.responses) && !("default" in operation.responses)) {
    errors.push(`${request.method} ${entry[0]} answered ${status}, which the spec does not document`);
  }
  return errors;
}

/** A `fetch` that hands each request to `fake` and keeps the request (a copy, unread) and its status. */
export function recordingFetch(fake: (request: Request) => Promise<Response>): { fetch: (request: Request) => Promise<Response>; exchanges: { request: Request; status: number }[] } {
  const exchanges: { request: Request; status: number }[] = [];
  return {
    exchanges,
    fetch: async (request) => {
      const copy = request.clone() as Request;
      const response = await fake(request);
      exchanges.push({ request: copy, status: response.status });
      return response;
    },
  };
}
