import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient } from "@a2a/client";
import { createBroker, type Broker } from "@a2a/broker";
import { waitFor } from "@a2a/testing";
import { buildCli, runCli } from "./helpers/run-cli.js";

describe("a2a agents --stats", () => {
  let broker: Broker;
  const agents: A2AAgent[] = [];

  beforeAll(async () => {
    await buildCli();
    broker = await createBroker({ port: 0, logger: () => {} });
    const counted = new A2AAgent({ orgId: "stats", agentId: "counted", name: "Counted", description: "Serves stats", broker: broker.url, memoryUsed: () => 2048 });
    counted.registerTool(function echo(params) {
      return String(params.message);
    });
    const quiet = new A2AAgent({ orgId: "stats", agentId: "quiet", name: "Quiet", description: "Serves none", broker: broker.url, exposeStats: false });
    quiet.registerTool(function echo(params) {
      return String(params.message);
    });
    agents.push(counted, quiet);
    await Promise.all(agents.map((a) => a.start()));
    const client = new A2AClient({ broker: broker.url });
    try {
      await client.agent("stats/counted").sendText("one");
      await client.agent("stats/counted").sendText("two");
    } finally {
      await client.close();
    }
    // A request is counted once its reply is acknowledged, which may be after the client has it.
    await waitFor(() => counted.stats().requests.ok === 2, { message: "both requests counted" });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop({ gracePeriodMs: 100 })));
    await broker?.close();
  });

  it("shows each online agent's counters, and says which agent serves none", async () => {
    const run = await runCli(["agents", "--stats", "--broker", broker.url]);
    expect(run.code, run.stderr).toBe(0);
    const [header, counted, quiet] = run.stdout.trim().split("\n");
    expect(header).toMatch(/^AGENT\s+REQUESTS\s+ERRORS\s+TASKS DONE\s+FAILED\s+RUNNING\s+QUEUED\s+MEMORY/);
    expect(counted).toMatch(/^stats\/counted\s+2\s+0\s+2\s+0\s+0\s+0\s+2\.0 KiB\s+0\/0\s+0\s+\d+s$/);
    expect(quiet).toMatch(/^stats\/quiet\s+– \(serves no stats\)$/);

    const json = await runCli(["agents", "--stats", "--json", "--broker", broker.url]);
    const rows = JSON.parse(json.stdout) as Array<{ id: string; stats?: { tasks: Record<string, number>; memoryUsedBytes?: number }; missing?: string }>;
    expect(rows[0]).toMatchObject({ id: "stats/counted", stats: { memoryUsedBytes: 2048 } });
    expect(rows[0]?.stats?.tasks).toEqual({ completed: 2 });
    expect(rows[1]).toEqual({ id: "stats/quiet", missing: "serves no stats" });
  });
});
