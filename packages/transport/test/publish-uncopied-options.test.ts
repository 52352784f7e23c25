import mqtt, { type MqttClient } from "mqtt";
import { describe, expect, it } from "vitest";
import { aedesClients } from "./helpers/aedes-clients.js";
import { publishWithoutOptionCopies } from "../src/mqtt/publish-uncopied-options.js";

interface Internals {
  _sendPacket(packet: object, cb?: unknown, cbStorePut?: unknown): void;
  outgoing: Record<number, { cmd: string; cb: unknown }>;
  disconnecting: boolean;
}

/** A client that is never connected, recording the packets mqtt.js would send. */
function recording(wrapped: boolean): { client: MqttClient; packets: object[] } {
  const client = mqtt.connect("mqtt://127.0.0.1:1", { manualConnect: true, protocolVersion: 5, reconnectPeriod: 0 });
  const packets: object[] = [];
  (client as unknown as Internals)._sendPacket = (packet) => void packets.push(packet);
  if (wrapped) publishWithoutOptionCopies(client);
  return { client, packets };
}

describe("publishWithoutOptionCopies", () => {
  const broker = aedesClients();

  it("makes of a QoS 1 publish the packet and the PUBACK entry mqtt.js's publish makes", () => {
    const options = { qos: 1 as const, retain: false, properties: { responseTopic: "replies/c/1", correlationData: Buffer.from([1, 2]), contentType: "application/json" } };
    const plain = recording(false);
    const fast = recording(true);
    const callback = (): void => undefined;
    plain.client.publish("a/b", "{}", options, callback);
    fast.client.publish("a/b", "{}", options, callback);
    expect(fast.packets).toHaveLength(1);
    // Message ids start at a random number in each client.
    const [made, expected] = [fast.packets[0], plain.packets[0]] as Array<{ messageId: number }>;
    expect({ ...made, messageId: 0 }).toEqual({ ...expected, messageId: 0 });
    expect(Object.keys(made!)).toEqual(Object.keys(expected!));
    const entry = (fast.client as unknown as Internals).outgoing[made!.messageId];
    expect(entry).toEqual((plain.client as unknown as Internals).outgoing[expected!.messageId]);
    expect(entry?.cb).toBe(callback);
  });

  it("leaves publishes it does not make to mqtt.js: a client disconnecting fails them", () => {
    const fast = recording(true);
    (fast.client as unknown as Internals).disconnecting = true;
    const errors: Error[] = [];
    fast.client.publish("a/b", "{}", { qos: 1 }, (error) => void (error && errors.push(error)));
    expect(errors.map((e) => e.message)).toEqual(["client disconnecting"]);
    expect(fast.packets).toHaveLength(0);
  });

  it("delivers QoS 1 publishes through a broker and settles each on its PUBACK", async () => {
    const client = broker.connect({ protocolVersion: 4, reconnectPeriod: 0 });
    publishWithoutOptionCopies(client);
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    const received: string[] = [];
    client.on("message", (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync("t/#", { qos: 1 });
    const acked = await Promise.all([client.publishAsync("t/1", "one", { qos: 1 }), client.publishAsync("t/2", "two", { qos: 1, retain: false })]);
    expect(acked.map((p) => p?.messageId).every((id) => typeof id === "number")).toBe(true);
    await expect.poll(() => received.sort()).toEqual(["one", "two"]);
    expect(Object.keys((client as unknown as Internals).outgoing)).toHaveLength(0);
  });
});
