import { afterEach, describe, expect, it } from "vitest";
import { InMemoryTransport } from "@a2a/transport";
import { waitFor } from "@a2a/testing";
import { A2AAgent, handleShutdownSignals } from "@a2a/agent";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("ListTasks", () => {
  it("pages tasks newest first and filters by context", async () => {
    h = await harness((agent) => agent.registerTool(function echo() { return "x"; }));
    for (let i = 0; i < 3; i++) await h.client.call("SendMessage", textMessage(`m${i}`, { contextId: "ctx-a" }));
    await h.client.call("SendMessage", textMessage("other", { contextId: "ctx-b" }));
    const page1 = (await h.client.call("ListTasks", { contextId: "ctx-a", pageSize: 2 })).result as {
      tasks: { contextId: string; artifacts?: unknown }[];
      nextPageToken: string;
      totalSize: number;
    };
    expect(page1.tasks).toHaveLength(2);
    expect(page1.totalSize).toBe(3);
    expect(page1.tasks.every((t) => t.contextId === "ctx-a" && t.artifacts === undefined)).toBe(true);
    const page2 = (await h.client.call("ListTasks", { contextId: "ctx-a", pageSize: 2, pageToken: page1.nextPageToken })).result as {
      tasks: unknown[];
      nextPageToken: string;
    };
    expect(page2.tasks).toHaveLength(1);
    expect(page2.nextPageToken).toBe("");
  });
});

describe("handleShutdownSignals()", () => {
  it("stops the agent on a signal, clearing its retained card", async () => {
    const transport = new InMemoryTransport();
    const agent = new A2AAgent({ orgId: "o", agentId: "a", name: "n", description: "d", broker: transport });
    agent.registerTool(function t() { return 1; });
    await agent.start();
    expect(transport.broker.retainedMessage("discovery/o/a")).toBeDefined();
    const dispose = handleShutdownSignals(agent, { signals: ["SIGUSR2"], exit: false });
    try {
      process.emit("SIGUSR2", "SIGUSR2");
      await waitFor(() => transport.broker.retainedMessage("discovery/o/a") === undefined, { message: "the card to be cleared" });
    } finally {
      dispose();
      await transport.close();
    }
  });
});

describe("skill registration", () => {
  it("refuses duplicate ids and anonymous tools", () => {
    const agent = new A2AAgent({ orgId: "o", agentId: "a", name: "n", description: "d", broker: new InMemoryTransport() });
    agent.registerTool(function same() { return 1; });
    expect(() => agent.skill({ id: "same", handler: () => 2 })).toThrow(/already registered/);
    expect(() => agent.registerTool(() => 3)).toThrow(/named function/);
  });
});
