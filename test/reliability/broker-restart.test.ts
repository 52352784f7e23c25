import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { InboundMessage } from "@a2a/transport";
import { presenceOf } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { A2AClient, dataOf, stateOf, userMessage } from "@a2a/client";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { CountingAgent } from "./counting-agent.js";

const TASKS = 1_000;

interface Broker {
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

const brokers: Record<string, () => Promise<Broker>> = {
  "aedes with persistence": () => startAedes({ persistence: true }),
  // Mosquitto queues at most 1000 messages per client by default; the agent may have
  // all 1000 requests queued at once while it reconnects.
  "mosquitto with persistence": () => startMosquitto({ persistence: true, extraConfig: "max_queued_messages 10000" }),
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

for (const [name, start] of Object.entries(brokers)) {
  const mosquitto = name.startsWith("mosquitto");
  describe.runIf(!mosquitto || requireMosquitto())(`a broker restart with ${TASKS} tasks in flight (${name})`, () => {
    for (const clientKind of ["a generated client id", "a stable client id"] as const) {
      it(`completes every task exactly once and answers every call (${clientKind})`, async () => {
        const broker = await start();
        cleanups.push(() => broker.close());
        const counting = new CountingAgent({ broker: broker.url, maxConcurrentTasks: 256, maxQueuedTasks: 2_000 });
        await counting.agent.start();
        cleanups.push(() => counting.agent.stop({ gracePeriodMs: 0 }));
        const client = new A2AClient({
          broker: broker.url,
          timeoutMs: 60_000,
          ...(clientKind === "a stable client id" ? { clientId: `reliability-client-${randomUUID().slice(0, 8)}` } : {}),
        });
        await client.connect();
        cleanups.push(() => client.close());

        // A separate observer records the agent's cards, to see it republish after the
        // restart.
        const observer = new MqttTransport({ url: broker.url, clean: true });
        await observer.connect();
        cleanups.push(() => observer.close());
        const cards: InboundMessage[] = [];
        await observer.subscribe(counting.agent.discoveryTopic, (m) => cards.push(m));

        const handle = client.agent(counting.id);
        // Half the tasks finish at once (their replies cross the restart), half wait
        // until the broker is back (they run across it).
        const calls = Array.from({ length: TASKS }, (_, i) => {
          const key = `k${i}`;
          return handle
            .sendMessage({ message: userMessage({ data: { key, hold: i % 2 === 0 } }) })
            .then((result) => ({ key, result }));
        });
        await waitFor(() => counting.executions.size >= TASKS / 4, { timeoutMs: 30_000, message: "a quarter of the tasks to start" });

        const restartedAt = Date.now();
        await broker.restart();
        // The observer may resubscribe after the agent republished: it then gets the new
        // card only as the retained message. The card's `since` tells it apart from one
        // published before the restart.
        await waitFor(() => cards.some((m) => onlineSince(m) >= restartedAt), {
          timeoutMs: 20_000,
          message: "the agent to republish its card online after the restart",
        });
        counting.release();

        const settled = await Promise.allSettled(calls);
        const failures = settled.filter((s) => s.status === "rejected");
        expect(failures.map((f) => String(f.reason)).slice(0, 3)).toEqual([]);
        for (const s of settled) {
          const { key, result } = (s as PromiseFulfilledResult<{ key: string; result: Parameters<typeof stateOf>[0] }>).value;
          expect(stateOf(result)).toBe("TASK_STATE_COMPLETED");
          expect(dataOf(result)).toEqual({ key });
        }
        expect(counting.executions.size).toBe(TASKS);
        expect(counting.repeated()).toEqual([]);
      }, 120_000);
    }
  });
}

/** When the card's agent came online (ms since the epoch); -Infinity for any other card. */
function onlineSince(message: InboundMessage): number {
  if (message.payload.byteLength === 0) return Number.NEGATIVE_INFINITY;
  const presence = presenceOf(JSON.parse(new TextDecoder().decode(message.payload)));
  return presence?.status === "online" ? Date.parse(presence.since) : Number.NEGATIVE_INFINITY;
}
