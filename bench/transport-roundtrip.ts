/**
 * Request/reply round trips through MqttTransport against bare mqtt.js on the same
 * broker: sequential p50/p99 and throughput with 32 requests in flight, QoS 1.
 * Prints a table and the MqttTransport / mqtt.js ratios. A measurement, not a test.
 *
 *   npx tsx bench/transport-roundtrip.ts [--requests=2000] [--inflight-total=20000]
 */
import type { Socket } from "node:net";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
// Source imports: the script runs without building the packages first.
import { mosquittoAvailable, startAedes, startMosquitto } from "../packages/testing/src/index.js";
import { MqttTransport } from "../packages/transport/src/mqtt/index.js";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    "inflight-total": { type: "string", default: "20000" },
  },
});
const SEQUENTIAL = Number(args.requests);
const IN_FLIGHT_TOTAL = Number(args["inflight-total"]);
const IN_FLIGHT = 32;

/** The two ends of a request/reply pair, whatever the client library. */
interface Pair {
  /** Sends request `id`; `onReply` is called with each reply's id. */
  request(id: number): void;
  onReply(handler: (id: number) => void): void;
  close(): Promise<void>;
}

const encode = (id: number) => Buffer.from(`{"id":${id}}`);
const decode = (payload: Uint8Array) => (JSON.parse(Buffer.from(payload).toString()) as { id: number }).id;

async function barePair(url: string, protocolVersion: 4 | 5, ns: string): Promise<Pair> {
  const connect = async () => {
    const client = await mqtt.connectAsync(url, { protocolVersion, clean: true });
    // mqtt.js does not set TCP_NODELAY itself; without it this baseline would be Nagle-bound.
    (client.stream as unknown as Socket).setNoDelay(true);
    return client;
  };
  const [requester, replier] = [await connect(), await connect()];
  replier.on("message", (_topic, payload) => replier.publish(`${ns}/rep`, payload, { qos: 1 }));
  await replier.subscribeAsync(`${ns}/req`, { qos: 1 });
  await requester.subscribeAsync(`${ns}/rep`, { qos: 1 });
  return {
    request: (id) => requester.publish(`${ns}/req`, encode(id), { qos: 1 }),
    onReply: (handler) => requester.on("message", (_topic, payload) => handler(decode(payload))),
    close: async () => {
      await Promise.all([requester.endAsync(), replier.endAsync()]);
    },
  };
}

async function transportPair(url: string, protocolVersion: 4 | 5, ns: string): Promise<Pair> {
  const connect = async () => {
    const transport = new MqttTransport({ url, protocolVersion, clean: true });
    await transport.connect();
    return transport;
  };
  const [requester, replier] = [await connect(), await connect()];
  await replier.subscribe(`${ns}/req`, (m) => void replier.publish(`${ns}/rep`, m.payload, { qos: 1 }));
  let handler: (id: number) => void = () => {};
  await requester.subscribe(`${ns}/rep`, (m) => handler(decode(m.payload)));
  return {
    request: (id) => void requester.publish(`${ns}/req`, encode(id), { qos: 1 }),
    onReply: (h) => {
      handler = h;
    },
    close: async () => {
      await Promise.all([requester.close(), replier.close()]);
    },
  };
}

interface Result {
  p50: number;
  p99: number;
  perSecond: number;
}

async function measure(pair: Pair): Promise<Result> {
  const waiting = new Map<number, () => void>();
  pair.onReply((id) => {
    waiting.get(id)?.();
    waiting.delete(id);
  });
  const send = (id: number) =>
    new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      pair.request(id);
    });

  let id = 0;
  for (let i = 0; i < 200; i++) await send(id++); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await send(id++);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;

  let sent = 0;
  const start = performance.now();
  const worker = async () => {
    while (sent < IN_FLIGHT_TOTAL) {
      sent++;
      await send(id++);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const perSecond = IN_FLIGHT_TOTAL / ((performance.now() - start) / 1000);
  return { p50: at(0.5), p99: at(0.99), perSecond };
}

const fmt = (n: number, digits = 3) => n.toFixed(digits).padStart(9);

async function main(): Promise<void> {
  const brokers: Array<{ name: string; version: 4 | 5; start: () => Promise<{ url: string; close(): Promise<void> }> }> = [
    { name: "aedes (3.1.1)", version: 4, start: () => startAedes({ persistence: false }) },
  ];
  if (mosquittoAvailable()) brokers.push({ name: "mosquitto (5)", version: 5, start: () => startMosquitto() });
  else console.error("mosquitto not found: measuring aedes only");

  console.log(`QoS 1 request/reply; ${SEQUENTIAL} sequential, ${IN_FLIGHT_TOTAL} with ${IN_FLIGHT} in flight`);
  console.log(`${"broker".padEnd(15)} ${"client".padEnd(14)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)} ${"req/s".padStart(9)}`);
  for (const broker of brokers) {
    const handle = await broker.start();
    try {
      const results: Record<string, Result> = {};
      for (const [name, build] of [["mqtt.js", barePair], ["MqttTransport", transportPair]] as const) {
        const pair = await build(handle.url, broker.version, `bench/${name}`);
        results[name] = await measure(pair);
        await pair.close();
        const r = results[name];
        console.log(`${broker.name.padEnd(15)} ${name.padEnd(14)} ${fmt(r.p50)} ${fmt(r.p99)} ${fmt(r.perSecond, 0)}`);
      }
      const bare = results["mqtt.js"]!;
      const ours = results.MqttTransport!;
      console.log(
        `${broker.name.padEnd(15)} ${"ratio".padEnd(14)} ${fmt(ours.p50 / bare.p50, 2)} ${fmt(ours.p99 / bare.p99, 2)} ${fmt(ours.perSecond / bare.perSecond, 2)}   (MqttTransport / mqtt.js)`,
      );
    } finally {
      await handle.close();
    }
  }
}

await main();
