import { once } from "node:events";
import { exposeHttpAgent, type ExposedAgent } from "./expose/expose-http-agent.js";
import { createGateway, type Gateway } from "./gateway.js";

export interface RunGatewayOptions {
  broker: string;
  /** Broker login. */
  username?: string;
  password?: string;
  /** MQTT client id of the gateway's connection (stable: a persistent session). */
  clientId?: string;
  /** Topic prefix shared with the agents. */
  topicPrefix?: string;
  /** Serve the HTTP gateway on this port (0: a free one). @default 8080, unless only `expose` is given */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Card URLs of HTTP agents to announce on the broker. */
  expose?: string[];
  /** API keys the HTTP gateway requires (`x-api-key`). */
  apiKeys?: string[];
  /** CORS origin(s) allowed on the HTTP gateway. */
  corsOrigin?: string[];
  /** Call timeout, in milliseconds. */
  timeoutMs?: number;
  /** Stops everything when aborted (e.g. on SIGINT). */
  signal: AbortSignal;
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
  /** Called with the gateway's URL once it listens. */
  onReady?: (url: string) => void;
}

/**
 * The `a2a gateway` command: the HTTP gateway in front of the broker's agents and/or
 * HTTP agents announced on the broker, until `signal` aborts.
 */
export async function runGateway(o: RunGatewayOptions): Promise<void> {
  const log = o.log ?? ((line: string) => console.error(line));
  const login = {
    ...(o.username === undefined ? {} : { username: o.username }),
    ...(o.password === undefined ? {} : { password: o.password }),
  };
  const exposed: ExposedAgent[] = [];
  let gateway: Gateway | undefined;
  try {
    for (const cardUrl of o.expose ?? []) {
      log(`Exposing ${cardUrl} on ${o.broker} ...`);
      const agent = await exposeHttpAgent({ broker: o.broker, cardUrl, mqtt: login, ...(o.topicPrefix ? { topicPrefix: o.topicPrefix } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), onError: (e) => log(`${cardUrl}: ${String(e)}`) });
      exposed.push(agent);
      log(`  announced as ${agent.id} (MQTT clients call it as "${agent.id}")`);
    }
    if (o.port !== undefined || exposed.length === 0) {
      log(`Connecting to ${o.broker} ...`);
      gateway = await createGateway({
        broker: o.broker,
        client: { ...login, ...(o.clientId === undefined ? {} : { clientId: o.clientId }) },
        ...(o.topicPrefix ? { topicPrefix: o.topicPrefix } : {}),
        port: o.port ?? 8080,
        host: o.host ?? "127.0.0.1",
        ...(o.apiKeys && o.apiKeys.length > 0 ? { apiKeys: o.apiKeys } : {}),
        ...(o.corsOrigin && o.corsOrigin.length > 0 ? { cors: { origin: o.corsOrigin } } : {}),
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      });
      o.onReady?.(gateway.url);
      log(`A2A gateway on ${gateway.url} (${gateway.agents().length} agents; directory at ${gateway.url}/agents)`);
      for (const a of gateway.agents()) log(`  ${a.id} (${a.status}): ${gateway.url}/${a.id}/.well-known/agent-card.json`);
    }
    log("Press Ctrl+C to stop.");
    if (!o.signal.aborted) await once(o.signal, "abort");
  } finally {
    log("Stopping ...");
    await gateway?.close();
    await Promise.allSettled(exposed.map((a) => a.close()));
  }
}
