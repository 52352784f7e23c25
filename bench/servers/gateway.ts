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
  const deadline = Date.now() + 10_000;
  while (!gateway.agents().some((a) => a.id === id && a.status === "online")) {
    if (Date.now() > deadline) throw new Error(`the gateway did not discover ${id} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { info: { url: `${gateway.url}/${id}/.well-known/agent-card.json` }, stop: () => gateway.close() };
}
