import type { Broker } from "../lib/brokers.js";
import { connectBare } from "../lib/mqtt-connect.js";
import { tick } from "../lib/progress.js";
import { elapsedMs } from "../lib/stats.js";

export const CARD_ORG = "bench-cards";

export interface CardsResult {
  workload: "scale/cards";
  contender: string;
  /** Cards the client ended up with. */
  cards: number;
  /** Cards published. */
  expected: number;
  /** From subscribing/connecting to having all cards, ms. */
  elapsedMs: number;
}

/** A valid A2A 1.0 Agent Card as the binding publishes it (section 3), ~700 bytes. */
export function cardFor(org: string, agent: string): string {
  return JSON.stringify({
    protocolVersion: "1.0",
    name: `Agent ${agent}`,
    description: "A benchmark agent that echoes its input.",
    url: `mqtt://${org}/${agent}`,
    preferredTransport: "MQTT",
    supportedInterfaces: [{ url: `mqtt://${org}/${agent}`, protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0" }],
    version: "1.0.0",
    capabilities: {
      streaming: true,
      extensions: [{ uri: "urn:a2a-mqtt:ext:presence:v1", params: { status: "online", since: "2025-01-01T00:00:00.000Z" } }],
    },
    defaultInputModes: ["text/plain", "application/json"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills: [{ id: "echo", name: "Echo", description: "Echoes the message back.", tags: ["echo", "test"] }],
  });
}

export const agentName = (i: number): string => `agent-${String(i).padStart(5, "0")}`;

/** Publishes `count` retained cards under `discovery/bench-cards/…` (QoS 1, all acknowledged). */
export async function publishCards(broker: Broker, count: number): Promise<void> {
  const client = await connectBare(broker.url, broker.protocolVersion, `bench-card-publisher-${process.pid}`);
  let done = 0;
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await Promise.all(
      Array.from({ length: n }, (_, k) =>
        client.publishAsync(`discovery/${CARD_ORG}/${agentName(i + k)}`, cardFor(CARD_ORG, agentName(i + k)), { qos: 1, retain: true }),
      ),
    );
    done += n;
    tick(`publishing ${count} retained cards`, done, count);
  }
  await client.endAsync();
}

/** Baseline: a bare mqtt.js client subscribing to `discovery/#` and parsing every card. */
export async function discoverBare(broker: Broker, count: number): Promise<CardsResult> {
  const start = process.hrtime.bigint();
  const client = await connectBare(broker.url, broker.protocolVersion, `bench-card-reader-${process.pid}`);
  const seen = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    client.on("message", (topic, payload) => {
      if (payload.length === 0) return;
      JSON.parse(payload.toString("utf8"));
      seen.add(topic);
      if (seen.size === count) resolve();
    });
    client.subscribeAsync(`discovery/${CARD_ORG}/+`, { qos: 1 }).catch(reject);
  });
  const result: CardsResult = { workload: "scale/cards", contender: `bare/${broker.kind}`, cards: seen.size, expected: count, elapsedMs: elapsedMs(start) };
  await client.endAsync();
  return result;
}
