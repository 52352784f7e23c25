import type { Broker } from "../lib/brokers.js";
import type { Layout } from "../lib/server.js";
import { ContenderUnavailable, type Contender } from "./contender.js";

export async function a2aMqtt(broker: Broker, _layout: Layout): Promise<Contender> {
  throw new ContenderUnavailable(`@a2a/agent and @a2a/client are not usable yet (${broker.kind})`);
}
