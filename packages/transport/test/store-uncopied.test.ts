import { once } from "node:events";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { createRequire } from "node:module";
import mqtt, { type MqttClient } from "mqtt";
import { describe, expect, it } from "vitest";
import { aedesClients } from "./helpers/aedes-clients.js";
import { storePublishesUncopied } from "../src/mqtt/store-uncopied.js";

const mqttPacket = createRequire(createRequire(import.meta.url).resolve("mqtt"))("mqtt-packet") as {
  generate(packet: object): Buffer;
  parser(options: { protocolVersion: number }): { parse(chunk: Buffer): number; on(event: "packet", listener: (p: Record<string, unknown>) => void): void };
};

interface Stored {
  payload: unknown;
  topic: string;
}

/** Records what the client puts in its outgoing store and what it writes. */
function watch(client: MqttClient): { stored: Stored[]; sent: Stored[] } {
  const seen = { stored: [] as Stored[], sent: [] as Stored[] };
  const store = client.outgoingStore as unknown as { put(packet: Stored, cb: () => void): unknown };
  const put = store.put.bind(store);
  store.put = (packet, cb) => {
    seen.stored.push(packet);
    return put(packet, cb);
  };
  client.on("packetsend", (packet) => {
    if (packet.cmd === "publish") seen.sent.push(packet);
  });
  return seen;
}

function connected(client: MqttClient): Promise<void> {
  const done = new Promise<void>((resolve) => client.once("connect", () => resolve()));
  client.connect();
  return done;
}

describe("storePublishesUncopied", () => {
  const broker = aedesClients();

  it("stores a text PUBLISH as it is written, copies a binary one, and both arrive", async () => {
    const client = broker.connect({ manualConnect: true, protocolVersion: 4, reconnectPeriod: 0 });
    storePublishesUncopied(client);
    const seen = watch(client);
    await connected(client);
    const received: string[] = [];
    client.on("message", (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync("t/#", { qos: 1 });

    await client.publishAsync("t/text", "hello", { qos: 1 });
    const bytes = Buffer.from("bytes");
    await client.publishAsync("t/binary", bytes, { qos: 1 });

    expect(seen.stored).toHaveLength(2);
    expect(seen.stored[0]).toBe(seen.sent[0]);
    expect(seen.stored[1]).not.toBe(seen.sent[1]);
    expect(seen.stored[1]!.payload).not.toBe(bytes);
    expect(Buffer.from(seen.stored[1]!.payload as Buffer).toString()).toBe("bytes");
    await expect.poll(() => received.sort()).toEqual(["bytes", "hello"]);
    // Both acknowledged: nothing is left in the store.
    const inflight = (client.outgoingStore as unknown as { _inflights: Map<number, unknown> })._inflights;
    expect(inflight.size).toBe(0);
  });

  it("sends a stored text PUBLISH again after a reconnect, until it is acknowledged", async () => {
    // A broker that drops the connection instead of acknowledging the first PUBLISH.
    const publishes: Array<{ topic: unknown; payload: string }> = [];
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      parser.on("packet", (packet) => {
        if (packet.cmd === "connect") socket.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: sockets.length > 1 }));
        if (packet.cmd === "publish") {
          publishes.push({ topic: packet.topic, payload: String(packet.payload) });
          if (publishes.length === 1) socket.destroy();
          else socket.write(mqttPacket.generate({ cmd: "puback", messageId: packet.messageId }));
        }
      });
      socket.on("data", (chunk: Buffer) => parser.parse(chunk));
      socket.on("error", () => {});
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    let client: MqttClient | undefined;
    try {
      const { port } = server.address() as AddressInfo;
      client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { manualConnect: true, protocolVersion: 4, clean: false, clientId: "uncopied", reconnectPeriod: 20 });
      storePublishesUncopied(client);
      await connected(client);
      await client.publishAsync("t/again", "once more", { qos: 1 });
      expect(publishes).toEqual([
        { topic: "t/again", payload: "once more" },
        { topic: "t/again", payload: "once more" },
      ]);
    } finally {
      await client?.endAsync(true);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
