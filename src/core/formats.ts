/**
 * JSON Schema `format`s exactly as the specs' validator checks them (Ajv with ajv-formats, "full" mode), so a
 * field the spec types `format: email` or `format: ipv4`/`ipv6` is refused or accepted by the client just as
 * the spec would. test/core/formats.test.ts runs one table through both.
 */
import * as v from "valibot";
import { named } from "./validation.ts";

/**
 * `format: email`: a dot-atom local part @ a domain of two or more labels, ASCII only. No quoted local part,
 * no IP literal, no display name (`Name <a@example.com>`), no line break.
 */
export const EMAIL_ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** `format: ipv4`: four decimal octets without leading zeros. */
export const IPV4_ADDRESS = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * `format: ipv6`: every RFC 4291 text form, embedded IPv4 included (`::ffff:192.0.2.1`, `::0:0:0:0:0:0.0.0.0`);
 * no zone ID (`fe80::1%eth0`) and no brackets.
 */
export const IPV6_ADDRESS =
  /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;

/**
 * A bare email address as `format: email` has it; rule `email`.
 *
 * @example
 * const replyTo = v.pipe(v.string(), emailAddress);
 * v.parse(replyTo, "jane@example.com");
 */
export const emailAddress = named("email", v.regex<string, string>(EMAIL_ADDRESS, "must be a bare email address (local@domain.tld)"));

/** An IPv4 or IPv6 address as `anyOf: [format: ipv4, format: ipv6]` has it; rule `ip`. */
export const ipAddress = named(
  "ip",
  v.check<string, string>((text) => IPV4_ADDRESS.test(text) || IPV6_ADDRESS.test(text), "must be an IPv4 or IPv6 address (no zone ID)"),
);
