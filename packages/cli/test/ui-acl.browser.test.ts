import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { A2AAgent } from "@a2a/agent";
import { createBroker, createUser, type Broker } from "@a2a/broker";
import { startConsoleServer, type ConsoleServer } from "../src/ui/console-server.js";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The web console served by `a2a ui` is a client like any other: on a broker with users and the topic scheme's
// ACL it must log in, and it sees what its user may see.

const ARTIFACTS = join(fileURLToPath(new URL("../../../", import.meta.url)), "test-artifacts");
const WAIT = { timeout: 15_000 };
const fast = { scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };

let broker: Broker;
let echo: A2AAgent;
let server: ConsoleServer;
let profile: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const users = await Promise.all([
    createUser({ username: "lab/echo", role: "agent", password: "echo-secret", ...fast }),
    createUser({ username: "operator", role: "client", password: "operator-secret", ...fast }),
  ]);
  broker = await createBroker({ port: 0, wsPort: 0, users, logger: () => undefined });
  echo = new A2AAgent({
    orgId: "lab",
    agentId: "echo",
    name: "Echo",
    description: "Says it back.",
    broker: broker.url,
    mqtt: { username: "lab/echo", password: "echo-secret" },
  });
  echo.skill({
    id: "echo",
    handler: async (_input, ctx) => {
      // Files as links (a script URL only as text), data as a table.
      await ctx.artifact({
        name: "files",
        parts: [
          { url: "https://example.com/report.pdf", filename: "report.pdf", mediaType: "application/pdf" },
          { url: "javascript:alert(1)", filename: "trap" },
          { raw: Buffer.from("hi").toString("base64"), filename: "hi.txt", mediaType: "text/plain" },
          { data: { rows: [{ sku: "FLT-200", qty: 3 }, { sku: "PMP-2000", qty: 1 }] } },
        ],
      });
      return `echo: ${ctx.message.parts.map((p) => ("text" in p ? p.text : "")).join("")}`;
    },
  });
  await echo.start();
  server = await startConsoleServer({ broker: broker.wsUrl!, port: 0 });
  profile = mkdtempSync(join(tmpdir(), "a2a-console-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await echo?.stop({ gracePeriodMs: 0 });
  await broker?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe("the web console on a broker with users and an ACL", () => {
  it("is refused without a login, then logs in and calls an agent as its user", async () => {
    await page.goto(server.url);
    // Without credentials the broker refuses; the connection form says so.
    await expect.poll(() => page.getByRole("alert").first().textContent(), WAIT).toMatch(/not authorized|refused|username|password/i);
    await page.getByLabel("Username").fill("operator");
    await page.getByLabel("Password").fill("operator-secret");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect.poll(() => page.getByRole("status", { name: "Broker connection" }).textContent(), WAIT).toContain("connected");
    await page.locator('[data-agent="lab/echo"][data-status="online"]').waitFor(WAIT);

    await page.getByLabel("Message", { exact: true }).fill("hello");
    await page.getByRole("button", { name: "Send and follow" }).click();
    const state = page.getByRole("status", { name: "Task state" });
    await expect.poll(() => state.textContent(), WAIT).toBe("completed");
    await expect.poll(() => page.getByRole("region", { name: "Artifacts" }).textContent(), WAIT).toContain("echo: hello");
    const artifacts = page.getByRole("region", { name: "Artifacts" });
    expect(await artifacts.getByRole("link", { name: "report.pdf" }).getAttribute("href")).toBe("https://example.com/report.pdf");
    expect(await artifacts.getByRole("link", { name: "hi.txt" }).getAttribute("download")).toBe("hi.txt");
    expect(await artifacts.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await artifacts.textContent()).toContain("trap (application/octet-stream): javascript:alert(1)");
    expect(await artifacts.locator("table td").allTextContents()).toEqual(["FLT-200", "3", "PMP-2000", "1"]);
    // The ACL lets a client read no agent's tasks topic, so the rate counts this console's own requests.
    await expect.poll(() => page.locator('[data-agent="lab/echo"] .rate').textContent(), WAIT).toBe("1 req/min");
    await page.screenshot({ path: join(ARTIFACTS, "console-acl.png"), fullPage: true });
  });
});
