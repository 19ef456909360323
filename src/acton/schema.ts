/**
 * Act-On's documented rules for an Event-Triggered Email (specs/acton.yaml, EteEmailRequest), checked before
 * anything is sent. Where Act-On's two pages disagree, the reading that cannot send an unwanted email wins:
 * `transactional`, `externalId`, `trackOpens` and `trackClicks` must be given, never defaulted.
 */
import * as v from "valibot";
import { emailAddress } from "../core/formats.ts";
import { named, noLineBreaks, plainObject, record } from "../core/validation.ts";

/** One bare address, as the spec's `format: email` has it (core/formats.ts; the spec's no-CR/LF pattern is implied). */
const Address = v.pipe(v.string(), emailAddress);

/** A URL path segment: `.` and `..` would be collapsed by URL parsing into a different endpoint. */
export const PathSegment = v.pipe(
  v.string(),
  v.minLength(1),
  named("path_segment", v.check((id: string) => id !== "." && id !== "..", "must not be . or ..")),
  // The spec's pattern, with the same `u` flag Ajv gives it: a path segment is percent-encoded as UTF-8.
  named("well_formed_unicode", v.regex(/^[^\uD800-\uDFFF]*$/u, "must not contain an unpaired surrogate (no URL can carry one)")),
);

/** A header-bound line; lengths count UTF-16 units, which is never more lenient than Act-On's count. */
const Line = (max = Infinity) => v.pipe(v.string(), v.maxLength(max), noLineBreaks);

const TRANSACTIONAL =
  "must be stated: true only for email that is transactional by law (it reaches contacts who opted out), false for commercial email";

/**
 * An Event-Triggered Email: the template to send and the EmailDetails body (`envelope`, `content`, `metadata`,
 * `actions`), field for field as Act-On documents them.
 *
 * @example
 * const parsed = v.safeParse(ActOnMessageSchema, message);
 */
export const ActOnMessageSchema = v.strictObject({
  /** ID of a template saved with "Make this Template available in API calls". */
  templateId: PathSegment,
  envelope: v.strictObject({
    /** The one recipient: a single address, not a list. */
    toAddress: Address,
    ccAddressList: v.optional(v.pipe(v.array(Address), v.maxLength(5))),
    fromAddress: v.optional(Address),
    fromDisplayName: v.optional(Line()),
    replyToAddress: v.optional(Address),
  }),
  content: v.optional(
    plainObject(
      v.strictObject({
        subjectLine: v.optional(Line(90)),
        previewText: v.optional(Line(240)),
        /** Every personalization field of the template, each value a string. */
        personalizationDataMap: v.optional(plainObject(record(v.string(), v.string()))),
      }),
    ),
  ),
  /** Whether the message is transactional, its id in your system, and its tracking. */
  metadata: v.strictObject(
    {
      /** Legal weight: `true` reaches contacts who opted out of marketing mail, so the caller must say it. */
      transactional: v.boolean(TRANSACTIONAL),
      externalId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
      tagList: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(48))), v.maxLength(1))),
    },
    (issue) => (issue.expected === '"transactional"' ? TRANSACTIONAL : issue.message),
  ),
  actions: v.strictObject({
    trackOpens: v.boolean(),
    trackClicks: v.boolean(),
    /** Documented as ignored by Act-On; accepted so such bodies pass. */
    deliveryWhenDelayed: v.optional(v.picklist(["TRUE", "FALSE", "FIVE_MINUTES"])),
  }),
});

/**
 * What `send` accepts: `templateId` plus the EmailDetails body, camelCase as Act-On spells it.
 *
 * @example
 * const message: ActOnMessage = {
 *   templateId: "t-0099",
 *   envelope: { toAddress: "jane.doe@example.com" },
 *   metadata: { transactional: false, externalId: "order-1001" },
 *   actions: { trackOpens: false, trackClicks: false },
 * };
 */
export type ActOnMessage = v.InferInput<typeof ActOnMessageSchema>;

