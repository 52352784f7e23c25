/**
 * The @a2a/agent contender: one agent with an echo skill doing the same work as
 * the other contenders' responders: it returns the message's parts as an
 * artifact and completes the task, after 10 `working` updates for a stream.
 */
import { HoldGate } from "../lib/gate.js";
import { STREAM_STATUS_EVENTS } from "../lib/payloads.js";
import { requireEnv, type ServerControl, type StartedServer } from "../lib/server-control.js";

export const AGENT_ORG = "bench";
export const AGENT_ID = "echo";

export async function start(env: Record<string, string>, control: ServerControl): Promise<StartedServer> {
  const { A2AAgent } = await import("@a2a/agent");
  if (typeof A2AAgent !== "function") throw new Error("@a2a/agent does not export A2AAgent yet");
  const gate = new HoldGate();
  control.handle("hold", (count) => gate.arm(Number(count)));
  control.handle("held", () => gate.held);
  // Defaults everywhere, except for the scale workload, which needs every one of
  // its tasks admitted and running at once (the default runs 64 and queues 1,024).
  const maxInFlight = env.BENCH_MAX_IN_FLIGHT === undefined ? undefined : Number(env.BENCH_MAX_IN_FLIGHT);
  // "Tracing on": an OpenTelemetry SDK behind the agent (lib/tracing.ts).
  const telemetry = env.BENCH_TRACING === "1" ? (await import("../lib/tracing.js")).startTelemetry() : undefined;
  // Contenders open at once (measured in turns) each need an agent of their own.
  const agentId = env.BENCH_AGENT_ID ?? AGENT_ID;
  const agent = new A2AAgent({
    orgId: AGENT_ORG,
    agentId,
    name: "Echo",
    description: "Echoes the message back as an artifact.",
    broker: requireEnv(env, "BENCH_BROKER_URL"),
    ...(maxInFlight === undefined ? {} : { maxConcurrentTasks: maxInFlight, maxQueuedTasks: maxInFlight }),
    ...(telemetry === undefined ? {} : { tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider }),
  });
  agent.skill({
    id: "echo",
    description: "Returns the message's parts as an artifact.",
    handler: async (_input, ctx) => {
      const held = gate.pass();
      if (held) await held;
      if (ctx.message.metadata?.["stream"] === true) {
        for (let i = 0; i < STREAM_STATUS_EVENTS; i++) await ctx.status("working");
      }
      await ctx.artifact({ parts: ctx.message.parts });
      return undefined;
    },
  });
  await agent.start();
  const stop = async () => {
    await agent.stop();
    await telemetry?.shutdown();
  };
  return { info: { agent: `${AGENT_ORG}/${agentId}` }, stop };
}
