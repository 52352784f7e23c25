import {
  BINDING_URI,
  decodeRequest,
  encodeReply,
  presenceUserProperties,
  withPresence,
  type DecodedJsonRpcRequest,
} from "@a2a/transport/binding";
import type { Subscription, Transport } from "@a2a/transport";

/**
 * A hand-driven agent for the client's unit tests: it answers each request with
 * whatever frames the test script returns, byte for byte, through the binding codecs.
 * (The real agent is exercised by the semantics suite.)
 */
export interface ScriptedReply {
  body: object;
  seq?: number;
  final?: boolean;
}

export type Script = (request: DecodedJsonRpcRequest) => ScriptedReply[] | Promise<ScriptedReply[]>;

export async function startScriptedAgent(options: {
  transport: Transport;
  org: string;
  agent: string;
  script: Script;
}): Promise<{ requests: DecodedJsonRpcRequest[]; stop: () => Promise<void> }> {
  const { transport } = options;
  const requests: DecodedJsonRpcRequest[] = [];
  const sub: Subscription = await transport.subscribe(`${options.org}/${options.agent}/tasks`, (message) => {
    const decoded = decodeRequest(message);
    if (decoded.kind !== "jsonrpc") return;
    requests.push(decoded);
    void (async () => {
      const replies = await options.script(decoded);
      for (const reply of replies) {
        const encoded = encodeReply({
          body: reply.body,
          ...(decoded.correlationData ? { correlationData: decoded.correlationData } : {}),
          ...(reply.seq !== undefined ? { seq: reply.seq } : {}),
          ...(reply.final !== undefined ? { final: reply.final } : {}),
        });
        await transport.publish(decoded.replyTopic!, encoded.payload, encoded.options);
      }
    })();
  });
  return { requests, stop: () => sub.unsubscribe() };
}

/** A minimal valid v1.0 card for `org/agent`. */
export function testCard(
  org: string,
  agent: string,
  skills: { id: string; tags: string[] }[] = [{ id: "echo", tags: ["test"] }],
): Record<string, unknown> {
  return {
    name: `${agent} of ${org}`,
    description: "A test agent",
    supportedInterfaces: [{ url: `mqtt://${org}/${agent}`, protocolBinding: BINDING_URI, protocolVersion: "1.0" }],
    version: "1.0.0",
    capabilities: { streaming: true },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: skills.map((s) => ({ id: s.id, name: s.id, description: `does ${s.id}`, tags: s.tags })),
    protocolVersion: "1.0",
    url: `mqtt://${org}/${agent}`,
    preferredTransport: "MQTT",
  };
}

/** Publishes `org/agent`'s retained card with the given presence. */
export async function publishCard(
  transport: Transport,
  { org, agent, status, card = testCard(org, agent) }: { org: string; agent: string; status: "online" | "offline"; card?: Record<string, unknown> },
): Promise<void> {
  await transport.publish(`discovery/${org}/${agent}`, JSON.stringify(withPresence(card, status)), {
    qos: 1,
    retain: true,
    properties: { userProperties: presenceUserProperties(status) },
  });
}

/** Clears `org/agent`'s retained card. */
export async function clearCard(transport: Transport, org: string, agent: string): Promise<void> {
  await transport.publish(`discovery/${org}/${agent}`, "", { qos: 1, retain: true });
}

export const okTask = (id: string, state = "TASK_STATE_COMPLETED", text = "done") => ({
  id,
  contextId: "ctx-1",
  status: { state },
  artifacts: [{ artifactId: "a1", parts: [{ text }] }],
});
