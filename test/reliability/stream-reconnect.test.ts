import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { StreamResponse } from "@a2a/schema";
import { MqttTransport } from "@a2a/transport/mqtt";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, userMessage } from "@a2a/client";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";

const STEPS = 40;

/** A skill that emits one artifact per step, each step released by the test. */
function steppingAgent(url: string) {
  const released: Array<() => void> = [];
  const gates = Array.from({ length: STEPS }, () => new Promise<void>((resolve) => released.push(resolve)));
  let emitted = 0;
  const agent = new A2AAgent({ orgId: "reliability", agentId: `stepper-${randomUUID().slice(0, 8)}`, name: "Stepper", description: "Steps", broker: url });
  agent.skill({
    id: "steps",
    handler: async (_input, ctx) => {
      for (let i = 0; i < STEPS; i++) {
        await gates[i];
        await ctx.artifact({ artifactId: `step-${i}`, data: { step: i } });
        emitted = i + 1;
      }
      return undefined;
    },
  });
  return {
    agent,
    id: `${agent.orgId}/${agent.agentId}`,
    release: (upTo: number) => released.slice(0, upTo).forEach((r) => r()),
    emitted: () => emitted,
  };
}

function stepOf(event: StreamResponse): number | undefined {
  const part = "artifactUpdate" in event ? event.artifactUpdate.artifact.parts[0] : undefined;
  return part !== undefined && "data" in part ? (part.data as { step: number }).step : undefined;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const brokers = {
  aedes: () => startAedes(),
  mosquitto: () => startMosquitto(),
};

for (const [name, start] of Object.entries(brokers)) {
  describe.runIf(name === "aedes" || requireMosquitto())(`a client disconnected mid-stream (${name})`, () => {
    it("with a persistent session, receives every event it is owed, in order, once", async () => {
      const broker = await start();
      cleanups.push(() => broker.close());
      const stepper = steppingAgent(broker.url);
      await stepper.agent.start();
      cleanups.push(() => stepper.agent.stop({ gracePeriodMs: 0 }));
      const transport = new MqttTransport({ url: broker.url, clientId: `reliability-stream-${randomUUID().slice(0, 8)}`, clean: false });
      await transport.connect();
      cleanups.push(() => transport.close());
      const client = new A2AClient({ broker: transport, timeoutMs: 20_000 });
      cleanups.push(() => client.close());

      const events: StreamResponse[] = [];
      const consuming = (async () => {
        for await (const event of client.agent(stepper.id).sendStreamingMessage({ message: userMessage({ text: "go", skill: "steps" }) })) events.push(event);
      })();
      stepper.release(10);
      await waitFor(() => events.filter((e) => stepOf(e) !== undefined).length === 10, { message: "the first 10 steps" });

      // The connection dies; the agent goes on while the client is away. Its frames wait
      // in the client's session on the broker.
      const down = new Promise<void>((resolve) => transport.on("disconnected", () => resolve()));
      const back = new Promise<{ sessionPresent: boolean }>((resolve) => transport.on("connected", (e) => resolve(e)));
      transport.simulateConnectionLoss();
      await down;
      stepper.release(STEPS);
      await waitFor(() => stepper.emitted() === STEPS, { message: "the agent to emit every step" });
      expect((await back).sessionPresent).toBe(true);
      await waitFor(consuming.then(() => true), { timeoutMs: 15_000, message: "the stream to end" });

      const steps = events.map(stepOf).filter((s) => s !== undefined);
      expect(steps).toEqual(Array.from({ length: STEPS }, (_, i) => i));
      expect(events[0] !== undefined && "task" in events[0]).toBe(true);
      const last = events.at(-1);
      expect(last !== undefined && "statusUpdate" in last ? last.statusUpdate.status.state : undefined).toBe("TASK_STATE_COMPLETED");
    });

    it("with a clean session, the stream resumes by itself after the last event taken: every event once, in order, no gap", async () => {
      const broker = await start();
      cleanups.push(() => broker.close());
      const stepper = steppingAgent(broker.url);
      await stepper.agent.start();
      cleanups.push(() => stepper.agent.stop({ gracePeriodMs: 0 }));
      const transport = new MqttTransport({ url: broker.url, clean: true });
      await transport.connect();
      cleanups.push(() => transport.close());
      const client = new A2AClient({ broker: transport, timeoutMs: 20_000 });
      cleanups.push(() => client.close());

      const events: StreamResponse[] = [];
      const consuming = (async () => {
        for await (const event of client.agent(stepper.id).sendStreamingMessage({ message: userMessage({ text: "go", skill: "steps" }) })) events.push(event);
      })();
      stepper.release(5);
      await waitFor(() => events.filter((e) => stepOf(e) !== undefined).length === 5, { message: "the first 5 steps" });
      const down = new Promise<void>((resolve) => transport.on("disconnected", () => resolve()));
      const back = new Promise<{ sessionPresent: boolean }>((resolve) => transport.on("connected", (e) => resolve(e)));
      transport.simulateConnectionLoss();
      await down;
      // The agent goes on while the client is away; these frames are lost with the session.
      stepper.release(20);
      await waitFor(() => stepper.emitted() === 20, { message: "the agent to emit 20 steps" });
      expect((await back).sessionPresent).toBe(false);
      stepper.release(STEPS);
      await waitFor(consuming.then(() => true), { timeoutMs: 15_000, message: "the stream to end" });

      const steps = events.map(stepOf).filter((s) => s !== undefined);
      expect(steps).toEqual(Array.from({ length: STEPS }, (_, i) => i));
      // One Task frame (the first): the resumed stream starts with the missed events, not a Task.
      expect(events.filter((e) => "task" in e)).toHaveLength(1);
      const last = events.at(-1);
      expect(last !== undefined && "statusUpdate" in last ? last.statusUpdate.status.state : undefined).toBe("TASK_STATE_COMPLETED");
    });
  });
}
