import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { A2AAgent } from "@a2a/agent";
import { createBroker, type Broker } from "@a2a/broker";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The web console in a real browser (Debian's chromium, headless) against the running
// demo: its four agents in a child process on an embedded broker with a WebSocket
// listener, the console served by the demo's --ui, and one more agent that streams
// 10,000 events.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts");
const DEMO_AGENTS = ["acme/inventory", "acme/logistics", "acme/orchestrator", "acme/supplier"];
const BURST_EVENTS = 10_000;
const WAIT = { timeout: 15_000 };

/** Short of stock (VLV-DN40 has 3), so the order desk asks whether to substitute. */
const ORDER_WITH_QUESTION = {
  orderId: "SO-3001",
  customer: "Console customer",
  destination: { city: "Lund", country: "SE" },
  lines: [{ sku: "VLV-DN40", qty: 10 }],
};
/** Asks the same question, which waits for an answer as long as it takes to cancel the order. */
const ORDER_TO_CANCEL = { ...ORDER_WITH_QUESTION, orderId: "SO-3002", destination: { city: "Aarhus", country: "DK" } };

let broker: Broker;
/** The broker's side of the page's connection, to cut it. */
let pageConnection: { destroy(): void } | undefined;
let burst: A2AAgent;
let demo: ChildProcess;
let demoOutput = "";
let consoleUrl: string;
let profile: string;
let context: BrowserContext;
let page: Page;

/** Starts the demo with --ui on our broker; resolves with the console URL once the scenario has run. */
function startDemo(wsUrl: string): Promise<string> {
  demo = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", "src/main.ts", "--broker", wsUrl, "--ui", "--no-color"], {
    cwd: join(ROOT, "apps/demo"),
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not get ready:\n${demoOutput}`)), 30_000);
    const onData = (chunk: string) => {
      demoOutput += chunk;
      const url = /Web console: (http:\/\/\S+)/.exec(demoOutput)?.[1];
      if (url !== undefined && demoOutput.includes("Press Ctrl-C to stop")) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    demo.stdout!.setEncoding("utf8").on("data", onData);
    demo.stderr!.setEncoding("utf8").on("data", onData);
    demo.once("exit", (code) => reject(new Error(`the demo exited (${code}):\n${demoOutput}`)));
  });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** Picks agent and skill in the composer, types the message and sends it with the keyboard. */
async function send({ agent, skill, message, json }: { agent: string; skill: string; message: string; json: boolean }): Promise<void> {
  await page.getByLabel("Agent", { exact: true }).selectOption(agent);
  await page.getByLabel("Skill", { exact: true }).selectOption(skill);
  await page.getByLabel("Message", { exact: true }).fill(message);
  await page.getByLabel("Send as JSON data").first().setChecked(json);
  await page.getByRole("button", { name: "Send and follow" }).focus();
  await page.keyboard.press("Enter");
}

const taskState = () => page.getByRole("status", { name: "Task state" });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  broker = await createBroker({ port: 0, wsPort: 0, logger: () => undefined });
  broker.aedes.on("client", (client) => {
    if (client.id.startsWith("a2a-console-")) pageConnection = (client as unknown as { conn: { destroy(): void } }).conn;
  });
  burst = new A2AAgent({ orgId: "lab", agentId: "burst", name: "Burst", description: "Streams many status updates.", broker: broker.url });
  // An agent drops a stream subscriber that falls 1024 events behind, so the burst goes
  // no further ahead of the frames the broker has received for the console than that.
  let forwarded = 0;
  const onForward = new Set<() => void>();
  broker.aedes.on("publish", (packet) => {
    if (!packet.topic.startsWith("replies/a2a-console-")) return;
    // A message may hold a batch of frames (docs/binding.md section 5.2): each counts.
    const text = packet.payload.toString();
    forwarded += text.startsWith("[") ? (JSON.parse(text) as unknown[]).length : 1;
    for (const wake of onForward) wake();
  });
  const caughtUp = (produced: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (produced - forwarded > 256) return;
        onForward.delete(check);
        resolve();
      };
      onForward.add(check);
      check();
    });
  burst.skill({
    id: "burst",
    description: `Sends ${BURST_EVENTS} working updates, then completes.`,
    handler: async (_input, ctx) => {
      for (let i = 1; i <= BURST_EVENTS; i++) {
        await ctx.status("working", `tick ${i}`);
        if (i % 64 === 0) await caughtUp(i);
      }
      return { ticks: BURST_EVENTS };
    },
  });
  await burst.start();
  consoleUrl = await startDemo(broker.wsUrl!);
  profile = mkdtempSync(join(tmpdir(), "a2a-console-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  await page.goto(consoleUrl);
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (demo && demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
  await burst?.stop({ gracePeriodMs: 0 });
  await broker?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe("the web console in a browser, against the running demo", () => {
  it("connects over MQTT WebSockets and lists the four demo agents online, with their skills", async () => {
    await expect.poll(() => page.getByRole("status", { name: "Broker connection" }).textContent(), WAIT).toContain("connected");
    for (const id of DEMO_AGENTS) await page.locator(`[data-agent="${id}"][data-status="online"]`).waitFor(WAIT);
    await expect.poll(() => page.getByRole("list", { name: "Skills of acme/orchestrator" }).textContent(), WAIT).toContain("fulfil-order");
    // The card as JSON on demand.
    const orchestrator = page.locator('[data-agent="acme/orchestrator"]');
    await orchestrator.getByText("Agent Card JSON").click();
    await expect.poll(() => orchestrator.locator("pre.json").textContent(), WAIT).toContain('"fulfil-order"');
    await shot("agents");
  });

  it("follows a task started from the page, answers its question and sees it complete", async () => {
    await send({ agent: "acme/orchestrator", skill: "fulfil-order", message: JSON.stringify(ORDER_WITH_QUESTION), json: true });
    await expect.poll(() => taskState().textContent(), WAIT).toBe("input-required");
    const states = page.getByRole("list", { name: "State changes" });
    await expect.poll(() => states.textContent(), WAIT).toContain("working");
    await expect.poll(() => states.textContent(), WAIT).toContain("input-required");
    const events = page.getByRole("list", { name: "Task events" });
    await expect.poll(() => events.textContent(), WAIT).toContain("checking stock");
    await expect.poll(() => events.textContent(), WAIT).toContain("Ship Ball valve DN40, stainless steel");
    await shot("input-required");

    await page.getByLabel("Your answer").fill("yes");
    await page.getByRole("button", { name: "Send answer" }).click();
    await expect.poll(() => taskState().textContent(), WAIT).toBe("completed");
    await expect.poll(() => states.textContent(), WAIT).toMatch(/input-required.*working.*completed/s);
    // Streamed after the answer: the tracking milestones, and the confirmation artifact as a table.
    await expect.poll(() => page.getByRole("region", { name: "Artifacts" }).textContent(), WAIT).toContain("VLV-DN40-SS");
    await expect.poll(() => page.getByRole("list", { name: "Tasks recently ended" }).textContent(), WAIT).toContain("fulfil-order");
    // The order desk's own requests to the inventory (another client's) count in its rate: the open broker lets the console see them.
    await expect.poll(() => page.locator('[data-agent="acme/inventory"] .rate').textContent(), WAIT).toMatch(/^[1-9]\d* req\/min$/);
    // The picture in the README: the first screen, as a user sees it.
    await page.screenshot({ path: join(ARTIFACTS, "console-overview.png") });
    await shot("completed");
  });

  it("cancels a task from the page (while it waits for an answer)", async () => {
    await send({ agent: "acme/orchestrator", skill: "fulfil-order", message: JSON.stringify(ORDER_TO_CANCEL), json: true });
    await expect.poll(() => taskState().textContent(), WAIT).toBe("input-required");
    await page.getByRole("button", { name: "Cancel task" }).click();
    await expect.poll(() => taskState().textContent(), WAIT).toBe("canceled");
    await expect.poll(() => page.getByRole("button", { name: "Cancel task" }).isDisabled(), WAIT).toBe(true);
    await shot("canceled");
  });

  it("stays responsive while a task streams 10,000 events, showing only the newest", async () => {
    await send({ agent: "lab/burst", skill: "burst", message: "go", json: false });
    const summary = page.locator(".timeline-summary");
    // While the events pour in, the page still handles a click: another task opens.
    await expect.poll(() => summary.textContent(), WAIT).toMatch(/\d{3,} events/);
    await page.getByRole("list", { name: "Tasks recently ended" }).getByRole("button").first().click(WAIT);
    await expect.poll(() => page.locator("#task-title").textContent(), WAIT).toContain("fulfil-order");
    await page.locator("[data-task] button", { hasText: "burst → lab/burst" }).click(WAIT);
    await expect.poll(() => taskState().textContent(), { timeout: 420_000 }).toBe("completed");
    // Every event arrived (the request, the task, the updates, the artifact), 200 drawn.
    const total = Number(/^(\d+) events; the newest 200 are shown\.$/.exec((await summary.textContent()) ?? "")?.[1]);
    expect(total).toBeGreaterThan(BURST_EVENTS);
    expect(await page.locator(".timeline > li").count()).toBe(200);
    await shot("burst");
  }, 480_000);

  it("shows a reconnect when its connection drops, and works on", async () => {
    const link = page.getByRole("status", { name: "Broker connection" });
    expect(await link.textContent()).toContain("0 reconnects");
    pageConnection!.destroy();
    await expect.poll(() => link.textContent(), WAIT).toMatch(/· 1 reconnect(?!s)/);
    expect(await link.textContent()).toMatch(/^connected/);
    await send({ agent: "acme/inventory", skill: "check-stock", message: JSON.stringify({ skus: ["FLT-200"] }), json: true });
    await expect.poll(() => taskState().textContent(), WAIT).toBe("completed");
  });

  it("fits a narrow window without horizontal scrolling", async () => {
    await page.setViewportSize({ width: 380, height: 900 });
    // Runs in the page (the test's own types have no DOM).
    const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("narrow");
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  it("shows the agents offline when their process is killed", async () => {
    demo.kill("SIGKILL");
    for (const id of DEMO_AGENTS) await page.locator(`[data-agent="${id}"][data-status="offline"]`).waitFor(WAIT);
    expect(await page.locator('[data-agent="lab/burst"]').getAttribute("data-status")).toBe("online");
    await shot("offline");
  });
});
