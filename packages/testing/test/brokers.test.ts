import { afterEach, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { freePort, requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function roundTrip(url: string, protocolVersion: 4 | 5): Promise<string> {
  const client = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync(true));
  const got = new Promise<string>((resolve) => client.on("message", (_t, p) => resolve(p.toString())));
  await client.subscribeAsync("t/1", { qos: 1 });
  await client.publishAsync("t/1", "hello", { qos: 1 });
  return waitFor(got, { message: "the message back" });
}

describe("freePort", () => {
  it("returns a port that can be bound", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const aedes = await startAedes({ port });
    cleanups.push(() => aedes.close());
    expect(aedes.port).toBe(port);
  });
});

describe("waitFor", () => {
  it("fails with the message after the timeout", async () => {
    await expect(waitFor(() => false, { timeoutMs: 30, message: "never" })).rejects.toThrow(/30 ms waiting for never/);
  });
  it("returns the predicate's value", async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : 0))).resolves.toBe(3);
  });
});

describe("startAedes", () => {
  it("carries messages and keeps its port across restart", async () => {
    const aedes = await startAedes();
    cleanups.push(() => aedes.close());
    expect(await roundTrip(aedes.url, 4)).toBe("hello");
    await aedes.restart();
    expect(await roundTrip(aedes.url, 4)).toBe("hello");
  });
});

describe.runIf(requireMosquitto())("startMosquitto", () => {
  it("speaks MQTT 5 and keeps retained messages across restart with persistence", async () => {
    const broker = await startMosquitto({ persistence: true });
    cleanups.push(() => broker.close());
    expect(await roundTrip(broker.url, 5)).toBe("hello");
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    await publisher.publishAsync("keep", "retained", { qos: 1, retain: true });
    await publisher.endAsync();
    await broker.restart();
    const reader = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    cleanups.push(() => reader.endAsync(true));
    const got = new Promise<string>((resolve) => reader.on("message", (_t, p) => resolve(p.toString())));
    await reader.subscribeAsync("keep");
    expect(await waitFor(got, { message: "the retained message" })).toBe("retained");
  });
});
