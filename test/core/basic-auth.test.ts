/** The HTTP Basic check a webhook route uses (src/core/basic-auth.ts), against RFC 7617's rules. */
import { describe, expect, it } from "vitest";
import { basicAuthMatches, parseBasicAuthorization } from "../../src/core/basic-auth.js";

const expected = { user: "everlytic-hooks", password: "pa:ss wörd" };
const header = (pair: string) => `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;

describe("parseBasicAuthorization", () => {
  it("splits at the first colon, so a password may hold colons, and reads UTF-8", () => {
    expect(parseBasicAuthorization(header("everlytic-hooks:pa:ss wörd"))).toEqual(expected);
    expect(parseBasicAuthorization(header("user:"))).toEqual({ user: "user", password: "" });
  });

  it("takes the scheme in any case", () => {
    expect(parseBasicAuthorization(header("a:b").replace("Basic", "bAsIc"))).toEqual({ user: "a", password: "b" });
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["another scheme", "Bearer abc"],
    ["not base64", "Basic !!!"],
    ["no colon", header("useronly")],
    ["not UTF-8", `Basic ${Buffer.from([0x61, 0x3a, 0xff]).toString("base64")}`],
    ["too long", header(`a:${"b".repeat(5000)}`)],
  ])("refuses a header that is %s", (_, given) => {
    expect(parseBasicAuthorization(given)).toBeUndefined();
  });
});

describe("basicAuthMatches", () => {
  it("matches the exact user and password", async () => {
    expect(await basicAuthMatches(header("everlytic-hooks:pa:ss wörd"), expected)).toBe(true);
  });

  it.each([
    ["a wrong password", header("everlytic-hooks:pa:ss word")],
    ["a wrong user", header("everlytic-hook:pa:ss wörd")],
    ["the password as a prefix", header("everlytic-hooks:pa:ss")],
    ["the password with more after it", header("everlytic-hooks:pa:ss wörd!")],
    ["no header", null],
    ["another scheme", "Bearer everlytic-hooks:pa:ss wörd"],
  ])("refuses %s", async (_, given) => {
    expect(await basicAuthMatches(given, expected)).toBe(false);
  });

  it("matches nothing when the expected user or password is empty or missing: an unset secret opens no door", async () => {
    expect(await basicAuthMatches(header(":"), { user: "", password: "" })).toBe(false);
    expect(await basicAuthMatches(header("hooks:"), { user: "hooks", password: "" })).toBe(false);
    expect(await basicAuthMatches(header(":secret"), { user: "", password: "secret" })).toBe(false);
    expect(await basicAuthMatches(header("undefined:undefined"), { user: undefined, password: undefined } as never)).toBe(false);
  });
});
