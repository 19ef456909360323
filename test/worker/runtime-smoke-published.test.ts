/**
 * The workerd leg of the runtime matrix against the files npm publishes (dist/, the bundles `npm run build`
 * writes), with the same cases as runtime-smoke.test.ts runs against the source.
 */
import * as acton from "../../dist/src/acton/index.js";
import * as everlytic from "../../dist/src/everlytic/index.js";
import * as expertsender from "../../dist/src/expertsender/index.js";
import * as listmonk from "../../dist/src/listmonk/index.js";
import { describeVendorSmoke } from "./support/runtime-smoke-cases.ts";

describeVendorSmoke("every published vendor entry sends from workerd", { ...acton, ...everlytic, ...expertsender, ...listmonk });
