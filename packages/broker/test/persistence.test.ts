import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { createBroker, type Broker } from "../src/index.js";
import { closeAll, collect, connectAs, publishOutcome, subscribeCode } from "./helpers/mqtt-clients.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";

/** Resolves once aedes has routed (and, for offline sessions, stored) a message on `topic`. */
function routed(broker: Broker, topic: string): Promise<void> {
  return new Promise((resolve) => {
    const onPublish = (packet: { topic: string }) => {
      if (packet.topic !== topic) return;
      broker.aedes.off("publish", onPublish);
      resolve();
    };
    broker.aedes.on("publish", onPublish);
  });
}

describe("persistence", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await closeAll();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("keeps a persistent session's queued QoS 1 message and the retained card across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "a2a-broker-store-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const users = await fixtureUsers();
    const first = await createBroker({ port: 0, users, persistence: { dir } });
    cleanup.push(() => first.close());
    const target = { url: first.url, protocolVersion: 4 as const };

    // The agent subscribes with a persistent session, then goes away.
    const agentOptions = { clientId: "a2a-agent.acme.echo", clean: false };
    const agent = await connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] }, agentOptions);
    expect(await subscribeCode(agent, "acme/echo/tasks")).toBe(1);
    await publishOutcome(agent, { topic: "discovery/acme/echo", payload: "card-before-restart", retain: true });
    await agent.endAsync();

    const alice = await connectAs(target, { username: "alice", password: PASSWORDS.alice });
    const stored = routed(first, "acme/echo/tasks");
    await publishOutcome(alice, { topic: "acme/echo/tasks", payload: "task-while-offline" });
    await stored;
    await closeAll();
    await first.close();

    const second = await createBroker({ port: 0, users, persistence: { dir } });
    cleanup.push(() => second.close());
    // Attach the listener before CONNACK: queued messages follow it immediately.
    const back = connect(second.url, { ...agentOptions, username: "acme/echo", password: PASSWORDS["acme/echo"], reconnectPeriod: 0 });
    cleanup.push(() => back.endAsync(true));
    const got = collect(back);
    const connack = new Promise<boolean>((resolve) => back.once("connect", (packet) => resolve(packet.sessionPresent)));
    expect(await connack).toBe(true);
    await waitFor(() => got.find((m) => m.payload === "task-while-offline"), { message: "the queued task after the restart" });

    const reader = await connectAs({ url: second.url, protocolVersion: 4 }, { username: "alice", password: PASSWORDS.alice });
    const cards = collect(reader);
    expect(await subscribeCode(reader, "discovery/#")).toBe(1);
    await waitFor(() => cards.find((m) => m.payload === "card-before-restart" && m.retain), { message: "the retained card" });
  });

  it("explains when the database is in use by another broker", async () => {
    const dir = await mkdtemp(join(tmpdir(), "a2a-broker-store-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const first = await createBroker({ port: 0, persistence: { dir } });
    cleanup.push(() => first.close());
    await expect(createBroker({ port: 0, persistence: { dir } })).rejects.toThrow(/another broker/);
  });
});
