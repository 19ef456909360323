/**
 * Strings that can reach a mail header (a recipient, a value a template puts in a subject or a name) must not
 * be able to start a new header or break the line limit. Every string a browser sends is treated as such,
 * except the variables an action names as multi-line (a message body).
 */
import type { ValidationIssue } from "../../src/core/public.ts";
import { Refusal } from "../problem.ts";

/** RFC 5322's line limit, without the CRLF. */
export const HEADER_TEXT_MAX_LENGTH = 998;
/** CR, LF and every other C0 control but tab, which no header value may carry. */
const HEADER_BREAKERS = /[\0-\x08\n-\x1f\x7f]/;
/** In multi-line text only line breaks and tabs are allowed among the controls. */
const TEXT_CONTROLS = /[\0-\x08\v\f\x0e-\x1f\x7f]/;

/**
 * Refuses (422, one issue per string) any header-bound string with a CR, LF or control character or over 998
 * characters. Strings at or under a `multiline` path (`variables.message`) may hold line breaks, but no other
 * control characters.
 *
 * @example
 * checkHeaderText({ recipient, variables }, { multiline: ["variables.message"] });
 */
export function checkHeaderText(fields: Record<string, unknown>, options: { multiline?: readonly string[] } = {}): void {
  const issues: ValidationIssue[] = [];
  const multiline = new Set(options.multiline ?? []);
  const visit = (value: unknown, path: string, inText: boolean) => {
    if (typeof value === "string") {
      if (inText) {
        if (TEXT_CONTROLS.test(value)) issues.push({ path, rule: "no_control_characters", message: "must not contain control characters" });
      } else if (HEADER_BREAKERS.test(value)) {
        issues.push({ path, rule: "no_line_breaks", message: "must not contain CR, LF or control characters" });
      } else if (value.length > HEADER_TEXT_MAX_LENGTH) {
        issues.push({ path, rule: "max_length", message: `must be at most ${HEADER_TEXT_MAX_LENGTH} characters` });
      }
      return;
    }
    if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = path ? `${path}.${key}` : key;
        visit(item, itemPath, inText || multiline.has(itemPath));
      }
    }
  };
  visit(fields, "", false);
  if (issues.length) throw new Refusal("validation", "a value would break a mail header", { issues });
}
