/**
 * What a vendor's tests give the registry-driven suite (./conformance.test.ts): `test/<vendor>/fixtures.ts` exports
 * `conformance`, and the suite runs the shapes every vendor shares from it (bad input refused and never sent, good
 * input accepted, valibot and the spec agreeing), through the vendor's own descriptor and txgate/testing fake.
 * What only one vendor does stays in its own test files. A fixtures file imports nothing that needs Node at load (the
 * spec helpers are loaded when called), so the Worker's suites, inside workerd, can read a vendor's `sample` too.
 */
import type { GenericSchema } from "valibot";

/** A native message the client refuses: what is wrong, the input, and the issues as `path rule`. */
export type InvalidCase = readonly [what: string, input: unknown, issues: readonly string[]];

/** A native message the client accepts: what it is, and the input. */
export type ValidCase = readonly [what: string, input: unknown];

/**
 * A vendor's cases for the shared suite.
 *
 * @example
 * export const conformance: VendorConformance = { sample: { template_id: 2, subscriber_emails: ["ada@example.com"] }, invalid, valid };
 */
export interface VendorConformance {
  /** A native message its sandbox fake sends (`ok`): what suites that need one message per vendor send. */
  readonly sample: unknown;
  /** Native messages the client refuses: each a `validation` outcome naming these issues, nothing sent. */
  readonly invalid: readonly InvalidCase[];
  /** Whether `invalid`'s issues are every issue the client names (`exact`) or among them (`among`, the default). */
  readonly issues?: "exact" | "among";
  /** Native messages the client accepts. */
  readonly valid: readonly ValidCase[];
  /**
   * The vendor's spec against its valibot schema: both refuse `invalid` (those the wire can carry) and both accept
   * `valid`. None: the vendor's own spec-agreement test says more than this would.
   */
  readonly spec?: {
    readonly schema: GenericSchema;
    /** What the spec says is wrong with an invalid input as it would go on the wire. */
    refuses(input: unknown): readonly string[] | Promise<readonly string[]>;
    /**
     * What the spec says is wrong with the body the client builds from a parsed valid input. None: what the client
     * sends of each valid input, which the vendor's fake checks against the spec, is the check.
     */
    accepts?(parsed: unknown): readonly string[] | Promise<readonly string[]>;
    /** The invalid inputs the spec can judge (say, not attachments that travel as multipart parts). All: none given. */
    judges?(input: unknown): boolean;
  };
}
