import { afterAll, beforeAll, describe, it } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto } from "@a2a/testing";
import type { ConformanceAdapter } from "./adapter.js";
import { agentUnderTest } from "./agent-under-test.js";
import { MqttAdapter } from "./mqtt-adapter.js";
import { allRules } from "./rules/index.js";

interface Setup {
  name: string;
  available: () => boolean;
  start: () => Promise<{ url: string; close(): Promise<unknown> }>;
  agentProtocol: 4 | 5;
  clientProtocol: 4 | 5;
}

const setups: Setup[] = [
  { name: "MQTT 3.1.1 on aedes", available: () => true, start: () => startAedes(), agentProtocol: 4, clientProtocol: 4 },
  { name: "MQTT 5 on mosquitto", available: requireMosquitto, start: () => startMosquitto(), agentProtocol: 5, clientProtocol: 5 },
  { name: "a 3.1.1 client and an MQTT 5 agent on mosquitto", available: requireMosquitto, start: () => startMosquitto(), agentProtocol: 5, clientProtocol: 4 },
];

for (const setup of setups) {
  describe.runIf(setup.available())(`A2A conformance over ${setup.name}`, () => {
    let broker: { url: string; close(): Promise<unknown> };
    let agent: A2AAgent;
    let adapter: ConformanceAdapter;
    beforeAll(async () => {
      broker = await setup.start();
      agent = agentUnderTest(broker.url, { protocolVersion: setup.agentProtocol });
      await agent.start();
      adapter = await MqttAdapter.connect({
        name: setup.name,
        url: broker.url,
        protocolVersion: setup.clientProtocol,
        agent: { orgId: agent.orgId, agentId: agent.agentId },
      });
    });
    afterAll(async () => {
      await adapter?.close();
      await agent?.stop({ gracePeriodMs: 0 });
      await broker?.close();
    });
    for (const rule of allRules) {
      // Rules that need what the transport cannot express are not registered for it.
      if (rule.requires !== undefined && !featuresOf(setup)[rule.requires]) continue;
      it(`${rule.id} (${rule.section}): ${rule.text}`, () => rule.run(adapter));
    }
  });
}

function featuresOf(setup: Setup): ConformanceAdapter["features"] {
  return { repeatedServiceParams: setup.clientProtocol === 5, rawPayloads: true };
}
