import { A2AAgent } from "@a2a/agent";

/**
 * An MQTT agent for the gateway tests: `echo` answers "Echo: {text}"; a message "wait"
 * keeps its task working until it is cancelled (for cancel and subscribe).
 */
export async function startEchoAgent(broker: string, org = "acme", agent = "echo"): Promise<A2AAgent> {
  const a = new A2AAgent({ orgId: org, agentId: agent, name: "Echo", description: "Echoes text", broker, pushNotifications: true, push: { allowLoopback: true } });
  a.skill({
    id: "echo",
    handler: async (input, ctx) => {
      const { message } = input as { message?: unknown };
      const text = typeof message === "string" ? message : "";
      if (text === "wait") {
        await ctx.status("working", "waiting to be cancelled");
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        return undefined;
      }
      return `Echo: ${text}`;
    },
  });
  await a.start();
  return a;
}
