/**
 * The bare mqtt.js responder: the limit of this stack. It parses each request,
 * echoes its params as the result to the request's reply topic (QoS 1), and for
 * a stream publishes the status frames first. No validation, no task store.
 */
import { STREAM_STATUS_EVENTS } from "../lib/payloads.js";
import { HoldGate } from "../lib/gate.js";
import { connectBare } from "../lib/mqtt-connect.js";
import { requireEnv, type ServerControl, type StartedServer } from "../lib/server-control.js";

export const REQUEST_TOPIC = "bench/echo/requests";

export async function start(env: Record<string, string>, control: ServerControl): Promise<StartedServer> {
  const gate = new HoldGate();
  control.handle("hold", (count) => gate.arm(Number(count)));
  const version = Number(requireEnv(env, "BENCH_MQTT_VERSION")) as 4 | 5;
  const client = await connectBare(requireEnv(env, "BENCH_BROKER_URL"), version, `bench-responder-${process.pid}-${Date.now()}`);
  client.on("message", (_topic, payload) => {
    const request = JSON.parse(payload.toString("utf8")) as { id: number; replyTo: string; stream?: boolean; params: unknown };
    const reply = (): void => {
      if (request.stream) {
        for (let seq = 0; seq < STREAM_STATUS_EVENTS; seq++) {
          client.publish(request.replyTo, JSON.stringify({ id: request.id, seq, result: { state: "working" } }), { qos: 1 });
        }
        client.publish(
          request.replyTo,
          JSON.stringify({ id: request.id, seq: STREAM_STATUS_EVENTS, final: true, result: request.params }),
          { qos: 1 },
        );
      } else {
        client.publish(request.replyTo, JSON.stringify({ id: request.id, result: request.params }), { qos: 1 });
      }
    };
    const held = gate.pass();
    if (held) void held.then(reply);
    else reply();
  });
  await client.subscribeAsync(REQUEST_TOPIC, { qos: 1 });
  return { info: { topic: REQUEST_TOPIC }, stop: () => client.endAsync() };
}
