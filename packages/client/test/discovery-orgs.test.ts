import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { encodeInstancePresence } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import { A2AClient, type AgentEvent } from "../src/index.js";
import { publishCard } from "./helpers/scripted-agent.js";

describe("discovery scoped to orgs, and pools", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("receives only the cards of the orgs it watches", async () => {
    const broker = new InMemoryBroker();
    const publisher = new InMemoryTransport({ broker, protocolVersion: 5 });
    await publisher.connect();
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion: 5 }), discoveryOrgs: ["acme", "globex"] });
    cleanups.push(async () => {
      await client.close();
      await publisher.close();
    });
    await publishCard(publisher, { org: "acme", agent: "echo", status: "online" });
    await publishCard(publisher, { org: "globex", agent: "planner", status: "online" });
    await publishCard(publisher, { org: "initech", agent: "printer", status: "online" });
    expect((await client.findAgents()).map((a) => a.id)).toEqual(["acme/echo", "globex/planner"]);
  });

  it("shows a pool offline when every instance's presence is, whatever its card says, and online again when one returns", async () => {
    const broker = new InMemoryBroker();
    const publisher = new InMemoryTransport({ broker, protocolVersion: 5 });
    await publisher.connect();
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion: 5 }) });
    cleanups.push(async () => {
      await client.close();
      await publisher.close();
    });
    const presence = (instance: string, status: "online" | "offline") =>
      publisher.publish(`discovery/acme/echo/instances/${instance}`, encodeInstancePresence(instance, status), { qos: 1, retain: true });
    await publishCard(publisher, { org: "acme", agent: "echo", status: "online" });
    await presence("i1", "online");
    await presence("i2", "online");
    const events: AgentEvent[] = [];
    const watch = new AbortController();
    void (async () => {
      for await (const e of client.watchAgents({ signal: watch.signal })) events.push(e);
    })();
    await waitFor(() => events.some((e) => e.type === "online"), { message: "the pool online" });
    await presence("i1", "offline");
    expect((await client.agent("acme/echo").info())?.status).toBe("online");
    await presence("i2", "offline");
    await waitFor(() => events.at(-1)?.type === "offline", { message: "the pool offline" });
    const info = await client.agent("acme/echo").info();
    expect([info?.status, info?.cardStatus]).toEqual(["offline", "online"]);
    await presence("i2", "online");
    await waitFor(() => events.at(-1)?.type === "online", { message: "the pool online again" });
    expect((await client.agent("acme/echo").info())?.cardStatus).toBeUndefined();
    watch.abort();
  });
});
