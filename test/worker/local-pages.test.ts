/**
 * The first page a newcomer opens: with `npm start`, http://localhost:8787/ leads to the demo, the sandbox outbox
 * and the docs, and `/demo/` and `/sandbox/` with a trailing slash reach the same pages instead of a JSON 404. Like
 * every local page, none of it is served by a deployment (live mode, or a host that is not loopback).
 */
import { VENDOR_LIST } from "../../src/vendors/registry.ts";
import { env } from "cloudflare:test";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { createTxgateWorker, defineActions, defineCatalogue, line } from "../../src/worker/index.ts";
import { Refusal } from "../../src/worker/problem.ts";
import { LOCAL_DOCS } from "../../worker/pages/home.ts";
import { LIVE_VENDOR_SECRETS } from "./support/bindings.ts";
import { fetchWithEnv, fetchWorker, HOST, LOCAL, record } from "./support/harness.ts";

describe("GET / (local sandbox)", () => {
  it("is a page that leads to the demo, the outbox and the docs", async () => {
    const page = await fetchWorker(`${LOCAL}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.text).toContain('<a href="/demo">');
    expect(page.text).toContain('<a href="/sandbox">');
    for (const doc of LOCAL_DOCS) expect(page.text).toContain(`<code>${doc.path}</code>`);
    expect(page.text).not.toMatch(/<script/);
  });

  it("answers only GET", async () => {
    const post = await fetchWorker(`${LOCAL}/`, { method: "POST" });
    expect(post.body).toMatchObject({ status: 405, kind: "method_not_allowed" });
  });
});

describe("a trailing slash", () => {
  it.each([
    ["/demo/", "/demo"],
    ["/sandbox/", "/sandbox"],
  ])("%s leads to %s", async (path, page) => {
    const redirect = await fetchWorker(`${LOCAL}${path}`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe(page);
    const followed = await fetchWorker(`${LOCAL}${path}`);
    expect(followed.status).toBe(200);
    expect(followed.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});

describe("a deployment serves none of it", () => {
  it("answers / on a non-loopback host with the one-line index, not the local page", async () => {
    const index = await fetchWorker(`${HOST}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
  it("answers / on localhost in live mode with the one-line index", async () => {
    const index = await fetchWithEnv(LIVE_VENDOR_SECRETS, `${LOCAL}/`);
    expect(index.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
  it.each(["/demo/", "/sandbox/"])("%s is 404 on a non-loopback host", async (path) => {
    expect((await fetchWorker(`${HOST}${path}`, { redirect: "manual" })).body).toMatchObject({ status: 404, kind: "not_found" });
  });
});

describe("a deployment whose local pages have no index", () => {
  it("still answers / with the one-line index", async () => {
    const catalogue = defineCatalogue({ contact: { variables: v.strictObject({ name: line(100) }), via: [{ vendor: "listmonk", template: 2 }] } });
    const actions = defineActions(catalogue, { contact: { template: "contact", auth: "turnstile", recipient: { kind: "allow", addresses: ["support@example.com"] } } });
    const handler = createTxgateWorker({
      vendors: VENDOR_LIST,
      actions,
      sandbox: {
        vendors: {},
        serveLocal: () => {
          throw new Refusal("not_found", "no such page");
        },
      },
    });
    const index = await record(await handler.fetch(new Request(`${LOCAL}/`), { ...(env as unknown as Env) }), "GET / (no local index)");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
});
