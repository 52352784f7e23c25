import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireMosquitto, seededRandom, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";

/**
 * Messages of every size class the transport's writer and reader treat differently
 * (copied into one write or passed on, packets whole in a chunk or carried over several,
 * above the carry bound), many in flight both ways, each answered from a promise turn
 * with two replies: every byte must arrive, in order, whatever the writes and reads
 * were cut into.
 */
const SIZES = [10, 300, 3_000, 17_000, 70_000, 1_200_000] as const;

function body(index: number, size: number, salt: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (index * 31 + i * 7 + salt) & 0xff;
  out.writeUInt32BE(index, 0);
  return out;
}

async function exchange(url: string, protocolVersion: 4 | 5, seed: number): Promise<void> {
  const requester = new MqttTransport({ url, protocolVersion });
  const replier = new MqttTransport({ url, protocolVersion });
  await Promise.all([requester.connect(), replier.connect()]);
  try {
    const topic = `stress/${seed}`;
    await replier.subscribe(`${topic}/req`, (message) => {
      const index = Buffer.from(message.payload).readUInt32BE(0);
      const size = message.payload.byteLength;
      // As an agent answers: a few promise turns on, a reply and a second message.
      void Promise.resolve()
        .then(() => undefined)
        .then(() => {
          void replier.publish(`${topic}/rep`, body(index, size, 1), { qos: 1 });
          void replier.publish(`${topic}/rep`, body(index, Math.min(size, 3_000), 2), { qos: 1 });
        });
    });
    const received = new Map<number, Buffer[]>();
    let bad = 0;
    await requester.subscribe(`${topic}/rep`, (message) => {
      const payload = Buffer.from(message.payload);
      const index = payload.readUInt32BE(0);
      const replies = received.get(index) ?? [];
      replies.push(payload);
      received.set(index, replies);
      if (payload.byteLength < 4) bad++;
    });
    const rnd = seededRandom(seed);
    const sizes = Array.from({ length: 240 }, () => SIZES[Math.floor(rnd() * (rnd() < 0.97 ? SIZES.length - 1 : SIZES.length))]!);
    let next = 0;
    const sendOne = async (): Promise<void> => {
      while (next < sizes.length) {
        const index = next++;
        await requester.publish(`${topic}/req`, body(index, sizes[index]!, 0), { qos: 1 });
      }
    };
    await Promise.all(Array.from({ length: 40 }, sendOne));
    await waitFor(() => [...received.values()].reduce((n, r) => n + r.length, 0) === sizes.length * 2, {
      timeoutMs: 30_000,
      message: `both replies to each of ${sizes.length} requests`,
    });
    expect(bad).toBe(0);
    for (const [index, size] of sizes.entries()) {
      const [first, second] = received.get(index)!;
      expect(first!.equals(body(index, size, 1)), `reply 1 to request ${index} (${size} bytes)`).toBe(true);
      expect(second!.equals(body(index, Math.min(size, 3_000), 2)), `reply 2 to request ${index}`).toBe(true);
    }
  } finally {
    await Promise.all([requester.close(), replier.close()]);
  }
}

describe("messages of mixed sizes, many in flight, answered from promise turns", () => {
  describe("aedes, MQTT 3.1.1", () => {
    let aedes: Awaited<ReturnType<typeof startAedes>>;
    beforeAll(async () => {
      aedes = await startAedes({ persistence: false });
    });
    afterAll(() => aedes.close());
    it("arrive whole and in order", () => exchange(aedes.url, 4, 11), 60_000);
  });

  describe.runIf(requireMosquitto())("mosquitto, MQTT 5", () => {
    let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
    beforeAll(async () => {
      mosquitto = await startMosquitto();
    });
    afterAll(() => mosquitto.close());
    it("arrive whole and in order", () => exchange(mosquitto.url, 5, 12), 60_000);
  });
});
