import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCli, killAll, runCli, startCli } from "./helpers/run-cli.js";

beforeAll(() => buildCli(), 120_000);
afterEach(killAll);

describe("a2a ui", () => {
  it("serves the built console and tells the page which broker to connect to", async () => {
    const ui = startCli(["ui", "--broker", "ws://127.0.0.1:9001", "--port", "0", "--topic-prefix", "acme"]);
    const [url] = await ui.waitForStdout(/http:\/\/127\.0\.0\.1:\d+\//);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>a2a console</title>");
    expect(await (await fetch(new URL("config.json", url))).json()).toEqual({ broker: "ws://127.0.0.1:9001", topicPrefix: "acme" });
    await ui.waitForStderr(/a2a console on http:.*Ctrl-C to stop/);
    expect(await ui.stop("SIGINT")).toBe(0);
  });

  it("refuses an mqtt:// broker with a usage error naming what to give", async () => {
    const run = await runCli(["ui", "--broker", "mqtt://127.0.0.1:1883"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ws:\/\/ or wss:\/\/ URL/);
  });
});
