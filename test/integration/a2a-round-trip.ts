import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";
import { A2AClient, stateOf, type A2AClientOptions } from "@a2a/client";

export interface A2ARoundTripOptions {
  /** How the agent `acme/echo` reaches the broker: `broker` and its `mqtt` options. */
  agent: Pick<A2AAgentOptions, "broker" | "mqtt">;
  /** How the client reaches the broker. */
  client: A2AClientOptions;
}

export interface A2ARoundTripResult {
  /** `status` of the agent as the client found it by skill. */
  found: string | undefined;
  /** The answer of a blocking SendMessage. */
  reply: string;
  /** The kinds and states of a SendStreamingMessage's events. */
  stream: string[];
  /** Failures the agent could not report to anyone. */
  agentErrors: unknown[];
}

/**
 * Starts the echo agent `acme/echo`, has a client find it by skill, call it (blocking
 * and streaming), then stops both: the full A2A flow, over whatever `broker` says.
 */
export async function a2aRoundTrip(options: A2ARoundTripOptions): Promise<A2ARoundTripResult> {
  const agentErrors: unknown[] = [];
  const agent = new A2AAgent({
    orgId: "acme",
    agentId: "echo",
    name: "Echo Agent",
    description: "Echoes messages",
    ...options.agent,
    onError: (error) => agentErrors.push(error),
  });
  agent.registerTool(function echo(params) {
    return `Echo: ${String(params.message)}`;
  });
  const client = new A2AClient({ timeoutMs: 10_000, ...options.client });
  try {
    await agent.start();
    const [found] = await client.findAgents({ skill: "echo" });
    const handle = client.agent("acme/echo");
    const reply = await handle.sendText("hello");
    const stream: string[] = [];
    for await (const event of handle.sendStreamingMessage("hello again")) stream.push(`${event.kind} ${stateOf(event) ?? ""}`.trim());
    return { found: found?.status, reply, stream, agentErrors };
  } finally {
    await client.close();
    await agent.stop();
  }
}

/** What `a2aRoundTrip` returns when everything worked. */
export const EXPECTED_ROUND_TRIP: A2ARoundTripResult = {
  found: "online",
  reply: "Echo: hello",
  stream: ["task TASK_STATE_SUBMITTED", "statusUpdate TASK_STATE_WORKING", "artifactUpdate", "statusUpdate TASK_STATE_COMPLETED"],
  agentErrors: [],
};
