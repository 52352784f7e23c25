/**
 * @a2a/gateway in front of the @a2a/agent echo agent: HTTP JSON-RPC in, one MQTT
 * connection out. Ready once discovery reports the agent online.
 */
import { requireEnv, type ServerControl, type StartedServer } from "../lib/server-control.js";
import { AGENT_ID, AGENT_ORG } from "./a2a-agent.js";

export async function start(env: Record<string, string>, _control: ServerControl): Promise<StartedServer> {
  const { createGateway } = await import("@a2a/gateway");
  const gateway = await createGateway({ broker: requireEnv(env, "BENCH_BROKER_URL"), port: 0, timeoutMs: 600_000 });
  const id = `${AGENT_ORG}/${AGENT_ID}`;
  await gateway.waitForAgent(id);
  return { info: { url: `${gateway.url}/${id}/.well-known/agent-card.json` }, stop: () => gateway.close() };
}
