import { describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { InMemoryBroker, InMemoryTransport, type InboundMessage, TransportError } from "@a2a/transport";

const text = (m: InboundMessage) => new TextDecoder().decode(m.payload);

async function connected(options: ConstructorParameters<typeof InMemoryTransport>[0]) {
  const transport = new InMemoryTransport(options);
  await transport.connect();
  return transport;
}

describe("InMemoryTransport", () => {
  it("refuses to publish before connect and after close, with a code", async () => {
    const transport = new InMemoryTransport();
    await expect(transport.publish("a", "x")).rejects.toMatchObject({ code: "NOT_CONNECTED" });
    await transport.connect();
    await transport.close();
    await expect(transport.publish("a", "x")).rejects.toBeInstanceOf(TransportError);
    await expect(transport.publish("a", "x")).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("refuses wildcards in a publish topic and malformed filters", async () => {
    const transport = await connected({});
    await expect(transport.publish("a/+", "x")).rejects.toMatchObject({ code: "INVALID_TOPIC" });
    await expect(transport.subscribe("a/#/b", () => {})).rejects.toMatchObject({ code: "INVALID_TOPIC" });
    await expect(transport.subscribe("a+", () => {})).rejects.toMatchObject({ code: "INVALID_TOPIC" });
  });

  it("delivers a message once to each local subscription even when filters overlap", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const got: string[] = [];
    await b.subscribe("x/+", (m) => got.push(`plus:${text(m)}`));
    await b.subscribe("x/#", (m) => got.push(`hash:${text(m)}`));
    await b.subscribe("x/+", (m) => got.push(`plus2:${text(m)}`));
    await a.publish("x/1", "m1");
    await waitFor(() => got.length >= 3, { message: "three deliveries" });
    await a.publish("x/2", "end");
    await waitFor(() => got.includes("hash:end"), { message: "end marker" });
    expect(got.filter((g) => g.endsWith(":m1")).sort()).toEqual(["hash:m1", "plus2:m1", "plus:m1"]);
  });

  it("keeps the broker subscription until the last local subscription leaves", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const got: string[] = [];
    const first = await b.subscribe("k", () => got.push("first"));
    await b.subscribe("k", () => got.push("second"));
    await first.unsubscribe();
    await first.unsubscribe(); // idempotent
    await a.publish("k", "1");
    await waitFor(() => got.length === 1, { message: "delivery to the remaining subscription" });
    expect(got).toEqual(["second"]);
  });

  it("reports PUBACK 0x10 on MQTT 5 when nobody subscribed, nothing on 3.1.1", async () => {
    const broker = new InMemoryBroker();
    const v5 = await connected({ broker });
    const v4 = await connected({ broker, protocolVersion: 4 });
    expect(await v5.publish("nobody", "x")).toEqual({ reasonCode: 0x10 });
    expect(await v4.publish("nobody", "x")).toEqual({});
    await v4.subscribe("somebody", () => {});
    expect(await v5.publish("somebody", "x")).toEqual({ reasonCode: 0 });
  });

  it("drops MQTT 5 properties on a 3.1.1 connection, both ways", async () => {
    const broker = new InMemoryBroker();
    const v5 = await connected({ broker });
    const v4 = await connected({ broker, protocolVersion: 4 });
    const atV4: InboundMessage[] = [];
    const atV5: InboundMessage[] = [];
    await v4.subscribe("p", (m) => atV4.push(m));
    await v5.subscribe("q", (m) => atV5.push(m));
    await v5.publish("p", "x", { properties: { responseTopic: "r", contentType: "text/plain" } });
    await v4.publish("q", "y", { properties: { responseTopic: "r" } });
    await waitFor(() => atV4.length === 1 && atV5.length === 1, { message: "both deliveries" });
    expect(atV4[0]?.properties).toEqual({});
    expect(atV5[0]?.properties).toEqual({});
    expect(v4.capabilities).toMatchObject({ protocolVersion: 4, messageProperties: false });
  });

  it("queues QoS 1 for an offline persistent session and delivers on reconnect, not QoS 0", async () => {
    const broker = new InMemoryBroker();
    const publisher = await connected({ broker });
    const first = await connected({ broker, clientId: "worker" });
    await first.subscribe("jobs", () => {});
    await first.close();
    await publisher.publish("jobs", "qos1", { qos: 1 });
    await publisher.publish("jobs", "qos0", { qos: 0 });
    const again = new InMemoryTransport({ broker, clientId: "worker" });
    const sessions: boolean[] = [];
    again.on("connected", (e) => sessions.push(e.sessionPresent));
    await again.connect();
    const got: string[] = [];
    // Subscribing after the queued message already arrived must still receive it.
    await again.subscribe("jobs", (m) => got.push(text(m)));
    await waitFor(() => got.length === 1, { message: "the queued message" });
    expect(got).toEqual(["qos1"]);
    expect(sessions).toEqual([true]);
  });

  it("a clean session forgets subscriptions and queued messages", async () => {
    const broker = new InMemoryBroker();
    const publisher = await connected({ broker });
    const first = await connected({ broker, clientId: "c", clean: true });
    await first.subscribe("jobs", () => {});
    await first.close();
    expect(await publisher.publish("jobs", "lost")).toEqual({ reasonCode: 0x10 });
  });

  it("reconnects after a broker restart without persistence and restores subscriptions", async () => {
    const broker = new InMemoryBroker({ persistence: false });
    const publisher = await connected({ broker });
    const subscriber = await connected({ broker });
    const got: string[] = [];
    await subscriber.subscribe("s/+", (m) => got.push(text(m)));
    const events: string[] = [];
    subscriber.on("disconnected", () => events.push("disconnected"));
    const reconnected = new Promise((resolve) => subscriber.on("connected", resolve));
    broker.restart();
    expect(subscriber.state).toBe("reconnecting");
    expect(await reconnected).toEqual({ reconnected: true, sessionPresent: false });
    await waitFor(() => publisher.state === "connected", { message: "publisher reconnect" });
    await publisher.publish("s/1", "after");
    await waitFor(() => got.length === 1, { message: "delivery after restart" });
    expect(events).toEqual(["disconnected"]);
  });

  it("queues publishes made while reconnecting", async () => {
    const broker = new InMemoryBroker();
    const [subscriber, publisher] = [await connected({ broker }), await connected({ broker })];
    const got: string[] = [];
    await subscriber.subscribe("q", (m) => got.push(text(m)));
    broker.stop();
    const sent = publisher.publish("q", "later");
    broker.start();
    await sent;
    await waitFor(() => got.length === 1, { message: "the queued publish" });
    expect(got).toEqual(["later"]);
  });

  it("delivers a shared subscription's message to exactly one member, round robin", async () => {
    const broker = new InMemoryBroker();
    const publisher = await connected({ broker });
    const members = await Promise.all([connected({ broker }), connected({ broker })]);
    const counts = [0, 0];
    let plain = 0;
    await members[0]?.subscribe("$share/g/w/+", () => counts[0]!++);
    await members[1]?.subscribe("$share/g/w/+", () => counts[1]!++);
    await members[1]?.subscribe("w/+", () => plain++);
    for (let i = 0; i < 10; i++) await publisher.publish(`w/${i}`, "job");
    await waitFor(() => counts[0]! + counts[1]! === 10 && plain === 10, { message: "ten shared deliveries" });
    expect(counts).toEqual([5, 5]);
  });

  it("keeps per-subscriber order", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const stream = await b.stream("o");
    const sent = Array.from({ length: 100 }, (_, i) => String(i));
    await Promise.all(sent.map((s) => a.publish("o", s)));
    const got: string[] = [];
    for await (const m of stream) {
      got.push(text(m));
      if (got.length === sent.length) break;
    }
    expect(got).toEqual(sent);
    // Leaving the loop unsubscribed: nobody is left on "o".
    expect(await a.publish("o", "x")).toEqual({ reasonCode: 0x10 });
  });

  it("fails a stream whose reader falls too far behind", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const stream = await b.stream("fast", { maxBuffered: 2 });
    for (let i = 0; i < 3; i++) await a.publish("fast", String(i));
    await waitFor(async () => (await a.publish("fast", "probe")).reasonCode === 0x10, { message: "overflow unsubscribe" });
    const iterator = stream[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toMatchObject({ done: false });
    await expect(iterator.next()).resolves.toMatchObject({ done: false });
    await expect(iterator.next()).rejects.toMatchObject({ code: "OVERFLOW" });
  });

  it("unsubscribes when the signal aborts", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const controller = new AbortController();
    await b.subscribe("ab", () => {}, { signal: controller.signal });
    expect(await a.publish("ab", "x")).toEqual({ reasonCode: 0 });
    controller.abort();
    await waitFor(async () => (await a.publish("ab", "x")).reasonCode === 0x10, { message: "unsubscribe on abort" });
  });

  it("reports a throwing handler as an error event and keeps delivering", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([a.connect(), b.connect()]);
    const errors: Error[] = [];
    b.on("error", (e) => errors.push(e));
    const got: string[] = [];
    await b.subscribe("h", (m) => {
      got.push(text(m));
      if (got.length === 1) throw new Error("boom");
    });
    await a.publish("h", "1");
    await a.publish("h", "2");
    await waitFor(() => got.length === 2, { message: "second delivery" });
    expect(errors[0]?.message).toMatch(/subscription h threw/);
  });

  it("expires queued messages after their message expiry interval", async () => {
    const broker = new InMemoryBroker();
    const publisher = await connected({ broker });
    const worker = await connected({ broker, clientId: "w" });
    await worker.subscribe("e", () => {});
    await worker.close();
    await publisher.publish("e", "stale", { properties: { messageExpiryInterval: 0 } });
    await publisher.publish("e", "fresh", { properties: { messageExpiryInterval: 60 } });
    const again = await connected({ broker, clientId: "w" });
    const got: InboundMessage[] = [];
    await again.subscribe("e", (m) => got.push(m));
    await waitFor(() => got.length === 1, { message: "the fresh message" });
    expect(text(got[0]!)).toBe("fresh");
    expect(got[0]?.properties.messageExpiryInterval).toBeLessThanOrEqual(60);
  });
});
