import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient, A2AClientError, A2AProtocolError, textOf, type StreamEvent } from "../src/index.js";
import { okTask, publishCard, startScriptedAgent, type Script } from "./helpers/scripted-agent.js";

const isClientError = (code: string) => (e: unknown) => e instanceof A2AClientError && e.code === code;

describe.each([4, 5] as const)("A2AClient core over an in-memory MQTT %i broker", (protocolVersion) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(script: Script, clientOptions: { timeoutMs?: number } = {}) {
    const broker = new InMemoryBroker();
    const agentTransport = new InMemoryTransport({ broker, protocolVersion, clientId: "agent-conn" });
    await agentTransport.connect();
    const agent = await startScriptedAgent({ transport: agentTransport, org: "acme", agent: "bot", script });
    const client = new A2AClient({
      broker: new InMemoryTransport({ broker, protocolVersion, clientId: "client-1" }),
      ...clientOptions,
    });
    cleanups.push(async () => {
      await client.close();
      await agentTransport.close();
    });
    return { broker, agentTransport, agent, client };
  }

  it("sends a JSON-RPC request with version and reply route, and returns the validated result", async () => {
    const { client, agent } = await setup((req) => [
      { body: { jsonrpc: "2.0", id: req.request.id, result: { task: okTask("t1", "TASK_STATE_COMPLETED", "hi!") } } },
    ]);
    const result = await client.agent("acme/bot").sendMessage("hello");
    expect(textOf(result)).toBe("hi!");
    expect("task" in result && result.task.status.state).toBe("TASK_STATE_COMPLETED");
    const [req] = agent.requests;
    expect(req?.request.method).toBe("SendMessage");
    expect(req?.serviceParams["A2A-Version"]).toBe("1.0");
    expect(req?.replyTopic).toMatch(/^replies\/client-1\/[0-9a-f]+$/);
    expect(req?.correlationData !== undefined).toBe(protocolVersion === 5);
    const params = req?.request.params as { message: { role: string; parts: unknown[]; messageId: string } };
    expect(params.message.role).toBe("ROLE_USER");
    expect(params.message.parts).toEqual([{ text: "hello" }]);
    expect(params.message.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("routes concurrent replies by id, whatever their order", async () => {
    const { client } = await setup(async (req) => {
      const { id } = req.request.params as { id: string };
      // The first request is answered last.
      if (id === "slow") await new Promise((r) => setTimeout(r, 20));
      return [{ body: { jsonrpc: "2.0", id: req.request.id, result: okTask(id, "TASK_STATE_WORKING") } }];
    });
    const bot = client.agent("acme/bot");
    const [slow, fast] = await Promise.all([bot.getTask("slow"), bot.getTask("fast")]);
    expect(slow.id).toBe("slow");
    expect(fast.id).toBe("fast");
  });

  it("turns a JSON-RPC error into an A2AProtocolError with code, message, data and reason", async () => {
    const data = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org" }];
    const { client } = await setup((req) => [
      { body: { jsonrpc: "2.0", id: req.request.id, error: { code: -32001, message: "Task nope not found", data } } },
    ]);
    const error = await client.agent("acme/bot").getTask("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AProtocolError);
    expect(error).toMatchObject({ code: -32001, message: "Task nope not found", data, reason: "TASK_NOT_FOUND" });
  });

  it("rejects a result that is not valid A2A with INVALID_RESPONSE", async () => {
    const { client } = await setup((req) => [
      { body: { jsonrpc: "2.0", id: req.request.id, result: { id: "t1", status: { state: "NOT_A_STATE" } } } },
    ]);
    await expect(client.agent("acme/bot").getTask("t1")).rejects.toSatisfy(isClientError("INVALID_RESPONSE"));
  });

  it("orders stream frames by seq, drops duplicates and ends on final", async () => {
    const frame = (id: unknown, seq: number, { state, final }: { state: string; final?: boolean }) => ({
      body: { jsonrpc: "2.0", id, result: { statusUpdate: { taskId: "t1", contextId: "c1", status: { state } } } },
      seq,
      ...(final ? { final } : {}),
    });
    const { client } = await setup((req) => {
      const id = req.request.id;
      return [
        { body: { jsonrpc: "2.0", id, result: { task: okTask("t1", "TASK_STATE_SUBMITTED") } }, seq: 0 },
        frame(id, 2, { state: "TASK_STATE_WORKING" }),
        frame(id, 1, { state: "TASK_STATE_WORKING" }),
        frame(id, 1, { state: "TASK_STATE_WORKING" }),
        frame(id, 3, { state: "TASK_STATE_COMPLETED", final: true }),
        frame(id, 4, { state: "TASK_STATE_WORKING" }),
      ];
    });
    const events: StreamEvent[] = [];
    for await (const e of client.agent("acme/bot").sendStreamingMessage("go")) events.push(e);
    expect(events.map((e) => e.kind)).toEqual(["task", "statusUpdate", "statusUpdate", "statusUpdate"]);
    expect(events.map((e) => (e.kind === "task" ? "task" : e.kind === "statusUpdate" ? e.statusUpdate.status.state : "?"))).toEqual([
      "task",
      "TASK_STATE_WORKING",
      "TASK_STATE_WORKING",
      "TASK_STATE_COMPLETED",
    ]);
  });

  it("ends a stream with the A2AProtocolError the agent sent", async () => {
    const { client } = await setup((req) => [
      { body: { jsonrpc: "2.0", id: req.request.id, error: { code: -32004, message: "Task is terminal" } }, final: true },
    ]);
    const run = async () => {
      for await (const _ of client.agent("acme/bot").subscribeToTask("t1")) void _;
    };
    await expect(run()).rejects.toSatisfy((e) => e instanceof A2AProtocolError && e.code === -32004);
  });

  it("fails with TIMEOUT when the agent never answers", async () => {
    const { client } = await setup(() => []);
    const started = Date.now();
    await expect(client.agent("acme/bot").getTask("t1", { timeoutMs: 100 })).rejects.toSatisfy(isClientError("TIMEOUT"));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails a stream with TIMEOUT when no first event arrives", async () => {
    const { client } = await setup(() => []);
    const run = async () => {
      for await (const _ of client.agent("acme/bot").subscribeToTask("t1", { timeoutMs: 100 })) void _;
    };
    await expect(run()).rejects.toSatisfy(isClientError("TIMEOUT"));
  });

  it("fails with ABORTED when the caller aborts, and at once when already aborted", async () => {
    const { client, agent } = await setup(() => []);
    const controller = new AbortController();
    const call = client.agent("acme/bot").getTask("t1", { signal: controller.signal });
    await expect.poll(() => agent.requests.length).toBe(1);
    controller.abort();
    await expect(call).rejects.toSatisfy(isClientError("ABORTED"));
    await expect(client.agent("acme/bot").getTask("t1", { signal: AbortSignal.abort() })).rejects.toSatisfy(
      isClientError("ABORTED"),
    );
  });

  it("fails pending calls with CLOSED when the client closes, and refuses new ones", async () => {
    const { client, agent } = await setup(() => []);
    const call = client.agent("acme/bot").getTask("t1");
    await expect.poll(() => agent.requests.length).toBe(1);
    await client.close();
    await expect(call).rejects.toSatisfy(isClientError("CLOSED"));
    await expect(client.agent("acme/bot").getTask("t1")).rejects.toSatisfy(isClientError("CLOSED"));
  });

  it("ignores replies that answer no pending call or carry another id", async () => {
    const { client } = await setup((req) => [
      { body: { jsonrpc: "2.0", id: "forged", result: okTask("forged") } },
      { body: { jsonrpc: "2.0", id: req.request.id, result: okTask("real") } },
    ]);
    expect((await client.agent("acme/bot").getTask("x")).id).toBe("real");
  });

  it("fails at once with AGENT_OFFLINE when the agent's card says offline, without publishing", async () => {
    const { client, agent, agentTransport } = await setup(() => []);
    await publishCard(agentTransport, { org: "acme", agent: "bot", status: "offline" });
    const started = Date.now();
    const error = await client.agent("acme/bot").sendText("hi").catch((e: unknown) => e);
    expect(error).toSatisfy(isClientError("AGENT_OFFLINE"));
    expect((error as Error).message).toMatch(/acme\/bot is offline/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(agent.requests).toHaveLength(0);
  });

  it("fails a pending call with AGENT_OFFLINE when the agent goes offline", async () => {
    const { client, agent, agentTransport } = await setup(() => []);
    await publishCard(agentTransport, { org: "acme", agent: "bot", status: "online" });
    const call = client.agent("acme/bot").sendText("hi");
    await expect.poll(() => agent.requests.length).toBe(1);
    await publishCard(agentTransport, { org: "acme", agent: "bot", status: "offline" });
    await expect(call).rejects.toSatisfy(isClientError("AGENT_OFFLINE"));
  });

  it("refuses an agent id that cannot be a topic", () => {
    const client = new A2AClient({ broker: new InMemoryTransport({ protocolVersion }) });
    cleanups.push(() => client.close());
    expect(() => client.agent("acme/+")).toThrow(/not valid/);
    expect(() => client.agent("just-one-level")).toThrow(/not valid/);
  });

  if (protocolVersion === 5) {
    it("fails fast with AGENT_OFFLINE when nobody subscribes to the tasks topic (PUBACK 0x10)", async () => {
      const { client } = await setup(() => []);
      const started = Date.now();
      await expect(client.agent("acme/nobody").getTask("t1", { timeoutMs: 10_000 })).rejects.toSatisfy(
        isClientError("AGENT_OFFLINE"),
      );
      expect(Date.now() - started).toBeLessThan(2000);
    });
  } else {
    it("sends the reply topic and service parameters inside the payload", async () => {
      const { client, agentTransport } = await setup(() => []);
      const seen = new Promise<Record<string, unknown>>((resolve) => {
        void agentTransport.subscribe("acme/spy/tasks", (m) => resolve(JSON.parse(new TextDecoder().decode(m.payload)) as Record<string, unknown>));
      });
      await expect.poll(async () => agentTransport.state).toBe("connected");
      void client.agent("acme/spy").getTask("t1", { timeoutMs: 200 }).catch(() => undefined);
      const body = await seen;
      expect(body["replyTo"]).toMatch(/^replies\/client-1\//);
      expect(body["serviceParams"]).toEqual({ "A2A-Version": "1.0" });
    });
  }
});
