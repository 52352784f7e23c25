import { randomUUID } from "node:crypto";
import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";

/** The skills every conformance rule may use; each is chosen with message metadata `skillId`. */
export const SKILLS = {
  /** Completes at once with one text artifact "echo: {text}". */
  echo: "echo",
  /** Asks for input; completes with the reply's text. */
  ask: "ask",
  /** Works until canceled. */
  wait: "wait",
  /** Fails with "boom". */
  fail: "fail",
  /** Emits three artifacts, then completes. */
  steps: "steps",
} as const;

/** The required extension of the card: requests must list it in `A2A-Extensions`. */
export const REQUIRED_EXTENSION = "urn:a2a-mqtt:test:required:v1";

/** The agent the rules are checked against, on `broker`. */
export function agentUnderTest(broker: A2AAgentOptions["broker"], mqtt: A2AAgentOptions["mqtt"] = {}): A2AAgent {
  const agent = new A2AAgent({
    orgId: "conformance",
    agentId: `sut-${randomUUID().slice(0, 8)}`,
    name: "Conformance agent",
    description: "The agent the conformance rules are checked against",
    broker,
    mqtt,
    extensions: [{ uri: REQUIRED_EXTENSION, required: true }],
    stopGracePeriodMs: 0,
  });
  agent.skill({ id: SKILLS.echo, handler: (_input, ctx) => `echo: ${textOf(ctx.message.parts)}` });
  agent.skill({
    id: SKILLS.ask,
    handler: async (_input, ctx) => {
      const reply = await ctx.requestInput("Which colour?");
      return `colour: ${textOf(reply.parts)}`;
    },
  });
  agent.skill({
    id: SKILLS.wait,
    handler: (_input, ctx) =>
      new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true })),
  });
  agent.skill({
    id: SKILLS.fail,
    handler: () => {
      throw new Error("boom");
    },
  });
  agent.skill({
    id: SKILLS.steps,
    handler: async (_input, ctx) => {
      for (let i = 0; i < 3; i++) await ctx.artifact({ artifactId: `step-${i}`, data: { step: i } });
      return undefined;
    },
  });
  return agent;
}

function textOf(parts: ReadonlyArray<object>): string {
  return parts.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join("");
}
