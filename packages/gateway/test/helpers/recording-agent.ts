import { MqttTransport } from "@a2a/transport/mqtt";
import { BINDING_URI, decodeRequest, encodeReply, withPresence, type DecodedJsonRpcRequest } from "@a2a/transport/binding";

/** A card for `org/agent` on MQTT. */
export function cardOf(org: string, agent: string): Record<string, unknown> {
  return {
    name: agent,
    description: "A recording test agent",
    supportedInterfaces: [{ url: `mqtt://${org}/${agent}`, protocolBinding: BINDING_URI, protocolVersion: "1.0" }],
    version: "1.0.0",
    capabilities: { streaming: true },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "record", name: "record", description: "records requests", tags: ["test"] }],
  };
}

/**
 * An agent on the wire codecs alone: by default it answers every request with what it
 * received (method, params, service parameters), so tests see exactly what the gateway
 * sent; `answer` gives other results (one frame each, the last one final).
 */
export async function startRecordingAgent(
  url: string,
  {
    org,
    agent,
    status = "online",
    answer = (decoded) => [{ method: decoded.request.method, params: decoded.request.params, serviceParams: decoded.serviceParams }],
  }: { org: string; agent: string; status?: "online" | "offline"; answer?: (request: DecodedJsonRpcRequest) => object[] },
) {
  const transport = new MqttTransport({ url, clientId: `recording-${org}-${agent}` });
  await transport.connect();
  const requests: DecodedJsonRpcRequest[] = [];
  await transport.subscribe(`${org}/${agent}/tasks`, (message) => {
    const decoded = decodeRequest(message);
    if (decoded.kind !== "jsonrpc" || decoded.replyTopic === undefined) return;
    requests.push(decoded);
    const results = answer(decoded);
    results.forEach((result, seq) => {
      const body = { jsonrpc: "2.0", id: decoded.request.id, result };
      const encoded = encodeReply({ body, ...(decoded.correlationData ? { correlationData: decoded.correlationData } : {}), seq, final: seq === results.length - 1 });
      void transport.publish(decoded.replyTopic!, encoded.payload, encoded.options);
    });
  });
  await transport.publish(`discovery/${org}/${agent}`, JSON.stringify(withPresence(cardOf(org, agent), status)), { qos: 1, retain: true });
  return {
    requests,
    async close() {
      await transport.publish(`discovery/${org}/${agent}`, "", { qos: 1, retain: true });
      await transport.close();
    },
  };
}
