/**
 * The agent that scripts/memory-flood.ts floods, in a process of its own so that its
 * resident memory is measured alone, and plain JavaScript on the built packages, as an
 * agent is deployed (a TypeScript loader would add its own memory). Prints "ready" once
 * serving.
 *
 *   node scripts/memory-flood-agent.mjs <broker-url> <max-payload-bytes> [<memory-budget-bytes>]
 */
import { A2AAgent } from "@a2a/agent";

const [url, maxPayload, budget] = process.argv.slice(2);
if (url === undefined || maxPayload === undefined) throw new Error("usage: memory-flood-agent.ts <broker-url> <max-payload-bytes> [<memory-budget-bytes>]");
let errors = 0;
const agent = new A2AAgent({
  orgId: "flood",
  agentId: "target",
  name: "Flood target",
  description: "Takes a flood",
  broker: url,
  maxPayloadBytes: Number(maxPayload),
  ...(budget === undefined ? {} : { memoryBudgetBytes: Number(budget) }),
  // Thousands of refusals would drown the output; they are counted instead.
  onError: () => void errors++,
});
agent.skill({
  id: "work",
  handler: (input) => ({ key: input.key ?? null, characters: input.message?.length ?? 0 }),
});
await agent.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void agent.stop({ gracePeriodMs: 0 }).finally(() => process.exit(0));
});
// FLOOD_DEBUG=1: the agent's memory every second (FLOOD_GC=1: after a forced collection).
if (process.env.FLOOD_DEBUG !== undefined) {
  setInterval(() => {
    if (process.env.FLOOD_GC !== undefined) globalThis.gc?.();
    const m = process.memoryUsage();
    const mb = (n) => (n / 1e6).toFixed(0);
    console.error(`[agent] rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} buffers ${mb(m.arrayBuffers)} budget ${mb(agent.memoryBudget.used)} errors ${errors}`);
  }, 1_000).unref();
}
