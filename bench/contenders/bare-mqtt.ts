import type { MqttClient } from "mqtt";
import type { Broker } from "../lib/brokers.js";
import { startServer, type Layout } from "../lib/server.js";
import { connectBare } from "../lib/mqtt-connect.js";
import { DATA_4K, TEXT_100B, type PayloadKind } from "../lib/payloads.js";
import type { Contender } from "./contender.js";

const REQUEST_TOPIC = "bench/echo/requests";

interface Waiter {
  onFrame(frame: { final?: boolean; seq?: number }): void;
}

/** Plain request/reply over mqtt.js: JSON with an id and a reply topic, QoS 1 both ways. */
export async function bareMqtt(broker: Broker, layout: Layout): Promise<Contender> {
  const server = await startServer(
    "mqtt-responder",
    { BENCH_BROKER_URL: broker.url, BENCH_MQTT_VERSION: String(broker.protocolVersion) },
    layout,
  );
  const clientId = `bench-bare-${process.pid}-${Date.now()}`;
  const replyTo = `bench/replies/${clientId}`;
  const client: MqttClient = await connectBare(broker.url, broker.protocolVersion, clientId);
  const waiting = new Map<number, Waiter>();
  client.on("message", (_topic, payload) => {
    const frame = JSON.parse(payload.toString("utf8")) as { id: number; final?: boolean; seq?: number };
    waiting.get(frame.id)?.onFrame(frame);
  });
  await client.subscribeAsync(replyTo, { qos: 1 });
  let nextId = 1;

  const params = (kind: PayloadKind): unknown => ({
    message: {
      role: "user",
      messageId: `m-${nextId}`,
      parts: [kind === "text" ? { text: TEXT_100B } : { data: DATA_4K }],
    },
  });

  return {
    id: `bare/${broker.kind}`,
    label: `bare mqtt.js (${broker.kind})`,
    family: "bare",
    broker: broker.kind,
    server,
    send(kind) {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, {
          onFrame: () => {
            waiting.delete(id);
            resolve();
          },
        });
        client.publish(REQUEST_TOPIC, JSON.stringify({ id, replyTo, params: params(kind) }), { qos: 1 }, (error) => {
          if (error) {
            waiting.delete(id);
            reject(error);
          }
        });
      });
    },
    stream(kind) {
      const id = nextId++;
      return new Promise<number>((resolve, reject) => {
        let events = 0;
        waiting.set(id, {
          onFrame: (frame) => {
            events++;
            if (frame.final) {
              waiting.delete(id);
              resolve(events);
            }
          },
        });
        client.publish(
          REQUEST_TOPIC,
          JSON.stringify({ id, replyTo, stream: true, params: params(kind) }),
          { qos: 1 },
          (error) => {
            if (error) {
              waiting.delete(id);
              reject(error);
            }
          },
        );
      });
    },
    async close() {
      await client.endAsync();
      await server.stop();
    },
  };
}
