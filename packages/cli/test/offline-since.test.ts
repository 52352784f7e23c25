import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { buildCli, runCli } from "./helpers/run-cli.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** An agent in a process of its own, to be killed with SIGKILL (no clean stop, only its will). */
const agentScript = (url: string) => `
import { A2AAgent } from "@a2a/agent";
const agent = new A2AAgent({ orgId: "test-org", agentId: "doomed", name: "Doomed", description: "Gets killed", broker: ${JSON.stringify(url)} });
agent.registerTool(function ping() { return "pong"; });
await agent.start();
console.log("started " + new Date().toISOString());
setInterval(() => {}, 60_000);
`;

// Under CI=true a missing mosquitto fails here instead of skipping.
describe.runIf(requireMosquitto())("a2a agents after an agent was killed", () => {
  let mosquitto: MosquittoHandle;
  let dir: string;

  beforeAll(async () => {
    await buildCli();
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(packageDir, ".offline-since-"));
  }, 120_000);
  afterAll(async () => {
    await mosquitto?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("says it is offline since it was killed, not since it started (MQTT 5 will expiry)", async () => {
    const file = join(dir, "agent.ts");
    await writeFile(file, agentScript(mosquitto.url));
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", file], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
    try {
      const [, startedAt] = await waitFor(() => /started (\S+)/.exec(out), { timeoutMs: 20_000, message: "the agent to start" });
      const online = await runCli(["agents", "--broker", mosquitto.url]);
      expect(online.stdout).toMatch(/test-org\/doomed\s+online\s+Doomed/);
      // Not a wait for an event: the kill must come a few seconds after the start, so
      // that the two times differ on the broker's one-second clock.
      await new Promise((resolveGap) => setTimeout(resolveGap, 2_500));
      const killedAt = Date.now();
      child.kill("SIGKILL");
      await exited;
      const listed = await waitFor(
        async () => {
          const result = await runCli(["agents", "--broker", mosquitto.url]);
          return /test-org\/doomed\s+offline since (\S+)/.exec(result.stdout);
        },
        { timeoutMs: 15_000, message: "the agent to be listed offline with a time" },
      );
      const since = Date.parse(listed[1]!);
      expect(since).toBeGreaterThanOrEqual(killedAt - 1_500);
      expect(since).toBeGreaterThan(Date.parse(startedAt!) + 1_000);
      expect(since).toBeLessThanOrEqual(Date.now() + 1_000);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
