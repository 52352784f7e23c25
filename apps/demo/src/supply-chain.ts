import type { A2AAgent } from "@a2a/agent";
import { createBroker, type Broker } from "@a2a/broker";
import { createInventoryAgent } from "./agents/inventory.js";
import { createLogisticsAgent } from "./agents/logistics.js";
import { createOrchestratorAgent } from "./agents/orchestrator.js";
import { createSupplierAgent } from "./agents/supplier.js";
import type { StockLedger } from "./data/stock.js";
import type { Trace } from "./trace.js";

export interface SupplyChainOptions {
  trace: Trace;
  /** An MQTT broker to use; without it an embedded broker starts on 127.0.0.1 and a free port. */
  broker?: string;
  /** Port of the embedded broker. @default 0 (a free port) */
  port?: number;
  /** Also open the embedded broker to browsers (MQTT over WebSocket) on this port; `0` picks a free one. @default none */
  wsPort?: number;
  /** Multiplies the simulated work delays. @default 1 */
  pace?: number;
}

/** The four agents on one broker. */
export interface SupplyChain {
  brokerUrl: string;
  /** The broker's MQTT over WebSocket URL, when known (an embedded broker with `wsPort`, or a ws:// broker). */
  wsUrl: string | undefined;
  /** The embedded broker, when one was started. */
  broker: Broker | undefined;
  ledger: StockLedger;
  agents: A2AAgent[];
  /** Stops the agents, the orchestrator's client and the embedded broker. */
  stop(): Promise<void>;
}

/** Starts the broker (unless one is given) and the inventory, supplier, logistics and orchestrator agents. */
export async function startSupplyChain(options: SupplyChainOptions): Promise<SupplyChain> {
  const { trace } = options;
  let broker: Broker | undefined;
  let brokerUrl = options.broker;
  if (brokerUrl === undefined) {
    broker = await createBroker({
      port: options.port ?? 0,
      ...(options.wsPort === undefined ? {} : { wsPort: options.wsPort }),
      logger: (entry) => trace.fail("broker", entry.message),
    });
    brokerUrl = broker.url;
    trace.note("broker", `embedded aedes broker listening on ${brokerUrl}${broker.wsUrl ? ` and ${broker.wsUrl}` : ""}`);
  } else {
    trace.note("broker", `using the broker at ${brokerUrl}`);
  }
  const common = { broker: brokerUrl, trace, ...(options.pace === undefined ? {} : { pace: options.pace }) };
  const { agent: inventory, ledger } = createInventoryAgent(common);
  const supplier = createSupplierAgent(common);
  const logistics = createLogisticsAgent(common);
  const orchestrator = createOrchestratorAgent(common);
  const agents = [inventory, supplier, logistics, orchestrator.agent];

  const stop = async () => {
    await Promise.allSettled(agents.map((a) => a.stop({ gracePeriodMs: 500 })));
    // Its connection is the orchestrator agent's, closed by stop(); this ends the client's calls.
    await orchestrator.closeClient().catch(() => undefined);
    await broker?.close();
  };
  try {
    await Promise.all(agents.map((a) => a.start()));
  } catch (error) {
    await stop();
    throw new Error(`Could not start the agents on ${brokerUrl}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  for (const a of agents) trace.note(a.agentId, `online, Agent Card retained on ${a.discoveryTopic}`);
  const wsUrl = broker?.wsUrl ?? (/^wss?:\/\//.test(brokerUrl) ? brokerUrl : undefined);
  return { brokerUrl, wsUrl, broker, ledger, agents, stop };
}
