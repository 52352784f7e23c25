import type { Broker } from "../lib/brokers.js";
import type { CardsResult } from "../workloads/cards.js";
import { ContenderUnavailable } from "./contender.js";

export async function discoverA2A(broker: Broker, _count: number): Promise<CardsResult> {
  throw new ContenderUnavailable(`@a2a/client discovery is not usable yet (${broker.kind})`);
}
