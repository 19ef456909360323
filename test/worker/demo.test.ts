/**
 * The demo page's routes (`GET /demo`, its script and the browser client it loads), as workerd serves them. The
 * page itself is driven in Chromium by test/e2e/demo.test.ts; here: what is served, with which headers, and that
 * a deployment (live mode, or any non-loopback host) serves none of it.
 */
import { describe, expect, it } from "vitest";
import { actions } from "../../worker/actions.ts";
import { DEMO_FORBIDDEN_RECIPIENT } from "../../worker/pages/demo.ts";
import { LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { fetchWithEnv, fetchWorker, HOST, LOCAL } from "./support/harness.ts";

describe("GET /demo (local sandbox)", () => {
  it("serves the contact form under a CSP that allows this worker's scripts only", async () => {
    const page = await fetchWorker(`${LOCAL}/demo`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(page.text).toContain('<script type="module" src="/demo/demo.js"></script>');
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(page.text).not.toMatch(/\son[a-z]+=/);
  });

  it("offers the contact form's allowed recipients, and one outside the rule", async () => {
    const { text } = await fetchWorker(`${LOCAL}/demo`);
    const rule = actions["contact-form"].recipient;
    const addresses = rule.kind === "allow" ? rule.addresses : [];
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(text).toContain(`<option value="${address}" data-allowed>`);
    expect(addresses).not.toContain(DEMO_FORBIDDEN_RECIPIENT);
    expect(text).toContain(`<option value="${DEMO_FORBIDDEN_RECIPIENT}">`);
  });

  it("serves txgate's built browser client as a module with no imports", async () => {
    const client = await fetchWorker(`${LOCAL}/demo/txgate-browser.js`);
    expect(client.status).toBe(200);
    expect(client.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(client.headers.get("x-content-type-options")).toBe("nosniff");
    // The published bundle (minified) names its export at the end: `export{k as createBrowserClient}`.
    expect(client.text).toMatch(/\bexport\s*\{[^}]*\bas createBrowserClient\b[^}]*\}/);
    // A page loads it by URL: an import in it would have nothing to resolve against.
    expect(client.text).not.toMatch(/^\s*(import|export .* from)\b/m);
  });

  it("serves the page's script, which imports the client from the worker", async () => {
    const script = await fetchWorker(`${LOCAL}/demo/demo.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.text).toMatch(/^import \{ createBrowserClient \} from "\/demo\/txgate-browser\.js";/);
    expect(script.text).not.toContain("innerHTML");
  });

  it("answers 404 for other files and 405 for other methods", async () => {
    expect((await fetchWorker(`${LOCAL}/demo/other.js`)).body).toMatchObject({ status: 404, kind: "not_found" });
    const post = await fetchWorker(`${LOCAL}/demo`, { method: "POST" });
    expect(post.body).toMatchObject({ status: 405, kind: "method_not_allowed" });
    expect(post.headers.get("allow")).toBe("GET");
  });
});

describe("GET /demo is not served by a deployment", () => {
  it.each(["/demo", "/demo/demo.js", "/demo/txgate-browser.js"])("%s is 404 on a non-loopback host", async (path) => {
    expect((await fetchWorker(`${HOST}${path}`)).body).toMatchObject({ status: 404, kind: "not_found" });
  });
  it("is 404 on localhost too once a vendor has credentials (live mode)", async () => {
    expect((await fetchWithEnv(LIVE_VENDOR_SECRETS, `${LOCAL}/demo`)).body).toMatchObject({ status: 404, kind: "not_found" });
  });
});
