/**
 * The workerd leg of the runtime matrix (test/runtimes/ has Node, Bun and Deno), against the source: each vendor
 * entry, imported into workerd, sends to its double over real HTTP and gets the documented success.
 */
import * as acton from "../../src/acton/index.ts";
import * as everlytic from "../../src/everlytic/index.ts";
import * as expertsender from "../../src/expertsender/index.ts";
import * as listmonk from "../../src/listmonk/index.ts";
import { describeVendorSmoke } from "./support/runtime-smoke-cases.ts";

describeVendorSmoke("every vendor entry sends from workerd", { ...acton, ...everlytic, ...expertsender, ...listmonk });
