import { describe, expect, it } from "vitest";
import { preflight, refuseBrowsers, requireAllowedOrigin, withCors } from "../../../src/worker/gates/origin-cors.ts";
import { Refusal } from "../../../src/worker/problem.ts";

const origins = new Set(["https://shop.example", "https://www.shop.example"]);
const request = (headers: Record<string, string>, method = "POST") => new Request("https://txgate.test/v1/actions", { method, headers });
const refusalOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Refusal).problem;
  }
  throw new Error("not refused");
};

describe("the origin allow-list matches exactly", () => {
  it("accepts each allowed origin", () => {
    for (const origin of origins) expect(requireAllowedOrigin(request({ origin }), origins)).toBe(origin);
  });
  it.each(["https://shop.example/", "https://SHOP.example", "https://shop.example.evil.com", "https://evil-shop.example", "http://shop.example", "null", ""])(
    "refuses %j",
    (origin) => expect(refusalOf(() => requireAllowedOrigin(request({ origin }), origins))).toMatchObject({ kind: "forbidden_origin", status: 403 }),
  );
  it("refuses a request without Origin", () => {
    expect(refusalOf(() => requireAllowedOrigin(request({}), origins)).kind).toBe("forbidden_origin");
  });
});

describe("CORS preflight", () => {
  it("allows POST with the browser headers for an allowed origin, without credentials or wildcards", () => {
    const response = preflight(
      request({ origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "Content-Type, Authorization, X-Turnstile-Token, Idempotency-Key, Prefer" }, "OPTIONS"),
      origins,
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toEqual({
      "access-control-allow-origin": "https://shop.example",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type, authorization, x-turnstile-token, idempotency-key, prefer",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });
  it("refuses another method or header", () => {
    expect(refusalOf(() => preflight(request({ origin: "https://shop.example", "access-control-request-method": "DELETE" }, "OPTIONS"), origins)).kind).toBe("method_not_allowed");
    expect(refusalOf(() => preflight(request({ origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "cookie" }, "OPTIONS"), origins)).kind).toBe("forbidden_origin");
  });
});

describe("responses carry CORS headers for allowed origins only", () => {
  it("adds the origin, Vary and the exposed headers", () => {
    const response = withCors(new Response("{}", { status: 429 }), request({ origin: "https://www.shop.example" }), origins);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://www.shop.example");
    expect(response.headers.get("access-control-expose-headers")).toBe("retry-after, txgate-sandbox, location, idempotent-replayed");
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.status).toBe(429);
  });
  it("adds nothing a foreign origin could use", () => {
    const response = withCors(new Response("{}"), request({ origin: "https://evil.example" }), origins);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("trusted routes refuse browsers", () => {
  it("refuses any request with Origin, and passes server requests", () => {
    expect(refusalOf(() => refuseBrowsers(request({ origin: "https://shop.example" }))).kind).toBe("forbidden_origin");
    expect(() => refuseBrowsers(request({}))).not.toThrow();
  });
});
