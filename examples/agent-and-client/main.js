// An agent and a client on the embedded broker: discovery by skill, a blocking call, a
// stream. Exits 1 when an answer is not the expected one, and on its own when done.
import assert from "node:assert/strict";
import { A2AAgent } from "@a2a/agent";
import { createBroker } from "@a2a/broker";
import { A2AClient, textOf } from "@a2a/client";

const broker = await createBroker({ port: 0 });
const agent = new A2AAgent({ orgId: "my-org", agentId: "agent-001", name: "Echo Agent", description: "Echoes messages", broker: broker.url });
agent.registerTool(function echo(params) {
  return `Echo: ${params.message}`;
});
agent.skill({
  id: "count",
  description: "Counts to three, one artifact chunk at a time",
  handler: async (_input, ctx) => {
    for (const n of ["one ", "two ", "three"]) await ctx.artifact({ text: n, append: n !== "one " });
    return undefined;
  },
});
await agent.start();

const client = new A2AClient({ broker: broker.url });
try {
  const [found] = await client.findAgents({ skill: "echo" });
  assert.equal(found?.id, "my-org/agent-001", "the agent is found by its skill");
  assert.equal(found.status, "online");

  const answer = await client.agent(found.id).sendText("hello", { skill: "echo" });
  assert.equal(answer, "Echo: hello");

  const echo = client.agent(found.id);
  const events = [];
  const message = { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "go" }], metadata: { skillId: "count" } };
  for await (const event of echo.sendStreamingMessage({ message })) events.push(event);
  const chunks = events.filter((e) => e.kind === "artifactUpdate").map((e) => textOf(e));
  assert.deepEqual(chunks, ["one ", "two ", "three"]);
  const task = await echo.getTask(events[0].task.id);
  assert.equal(textOf(task), "one two three", "the appended chunks make one text");
  console.log(`${answer}; streamed ${chunks.length} chunks: ${textOf(task)}`);
} finally {
  await client.close();
  await agent.stop();
  await broker.close();
}
