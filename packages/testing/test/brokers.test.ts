import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { freePort, mosquittoTestConfig, requireMosquitto, spawnMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";

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

describe.runIf(requireMosquitto())("spawnMosquitto", () => {
  async function configFile(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "a2a-spawn-mosquitto-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "mosquitto.conf");
    await writeFile(file, `${text}\n${mosquittoTestConfig()}`);
    return file;
  }

  it("resolves once every listener accepts, and stops on close()", async () => {
    const [port, second] = [await freePort(), await freePort()];
    const file = await configFile(`listener ${port} 127.0.0.1\nlistener ${second} 127.0.0.1\nallow_anonymous true`);
    const mosquitto = await spawnMosquitto({ configFile: file, ports: [port, second] });
    cleanups.push(() => mosquitto.close());
    expect(await roundTrip(`mqtt://127.0.0.1:${second}`, 5)).toBe("hello");
    await mosquitto.close();
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 2_000 })).rejects.toThrow();
  });

  it("fails at once with mosquitto's own words when the config is wrong", async () => {
    const file = await configFile(`listener ${await freePort()} 127.0.0.1\nno_such_option true`);
    const started = Date.now();
    await expect(spawnMosquitto({ configFile: file, ports: [1], startTimeoutMs: 8_000 })).rejects.toThrow(/mosquitto did not start \(exited with \d+\).*no_such_option/s);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
