/**
 * Strings that can reach a mail header (a recipient, a value a template puts in a subject or a name) must not
 * be able to start a new header or break the line limit. Every string a browser sends is treated as such,
 * except the variables an action names as multi-line (a message body).
 */
import { Refusal } from "../problem.ts";
import { passTextGates, type TextGate } from "./walk.ts";

/** RFC 5322's line limit, without the CRLF. */
export const HEADER_TEXT_MAX_LENGTH = 998;
/**
 * What no header-bound string may hold: CR, LF and every other C0 control but tab; DEL and the C1 controls
 * (U+0085 NEL among them); the Unicode line and paragraph separators (U+2028, U+2029); and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a name or subject read
 * differently from what it is.
 */
const HEADER_BREAKERS = /[\0-\x08\n-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/**
 * Multi-line text may break lines (LF, CR, CRLF, and U+2028/U+2029) and hold tabs; the other controls and the
 * bidirectional formatting characters are refused there too.
 */
const TEXT_CONTROLS = /[\0-\x08\v\f\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
/**
 * Invisible formatting characters (Unicode category Cf: zero-width spaces and joiners U+200B–U+200D, the
 * direction marks U+200E, U+200F and U+061C, U+2060–U+2064, U+FEFF, U+180E, the soft hyphen, tag characters…)
 * make a one-line value read as something it is not, or hide text from whoever reads it; refused there.
 */
const INVISIBLE = /\p{Cf}/u;
/** Half of a surrogate pair, alone: not a character, and UTF-8 (every mail's encoding) cannot carry it. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * The header-text gate for `passTextGates`: a lone surrogate anywhere; in a header-bound string a line break, a
 * control, bidirectional or other invisible formatting character, or over 998 characters; in multi-line text the
 * controls and bidirectional formatting characters.
 *
 * @example
 * passTextGates({ recipient, variables }, [HEADER_TEXT], { multiline: ["variables.message"] });
 */
export const HEADER_TEXT: TextGate = {
  under: undefined,
  check(value, path, inText) {
    if (LONE_SURROGATE.test(value)) return { path, rule: "well_formed_unicode", message: "must not contain half of a surrogate pair" };
    if (inText) return TEXT_CONTROLS.test(value) ? { path, rule: "no_control_characters", message: "must not contain control or bidirectional formatting characters" } : undefined;
    if (HEADER_BREAKERS.test(value)) return { path, rule: "no_line_breaks", message: "must not contain line breaks, control or bidirectional formatting characters" };
    if (INVISIBLE.test(value)) return { path, rule: "no_invisible_characters", message: "must not contain invisible formatting characters (zero-width, direction marks)" };
    if (value.length > HEADER_TEXT_MAX_LENGTH) return { path, rule: "max_length", message: `must be at most ${HEADER_TEXT_MAX_LENGTH} characters` };
    return undefined;
  },
  refuse: (issues) => new Refusal("validation", "a value would break a mail header", { issues }),
};

/**
 * Refuses (422, one issue per string) any header-bound string with a line break, a control, bidirectional or
 * other invisible formatting character, or over 998 characters, and any string with a lone surrogate. Strings at or under a `multiline` path (`variables.message`)
 * may hold line breaks, but none of the others. Values nested deeper than `MAX_NESTING` are refused too.
 *
 * @example
 * checkHeaderText({ recipient, variables }, { multiline: ["variables.message"] });
 */
export function checkHeaderText(fields: Record<string, unknown>, options: { multiline?: readonly string[] } = {}): void {
  passTextGates(fields, [HEADER_TEXT], options);
}
