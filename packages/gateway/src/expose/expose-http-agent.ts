import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";
import type { AgentCard } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import { forwardingOperations } from "./forwarder.js";
import { httpForwarder } from "./http-forwarder.js";

export interface ExposeHttpAgentOptions {
  broker: string | Transport;
  /** The HTTP agent's card, e.g. `https://host/.well-known/agent-card.json`. */
  cardUrl: string;
  /** `{org}/{agent}` on the broker. @default "http/" + a topic-safe form of the card's name */
  id?: string;
  /** Headers sent with every call to the HTTP agent (its credentials, if it needs some). */
  headers?: Record<string, string>;
  /** Which HTTP binding to call when the card offers both. @default "JSONRPC" */
  prefer?: "JSONRPC" | "HTTP+JSON";
  /** How often the card URL is checked; presence follows the answers. @default 10_000 */
  healthIntervalMs?: number;
  /** @default 60_000 */
  timeoutMs?: number;
  topicPrefix?: string;
  mqtt?: A2AAgentOptions["mqtt"];
  onError?: (error: unknown) => void;
}

export interface ExposedAgent {
  /** `{org}/{agent}` on the broker. */
  readonly id: string;
  /** The card as announced on the broker (MQTT interface first). */
  readonly card: AgentCard;
  /** Whether the last health check reached the HTTP agent. */
  readonly healthy: boolean;
  /** Clears the card from the broker and stops serving. */
  close(): Promise<void>;
}

/**
 * Announces an HTTP A2A agent on the broker: its card, retained, with the MQTT interface
 * added; MQTT requests go through the agent request intake of `@a2a/agent` and are then
 * forwarded over HTTP (JSON-RPC or HTTP+JSON, SSE relayed as stream frames); presence
 * follows the HTTP agent's health.
 * @example
 * const exposed = await exposeHttpAgent({ broker: "mqtt://localhost:1883", cardUrl: "http://localhost:4000/.well-known/agent-card.json" });
 */
export async function exposeHttpAgent(options: ExposeHttpAgentOptions): Promise<ExposedAgent> {
  const card = await fetchCard(options.cardUrl, options.headers);
  const target = pickInterface(card, options.prefer ?? "JSONRPC", options.cardUrl);
  const [orgId, agentId] = (options.id ?? `http/${topicSafe(card.name)}`).split("/") as [string, string];
  const agent = new A2AAgent({
    orgId,
    agentId,
    name: card.name,
    description: card.description,
    broker: options.broker,
    card,
    operations: forwardingOperations(
      httpForwarder({ url: target.url, binding: target.binding, ...(options.headers ? { headers: options.headers } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }),
    ),
    ...(options.topicPrefix === undefined ? {} : { topicPrefix: options.topicPrefix }),
    ...(options.mqtt === undefined ? {} : { mqtt: options.mqtt }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  await agent.start();
  let healthy = true;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      healthy = await reachable(options.cardUrl, options.headers);
      await agent.setPresence(healthy ? "online" : "offline");
    } catch (error) {
      options.onError?.(error);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.healthIntervalMs ?? 10_000);
  timer.unref();
  return {
    id: `${orgId}/${agentId}`,
    card: agent.card,
    get healthy() {
      return healthy;
    },
    async close() {
      clearInterval(timer);
      await agent.stop({ gracePeriodMs: 1000 });
    },
  };
}

async function fetchCard(cardUrl: string, headers?: Record<string, string>): Promise<AgentCard> {
  let res: Response;
  try {
    res = await fetch(cardUrl, { headers: { accept: "application/json", "A2A-Version": "1.0", ...headers }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`Could not fetch the agent card at ${cardUrl}; check the URL and that the agent runs.`, { cause: error });
  }
  if (!res.ok) throw new Error(`The agent card at ${cardUrl} answered HTTP ${res.status}; check the URL.`);
  const card = (await res.json()) as AgentCard;
  if (typeof card?.name !== "string" || !Array.isArray(card.supportedInterfaces)) {
    throw new Error(`${cardUrl} is not an A2A 1.0 agent card (it has no name or supportedInterfaces).`);
  }
  return card;
}

function pickInterface(card: AgentCard, prefer: "JSONRPC" | "HTTP+JSON", cardUrl: string): { url: string; binding: "JSONRPC" | "HTTP+JSON" } {
  const http = card.supportedInterfaces.filter(
    (i) => (i.protocolBinding === "JSONRPC" || i.protocolBinding === "HTTP+JSON") && (i.protocolVersion ?? "1.0").startsWith("1."),
  );
  const chosen = http.find((i) => i.protocolBinding === prefer) ?? http[0];
  if (chosen === undefined) throw new Error(`The agent card at ${cardUrl} offers no A2A 1.0 JSON-RPC or HTTP+JSON interface.`);
  return { url: new URL(chosen.url, cardUrl).toString(), binding: chosen.protocolBinding as "JSONRPC" | "HTTP+JSON" };
}

async function reachable(cardUrl: string, headers?: Record<string, string>): Promise<boolean> {
  try {
    const res = await fetch(cardUrl, { headers: { accept: "application/json", ...headers }, signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** A topic level from a name: lower case, `[a-z0-9-]`, at most 64 characters. */
function topicSafe(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return safe === "" ? "agent" : safe;
}
