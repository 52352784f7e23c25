import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { createBroker, InvalidUserError } from "../src/index.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";
import { closeAll, collect, connectAs, publishOutcome, subscribeCode, waitForMessage } from "./helpers/mqtt-clients.js";

describe("createBroker", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await closeAll();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("starts an open broker on a free port and reports its URL", async () => {
    const broker = await createBroker({ port: 0 });
    cleanup.push(() => broker.close());
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const client = await connectAs({ url: broker.url, protocolVersion: 4 }, {});
    const got = collect(client);
    expect(await subscribeCode(client, "anything/#")).toBe(1);
    await publishOutcome(client, { topic: "anything/goes", payload: "hello" });
    await waitForMessage(got, { topic: "anything/goes", payload: "hello" });
  });

  it("bridges MQTT over WebSocket and TCP clients", async () => {
    const broker = await createBroker({ port: 0, wsPort: 0, users: await fixtureUsers(), logger: () => {} });
    cleanup.push(() => broker.close());
    expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.wsPort}`);
    const browser = await connectAs({ url: broker.wsUrl!, protocolVersion: 4 }, { username: "alice", password: PASSWORDS.alice });
    const agent = await connectAs({ url: broker.url, protocolVersion: 4 }, { username: "acme/echo", password: PASSWORDS["acme/echo"] });
    const agentGot = collect(agent);
    const browserGot = collect(browser);
    expect(await subscribeCode(agent, "acme/echo/tasks")).toBe(1);
    expect(await subscribeCode(browser, "replies/alice/#")).toBe(1);
    // The ACL applies to WebSocket clients too.
    expect(await subscribeCode(browser, "replies/bob/#")).toBe(0x80);
    await publishOutcome(browser, { topic: "acme/echo/tasks", payload: "from-the-browser" });
    await waitForMessage(agentGot, { topic: "acme/echo/tasks", payload: "from-the-browser" });
    await publishOutcome(agent, { topic: "replies/alice/inbox", payload: "to-the-browser" });
    await waitForMessage(browserGot, { topic: "replies/alice/inbox", payload: "to-the-browser" });
  });

  it("answers request/reply round trips without Nagle's delay (TCP_NODELAY on broker sockets)", async () => {
    const broker = await createBroker({ port: 0 });
    cleanup.push(() => broker.close());
    const target = { url: broker.url, protocolVersion: 4 as const };
    const requester = await connectAs(target, {});
    const responder = await connectAs(target, {});
    await subscribeCode(responder, "rt/request");
    await subscribeCode(requester, "rt/reply");
    responder.on("message", (_topic, payload) => responder.publish("rt/reply", payload, { qos: 1 }));
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      const replied = new Promise<void>((resolve) => requester.once("message", () => resolve()));
      await requester.publishAsync("rt/request", String(i), { qos: 1 });
      await replied;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    // With Nagle every QoS 1 round trip waits ~40 ms for a delayed ACK; without it, well
    // under 1 ms. The lower quartile ignores round trips a loaded machine slowed down.
    expect(times[Math.floor(times.length / 4)]).toBeLessThan(20);
  });

  it("reads a users file and explains a bad one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "a2a-broker-users-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "users.json");
    await writeFile(path, JSON.stringify({ users: await fixtureUsers() }));
    const broker = await createBroker({ port: 0, users: path });
    cleanup.push(() => broker.close());
    await connectAs({ url: broker.url, protocolVersion: 4 }, { username: "alice", password: PASSWORDS.alice });

    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ users: [{ username: "x", role: "agent", passwordHash: "plain" }] }));
    await expect(createBroker({ port: 0, users: bad })).rejects.toThrow(/users\.0\.passwordHash: passwordHash must be made by hashPassword/);
    await writeFile(bad, JSON.stringify({ users: [{ username: "lonely", role: "agent" }] }));
    await expect(createBroker({ port: 0, users: bad })).rejects.toThrow(InvalidUserError);
  });

  it("closes idempotently and frees its port", async () => {
    const broker = await createBroker({ port: 0 });
    const client = await connectAs({ url: broker.url, protocolVersion: 4 }, {});
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    await Promise.all([broker.close(), broker.close()]);
    await closed;
    await expect(connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
