import type { Broker } from "../lib/brokers.js";
import { elapsedMs } from "../lib/stats.js";
import { CARD_ORG, type CardsResult } from "../workloads/cards.js";
import { ContenderUnavailable } from "./contender.js";

/**
 * A fresh A2AClient connects and lists the agents: `agents()` resolves once the
 * retained cards have arrived (the directory's quiet period included).
 */
export async function discoverA2A(broker: Broker, count: number): Promise<CardsResult> {
  const { A2AClient } = await import("@a2a/client");
  if (typeof A2AClient !== "function") throw new ContenderUnavailable("@a2a/client does not export A2AClient yet");
  const start = process.hrtime.bigint();
  const client = new A2AClient({ broker: broker.url });
  try {
    const agents = await client.findAgents();
    const elapsed = elapsedMs(start);
    const found = agents.filter((a) => a.org === CARD_ORG).length;
    return { workload: "scale/cards", contender: `a2a/${broker.kind}`, cards: found, expected: count, elapsedMs: elapsed };
  } finally {
    await client.close();
  }
}
