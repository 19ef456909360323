/**
 * The demo page (`GET /demo`) end to end, as a person meets it: the real worker under `wrangler dev` in sandbox
 * mode, driven by headless Chromium (Debian's, installed by scripts/ensure-chromium.mjs before `npm test`'s
 * vitest). The person fills the contact form and sees the message the sandbox recorded; picks a recipient outside
 * the rule and sees a refusal in plain words, with nothing recorded; types a bad email and sees the note beside
 * that field. Each state is screenshotted to /tmp/txgate-demo-*.png for a human to look at. Only 127.0.0.1 is
 * contacted; wrangler and Chromium are stopped in afterAll.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { stopProcessGroup } from "../support/process-group.ts";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
// The machine's network is closed and a test must not phone home: no background fetches of any kind.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const STARTUP_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 10_000;
const root = fileURLToPath(new URL("../../", import.meta.url));

let wrangler: ChildProcess | undefined;
let wranglerOutput = "";
let browser: Browser | undefined;
let page: Page;
let base: string;
/** What went wrong inside the page: uncaught errors, console errors (a CSP violation is one). */
const pageErrors: string[] = [];
/** The page's own calls to the worker's browser route. */
const actionCalls: { method: string; turnstile: string | undefined }[] = [];

beforeAll(async () => {
  // Missing Chromium is a failure, not a skip: `npm test` installs it (scripts/ensure-chromium.mjs).
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`node scripts/ensure-chromium.mjs\` (npm test does) or install Debian's chromium`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // As `npm start` runs it, on its own port; node_modules/.bin first, so wrangler runs on the project's Node.
  wrangler = spawn(
    `${root}node_modules/.bin/wrangler`,
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--var", "SANDBOX:true", "--var", `ALLOWED_ORIGINS:${base}`],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH}`, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    },
  );
  const keep = (chunk: Buffer) => (wranglerOutput = (wranglerOutput + chunk).slice(-4000));
  wrangler.stdout!.on("data", keep);
  wrangler.stderr!.on("data", keep);
  await waitForWorker();

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: STARTUP_TIMEOUT_MS });
  // A fresh context: Playwright gives each launch its own temporary user-data-dir and removes it on close.
  page = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // Chromium logs every 4xx as "Failed to load resource"; the refusals of POST /v1/actions are provoked here.
    const provoked = new URL(message.location().url || base).pathname === "/v1/actions";
    if (message.type() === "error" && !provoked) pageErrors.push(message.text());
  });
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/v1/actions") actionCalls.push({ method: request.method(), turnstile: request.headers()["x-turnstile-token"] });
  });
  await fetch(`${base}/sandbox/messages`, { method: "DELETE" });
  await page.goto(`${base}/demo`);
}, 2 * STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await stopProcessGroup(wrangler);
}, 20_000);

// Each step waits at most STEP_TIMEOUT_MS for the page; a cold first send (workerd compiling) can take seconds.
describe("the demo page, in headless Chromium", { timeout: 30_000 }, () => {
  it("sends the form with the browser client and shows the message the sandbox recorded", async () => {
    await fillForm({ name: `Ada O'Brien & "Co" <3`, replyTo: "ada@example.com", message: "Hello,\nplease call me back.", recipient: "support@example.com" });
    await page.getByRole("button", { name: "Send" }).click();

    const result = page.locator("#result.sent");
    await result.getByRole("heading", { name: "Sent" }).waitFor();
    const recorded = result.locator("figure");
    const rows = await recorded.locator("dl").innerText();
    expect(rows).toContain("everlytic");
    expect(rows).toContain("g789123d-8924-4811-b964-4d7255c6c54a");
    expect(rows).toContain("support@example.com");
    // Variables are shown as the person typed them: text, never markup.
    const variables = await recorded.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(variables).toEqual([
      ["name", `Ada O'Brien & "Co" <3`],
      ["replyTo", "ada@example.com"],
      ["message", "Hello,\nplease call me back."],
    ]);
    expect(await result.getByRole("link", { name: "Open the sandbox outbox" }).getAttribute("href")).toBe("/sandbox");
    await page.screenshot({ path: "/tmp/txgate-demo-sent.png", fullPage: true });

    // The page went through the browser client: one POST with the (dummy) Turnstile token, and one recorded message.
    expect(actionCalls).toEqual([{ method: "POST", turnstile: "XXXX.DUMMY.TOKEN.XXXX" }]);
    expect(await outbox()).toHaveLength(1);
  });

  it("explains a recipient outside the rule in plain words, and nothing is recorded", async () => {
    await fillForm({ name: "Ada", replyTo: "ada@example.com", message: "Hello", recipient: "ceo@example.com" });
    await page.getByRole("button", { name: "Send" }).click();

    const result = page.locator("#result.refused");
    await result.getByRole("heading", { name: "This recipient is not allowed." }).waitFor();
    const text = await result.innerText();
    expect(text).toContain("This form sends only to support@example.com or sales@example.com. The worker refused ceo@example.com before any email was made.");
    expect(text).toContain("Nothing was sent.");
    expect(await result.getAttribute("role")).toBe("alert");
    await page.screenshot({ path: "/tmp/txgate-demo-refused.png", fullPage: true });

    expect(await outbox()).toHaveLength(1);
  });

  it("shows each validation issue beside the field it names", async () => {
    await fillForm({ name: "Ada", replyTo: "not-an-email", message: "", recipient: "sales@example.com" });
    await page.getByRole("button", { name: "Send" }).click();

    await page.locator("#result.refused").getByRole("heading", { name: "Some fields need attention." }).waitFor();
    expect(await page.locator('[data-issue-for="replyTo"]').textContent()).toBe("Enter an email address, like ada@example.com.");
    expect(await page.locator('[data-issue-for="message"]').textContent()).toBe("Fill this in.");
    expect(await page.locator('[data-issue-for="name"]').isHidden()).toBe(true);
    expect(await page.locator("#replyTo").getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: "/tmp/txgate-demo-issues.png", fullPage: true });

    expect(await outbox()).toHaveLength(1);
    // Under the page's CSP (scripts from this worker only), nothing was blocked and nothing threw.
    expect(pageErrors).toEqual([]);
  });
});

async function fillForm(values: { name: string; replyTo: string; message: string; recipient: string }): Promise<void> {
  await page.getByLabel("Your name").fill(values.name);
  await page.getByLabel("Your email").fill(values.replyTo);
  await page.getByLabel("Message").fill(values.message);
  await page.getByLabel("Send to").selectOption(values.recipient);
}

async function outbox(): Promise<unknown[]> {
  const answer = await fetch(`${base}/sandbox/messages`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  return ((await answer.json()) as { messages: unknown[] }).messages;
}

/** Until the worker serves the demo page; wrangler's output in the error otherwise. */
async function waitForWorker(): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (wrangler!.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler!.exitCode}):\n${wranglerOutput}`);
    const status = await fetch(`${base}/demo`, { signal: AbortSignal.timeout(2_000) }).then(
      (answer) => answer.status,
      () => 0, // not listening yet
    );
    if (status === 200) return;
    if (status === 404) throw new Error(`GET /demo answered 404; is the worker in sandbox mode (vendor credentials in .dev.vars?)\n${wranglerOutput}`);
    await sleep(250);
  }
  throw new Error(`wrangler dev did not serve ${base}/demo within ${STARTUP_TIMEOUT_MS / 1000} s:\n${wranglerOutput}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
