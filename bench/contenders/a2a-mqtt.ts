import { randomUUID } from "node:crypto";
import type * as ClientModule from "@a2a/client";
import type { Part } from "@a2a/schema";
import type { Broker } from "../lib/brokers.js";
import { DATA_4K, TEXT_100B, type PayloadKind } from "../lib/payloads.js";
import { startServer, type Layout } from "../lib/server.js";
import { AGENT_ID, AGENT_ORG } from "../servers/a2a-agent.js";
import { ContenderUnavailable, type Contender, type ContenderOptions } from "./contender.js";


async function loadClient(): Promise<typeof ClientModule> {
  const mod = await import("@a2a/client");
  if (typeof mod.A2AClient !== "function") throw new ContenderUnavailable("@a2a/client does not export A2AClient yet");
  return mod;
}

/**
 * @a2a/client → @a2a/agent through `broker`; the agent runs the echo skill
 * (servers/a2a-agent.ts). `traced`: both sides with an OpenTelemetry SDK (lib/tracing.ts).
 * `oneFramePerMessage`: streams without frame batches (a message per event, as bare
 * mqtt.js's responder sends them).
 */
export async function a2aMqtt(
  broker: Broker,
  layout: Layout,
  options: ContenderOptions & { traced?: boolean; oneFramePerMessage?: boolean } = {},
): Promise<Contender> {
  const traced = options.traced === true;
  const unbatched = options.oneFramePerMessage === true;
  const { A2AClient, stateOf } = await loadClient();
  const agentId = unbatched ? `${AGENT_ID}-frames` : traced ? `${AGENT_ID}-traced` : AGENT_ID;
  const env: Record<string, string> = { BENCH_BROKER_URL: broker.url, BENCH_AGENT_ID: agentId };
  if (traced) env.BENCH_TRACING = "1";
  const telemetry = traced ? (await import("../lib/tracing.js")).startTelemetry() : undefined;
  if (options.maxInFlight !== undefined) env.BENCH_MAX_IN_FLIGHT = String(options.maxInFlight);
  const server = await startServer("a2a-agent", env, layout);
  // Long timeouts: the scale workload holds 10,000 tasks open on purpose.
  const client = new A2AClient({
    broker: broker.url,
    timeoutMs: 600_000,
    ...(telemetry === undefined ? {} : { tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider }),
  });
  try {
    await client.connect();
  } catch (error) {
    await server.stop();
    await telemetry?.shutdown();
    throw error;
  }
  const agent = client.agent(`${AGENT_ORG}/${agentId}`);
  const parts = (kind: PayloadKind): Part[] =>
    kind === "text" ? [{ text: TEXT_100B }] : [{ data: DATA_4K, mediaType: "application/json" }];
  const params = (kind: PayloadKind, stream: boolean) => ({
    message: {
      messageId: randomUUID(),
      role: "ROLE_USER" as const,
      parts: parts(kind),
      metadata: stream ? { skillId: "echo", stream: true } : { skillId: "echo" },
    },
  });

  const variant = traced ? "a2a-traced" : unbatched ? "a2a-frames" : "a2a";
  const streamOptions = unbatched ? { frameBatches: false } : {};
  return {
    id: `${variant}/${broker.kind}`,
    label: traced ? `a2a-mqtt traced (${broker.kind})` : unbatched ? `a2a-mqtt, a message per frame (${broker.kind})` : `a2a-mqtt (${broker.kind})`,
    family: "a2a",
    broker: broker.kind,
    server,
    async send(kind) {
      const result = await agent.sendMessage(params(kind, false));
      const state = stateOf(result);
      if (state !== "TASK_STATE_COMPLETED") throw new Error(`a2a task ended in state ${state}`);
    },
    async stream(kind) {
      let events = 0;
      let last: string | undefined;
      for await (const event of agent.sendStreamingMessage(params(kind, true), streamOptions)) {
        events++;
        last = stateOf(event) ?? last;
      }
      if (last !== "TASK_STATE_COMPLETED") throw new Error(`a2a stream ended in state ${last}`);
      return events;
    },
    async close() {
      await client.close();
      await server.stop();
      if (telemetry === undefined) return;
      await telemetry.tracerProvider.forceFlush();
      const exported = telemetry.exported();
      await telemetry.shutdown();
      if (exported === 0) throw new Error("tracing was on but the client exported no span");
    },
  };
}
