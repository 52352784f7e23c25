import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AedesHandle, freePort, requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import type { Transport } from "@a2a/transport";
import { MqttTransport, type MqttTransportOptions } from "@a2a/transport/mqtt";

const open: Transport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function connected(options: MqttTransportOptions): Promise<MqttTransport> {
  const transport = new MqttTransport({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...options });
  open.push(transport);
  await transport.connect();
  return transport;
}

/**
 * Lower-quartile QoS 1 request/reply round trip, in ms. The replier acknowledges the request
 * and publishes the reply back to back: the pattern Nagle's algorithm delays by ~40 ms.
 */
async function typicalFastRoundTripMs(requester: Transport, replier: Transport, topic: string): Promise<number> {
  const server = await replier.subscribe(`${topic}/req`, () => void replier.publish(`${topic}/rep`, "pong", { qos: 1 }));
  let resolveNext: (() => void) | undefined;
  const client = await requester.subscribe(`${topic}/rep`, () => resolveNext?.());
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const got = new Promise<void>((resolve) => (resolveNext = resolve));
    const start = performance.now();
    await requester.publish(`${topic}/req`, "ping", { qos: 1 });
    await waitFor(got, { message: "the reply" });
    times.push(performance.now() - start);
  }
  await Promise.all([server.unsubscribe(), client.unsubscribe()]);
  // The lower quartile, not the median: a loaded machine delays some round trips, while
  // Nagle's ~40 ms delayed ACK hits every one of them.
  return times.sort((x, y) => x - y)[5]!;
}

describe("MqttTransport on aedes", () => {
  let aedes: AedesHandle;
  beforeAll(async () => {
    aedes = await startAedes({ persistence: false });
  });
  afterAll(() => aedes.close());

  it("falls back to MQTT 3.1.1 when the broker refuses MQTT 5", async () => {
    const transport = await connected({ url: aedes.url });
    expect(transport.capabilities).toEqual({ protocolVersion: 4, messageProperties: false, sharedSubscriptions: false, retain: true });
  });

  it("fails clearly when MQTT 5 is required and the broker refuses it", async () => {
    const transport = new MqttTransport({ url: aedes.url, protocolVersion: 5 });
    await expect(transport.connect()).rejects.toMatchObject({ code: "CONNECT_FAILED", message: /Could not connect/ });
    expect(transport.state).toBe("idle");
  });

  it("fails clearly when nothing listens", async () => {
    const transport = new MqttTransport({ url: `mqtt://127.0.0.1:${await freePort()}` });
    await expect(transport.connect()).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });

  it("round-trips in well under Nagle's ~40 ms, also after a reconnect (TCP_NODELAY)", async () => {
    const a = await connected({ url: aedes.url });
    const b = await connected({ url: aedes.url });
    expect(await typicalFastRoundTripMs(a, b, "nodelay/1")).toBeLessThan(15);
    const back = new Promise((resolve) => a.on("connected", resolve));
    a.simulateConnectionLoss();
    await waitFor(back, { message: "the reconnect" });
    expect(await typicalFastRoundTripMs(a, b, "nodelay/2")).toBeLessThan(15);
  });

  it("restores its subscriptions when the broker lost the session", async () => {
    const subscriber = await connected({ url: aedes.url, clean: false });
    const publisher = await connected({ url: aedes.url, clean: true });
    const got: string[] = [];
    await subscriber.subscribe("restore/+", (m) => got.push(new TextDecoder().decode(m.payload)));
    const events: unknown[] = [];
    subscriber.on("disconnected", () => events.push("disconnected"));
    const back = new Promise((resolve) => subscriber.on("connected", resolve));
    await aedes.restart();
    expect(await waitFor(back, { message: "the reconnect" })).toEqual({ reconnected: true, sessionPresent: false });
    expect(events).toEqual(["disconnected"]);
    await waitFor(() => publisher.state === "connected", { message: "the publisher's reconnect" });
    await publisher.publish("restore/1", "after");
    await waitFor(() => got.length === 1, { message: "a delivery on the restored subscription" });
  });

  it("sends bytes as they were at publish time and text as given, also when queued across a reconnect", async () => {
    const publisher = await connected({ url: aedes.url });
    const subscriber = await connected({ url: aedes.url });
    const got: string[] = [];
    await subscriber.subscribe("queued/+", (m) => got.push(new TextDecoder().decode(m.payload)));
    const back = new Promise((resolve) => publisher.on("connected", resolve));
    publisher.simulateConnectionLoss();
    const bytes = new TextEncoder().encode("bytes");
    const sent = Promise.all([publisher.publish("queued/1", bytes, { qos: 1 }), publisher.publish("queued/2", "text é", { qos: 1 })]);
    bytes.fill(0x78);
    await waitFor(back, { message: "the reconnect" });
    await waitFor(sent, { message: "the acknowledgements" });
    await waitFor(() => got.length === 2, { message: "both deliveries" });
    expect(got.sort()).toEqual(["bytes", "text é"]);
  });

  it("keeps a busy connection alive with a PINGREQ per keepalive, answered by the broker", async () => {
    const transport = await connected({ url: aedes.url, keepaliveSeconds: 1 });
    const client = (transport as unknown as { client: { on(event: string, listener: (packet: { cmd: string }) => void): void } }).client;
    let pings = 0;
    let pongs = 0;
    client.on("packetsend", (packet) => void (packet.cmd === "pingreq" && pings++));
    client.on("packetreceive", (packet) => void (packet.cmd === "pingresp" && pongs++));
    let dropped = false;
    transport.on("disconnected", () => (dropped = true));
    // PUBACKs keep arriving all along; they no longer push the next PINGREQ back.
    await waitFor(
      async () => {
        await transport.publish("busy/keepalive", "x", { qos: 1 });
        return pongs >= 2;
      },
      { timeoutMs: 6_000, intervalMs: 20, message: "two answered PINGREQs on a busy connection" },
    );
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(dropped).toBe(false);
    expect(transport.state).toBe("connected");
  });

  it("closes promptly even when the broker is gone", async () => {
    const broker = await startAedes();
    const transport = await connected({ url: broker.url });
    await broker.close();
    await waitFor(() => transport.state === "reconnecting", { message: "the disconnect" });
    await transport.close();
    expect(transport.state).toBe("closed");
    await expect(transport.publish("x", "y")).rejects.toMatchObject({ code: "CLOSED" });
  });
});

describe.runIf(requireMosquitto())("MqttTransport on mosquitto", () => {
  it("negotiates MQTT 5 with auto and reads the broker's capabilities", async () => {
    const broker = await startMosquitto();
    try {
      const transport = await connected({ url: broker.url });
      expect(transport.capabilities).toMatchObject({ protocolVersion: 5, messageProperties: true, sharedSubscriptions: true, retain: true });
      const refusing = await startMosquitto({ extraConfig: "retain_available false" });
      try {
        const other = await connected({ url: refusing.url });
        expect(other.capabilities.retain).toBe(false);
      } finally {
        await refusing.close();
      }
    } finally {
      await Promise.all(open.splice(0).map((t) => t.close()));
      await broker.close();
    }
  });
});
