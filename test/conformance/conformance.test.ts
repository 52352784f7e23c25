import { afterAll, beforeAll, describe, it } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto } from "@a2a/testing";
import type { AdapterFeatures, ConformanceAdapter } from "./adapter.js";
import { agentUnderTest } from "./agent-under-test.js";
import { MqttAdapter } from "./mqtt-adapter.js";
import { allRules } from "./rules/index.js";

/** One way of reaching the agent under test: a broker, the agent's MQTT level, an adapter. */
interface Setup {
  name: string;
  available: () => boolean;
  broker: () => Promise<{ url: string; close(): Promise<unknown> }>;
  agentProtocol: 4 | 5;
  /** What the adapter can express (decides which rules are registered). */
  features: AdapterFeatures;
  adapter: (target: { brokerUrl: string; agent: A2AAgent; name: string }) => Promise<ConformanceAdapter>;
}

const mqtt = (protocolVersion: 4 | 5): Setup["adapter"] => ({ brokerUrl, agent, name }) =>
  MqttAdapter.connect({ name, url: brokerUrl, protocolVersion, agent: { orgId: agent.orgId, agentId: agent.agentId } });

const setups: Setup[] = [
  {
    name: "MQTT 3.1.1 on aedes",
    available: () => true,
    broker: () => startAedes(),
    agentProtocol: 4,
    features: { repeatedServiceParams: false, rawPayloads: true, resumableStreams: true },
    adapter: mqtt(4),
  },
  {
    name: "MQTT 5 on mosquitto",
    available: requireMosquitto,
    broker: () => startMosquitto(),
    agentProtocol: 5,
    features: { repeatedServiceParams: true, rawPayloads: true, resumableStreams: true },
    adapter: mqtt(5),
  },
  {
    name: "a 3.1.1 client and an MQTT 5 agent on mosquitto",
    available: requireMosquitto,
    broker: () => startMosquitto(),
    agentProtocol: 5,
    features: { repeatedServiceParams: false, rawPayloads: true, resumableStreams: true },
    adapter: mqtt(4),
  },
];

for (const setup of setups) {
  describe.runIf(setup.available())(`A2A conformance over ${setup.name}`, () => {
    let broker: { url: string; close(): Promise<unknown> };
    let agent: A2AAgent;
    let adapter: ConformanceAdapter;
    beforeAll(async () => {
      broker = await setup.broker();
      agent = agentUnderTest(broker.url, { protocolVersion: setup.agentProtocol });
      await agent.start();
      adapter = await setup.adapter({ brokerUrl: broker.url, agent, name: setup.name });
    });
    afterAll(async () => {
      await adapter?.close();
      await agent?.stop({ gracePeriodMs: 0 });
      await broker?.close();
    });
    for (const rule of allRules) {
      // Rules that need what the transport cannot express are not registered for it.
      if (rule.requires !== undefined && !setup.features[rule.requires]) continue;
      it(`${rule.id} (${rule.section}): ${rule.text}`, () => rule.run(adapter));
    }
  });
}
