// The conformance rules through @a2a/gateway: an HTTP JSON-RPC client, the gateway, and
// the agent under test on an MQTT broker.
import { afterAll, beforeAll, describe, it } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { createGateway, type Gateway } from "@a2a/gateway";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { agentUnderTest } from "./agent-under-test.js";
import { HttpAdapter } from "./http-adapter.js";
import { allRules } from "./rules/index.js";

describe("A2A conformance over HTTP JSON-RPC through the gateway (agent on aedes)", () => {
  let broker: AedesHandle;
  let agent: A2AAgent;
  let gateway: Gateway;
  let adapter: HttpAdapter;
  beforeAll(async () => {
    broker = await startAedes();
    agent = agentUnderTest(broker.url);
    await agent.start();
    gateway = await createGateway({ broker: broker.url, port: 0 });
    const id = `${agent.orgId}/${agent.agentId}`;
    await waitFor(() => gateway.agents().some((a) => a.id === id && a.status === "online"));
    adapter = new HttpAdapter({ name: "HTTP JSON-RPC through the gateway", url: `${gateway.url}/${id}` });
  });
  afterAll(async () => {
    await gateway?.close();
    await agent?.stop({ gracePeriodMs: 0 });
    await broker?.close();
  });
  for (const rule of allRules) {
    // Rules that need what the transport cannot express are not registered for it.
    if (rule.requires !== undefined && !new HttpAdapter({ name: "", url: "" }).features[rule.requires]) continue;
    it(`${rule.id} (${rule.section}): ${rule.text}`, () => rule.run(adapter));
  }
});
