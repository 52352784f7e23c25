import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient, A2AProtocolError, taskOf } from "../src/index.js";

// The operations beyond the task core travel as thin typed calls; the agent's answers
// (here: no push notifications, no extended card declared) come back typed.
describe("thin typed calls against @a2a/agent", () => {
  const broker = new InMemoryBroker();
  const agentTransport = new InMemoryTransport({ broker });
  const client = new A2AClient({ broker: new InMemoryTransport({ broker }) });
  const agent = new A2AAgent({ orgId: "acme", agentId: "thin", name: "Thin", description: "d", broker: agentTransport });
  agent.registerTool(function echo(params) {
    return `Echo: ${String(params.message)}`;
  });

  beforeAll(() => agent.start());
  afterAll(async () => {
    await client.close();
    await agent.stop({ gracePeriodMs: 0 });
    await agentTransport.close();
  });

  it("ListTasks returns the agent's tasks, newest first", async () => {
    const bot = client.agent("acme/thin");
    const a = taskOf(await bot.sendMessage("one"))!;
    const b = taskOf(await bot.sendMessage("two"))!;
    const list = await bot.listTasks({ pageSize: 10 });
    expect(list.tasks.map((t) => t.id).slice(0, 2)).toEqual([b.id, a.id]);
    expect(list.totalSize).toBeGreaterThanOrEqual(2);
  });

  it("push config operations surface PushNotificationNotSupported (-32003) as A2AProtocolError", async () => {
    const task = taskOf(await client.agent("acme/thin").sendMessage("x"))!;
    await expect(
      client.agent("acme/thin").createTaskPushNotificationConfig({ taskId: task.id, url: "https://example.com/hook" }),
    ).rejects.toSatisfy((e) => e instanceof A2AProtocolError && e.code === -32003);
    await expect(client.agent("acme/thin").listTaskPushNotificationConfigs({ taskId: task.id })).rejects.toSatisfy(
      (e) => e instanceof A2AProtocolError && e.code === -32003,
    );
  });

  it("GetExtendedAgentCard surfaces the agent's refusal as A2AProtocolError", async () => {
    const error = await client.agent("acme/thin").getExtendedAgentCard().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AProtocolError);
    expect([-32004, -32007]).toContain((error as A2AProtocolError).code);
  });

  it("the handle reads the agent's card from discovery", async () => {
    const card = await client.agent("acme/thin").card();
    expect(card?.name).toBe("Thin");
    expect(card?.skills.map((s) => s.id)).toEqual(["echo"]);
  });
});
