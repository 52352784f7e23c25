// One instance of the benchmark's agent pool, in its own process (its own event loop, as
// in production). Usage: pool-instance <broker url> <agent id> <instance id> <per instance> <task ms>
import { A2AAgent } from "@a2a/agent";
import { startProfiling } from "../lib/profiler.js";

const [url, agentId, instanceId, perInstance, taskMs] = process.argv.slice(2);
if (url === undefined || agentId === undefined || instanceId === undefined) throw new Error("usage: pool-instance <url> <agent> <instance> <n> <ms>");
let served = 0;
const agent = new A2AAgent({
  orgId: "bench",
  agentId,
  name: "Pool bench",
  description: "Waits per task",
  broker: url,
  pool: { instanceId },
  maxConcurrentTasks: Number(perInstance),
});
agent.skill({
  id: "wait",
  handler: async () => {
    served++;
    await new Promise((resolve) => setTimeout(resolve, Number(taskMs)));
    return "done";
  },
});
await agent.start();
// BENCH_POOL_PROFILE=<dir>: CPU and allocation profiles of each instance from ready to stop.
const profileDir = process.env.BENCH_POOL_PROFILE;
const profiling = profileDir === undefined ? undefined : await startProfiling();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void (async () => {
    if (profiling !== undefined) await profiling.stop(`${profileDir}/pool-instance-${instanceId}-${process.pid}`);
    process.stdout.write(`served ${served}\n`);
    await agent.stop({ gracePeriodMs: 100 });
    process.exit(0);
  })();
});
