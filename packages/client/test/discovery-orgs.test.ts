import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient } from "../src/index.js";
import { publishCard } from "./helpers/scripted-agent.js";

describe("discovery scoped to orgs", () => {
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
    await publishCard(publisher, "acme", "echo", "online");
    await publishCard(publisher, "globex", "planner", "online");
    await publishCard(publisher, "initech", "printer", "online");
    expect((await client.agents()).map((a) => a.id)).toEqual(["acme/echo", "globex/planner"]);
  });
});
