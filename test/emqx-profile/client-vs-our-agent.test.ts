// Our client and our agent on the EMQX profile with each other (mosquitto, MQTT 5): the
// scheme chosen per agent found or per connection, A2A errors told apart from the
// binding's errors of the same numbers, GetTask recovery of a stalled stream, and a
// stalled stream whose responder left.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, A2AProtocolError, emqxBindingErrorKind, textOf, type StreamEvent } from "@a2a/client";
import { createEmqxTopicScheme } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { requireMosquitto, startAedes, startMosquitto, type MosquittoHandle } from "@a2a/testing";

describe.runIf(requireMosquitto())("our client with our agent on the EMQX profile (mosquitto, MQTT 5)", () => {
  let broker: MosquittoHandle;
  let agent: A2AAgent;
  let client: A2AClient;
  const gates = new Map<string, () => void>();

  beforeAll(async () => {
    broker = await startMosquitto();
    agent = new A2AAgent({
      orgId: "my-org",
      agentId: "echo",
      name: "Echo",
      description: "Echoes; 'quiet' works silently until released",
      broker: broker.url,
      emqx: { unit: "plant1" },
      maxConcurrentTasks: 1,
      maxQueuedTasks: 0,
      onError: () => undefined,
    });
    agent.skill<{ message?: string }>({
      id: "echo",
      handler: async (input, ctx) => {
        if (input.message === "ask") {
          const answer = await ctx.requestInput("Which colour?");
          return `Colour: ${answer.parts.map((p) => ("text" in p ? p.text : "")).join("")}`;
        }
        if (input.message?.startsWith("quiet")) {
          await ctx.status("working", "thinking quietly");
          await new Promise<void>((resolve) => gates.set(input.message!, resolve));
        }
        return `Echo: ${input.message ?? ""}`;
      },
    });
    await agent.start();
    client = new A2AClient({ broker: broker.url, emqx: { unit: "plant1", retry: { firstReplyTimeoutMs: 2000, streamIdleTimeoutMs: 400 } } });
    await client.connect();
  });

  afterAll(async () => {
    for (const open of gates.values()) open();
    await client?.close();
    await agent?.stop({ gracePeriodMs: 100 });
    await broker?.close();
  });

  it("lists the agent under both schemes: org/agent (ours) and its mapped profile address org/unit/agent", async () => {
    const ids = (await client.findAgents()).map((a) => `${a.id} ${a.scheme ?? "a2a-mqtt"}`).sort();
    expect(ids).toEqual(["my-org/echo a2a-mqtt", "my_org/plant1/echo emqx"]);
  });

  it("sends over the profile to org/unit/agent and over our binding to org/agent, the same agent answering both", async () => {
    expect(textOf(await client.agent("my_org/plant1/echo").sendMessage("via profile"))).toBe("Echo: via profile");
    expect(textOf(await client.agent("my-org/echo").sendMessage("via ours"))).toBe("Echo: via ours");
  });

  it("continues an input-required task on the profile (the requester's Task.id and context kept)", async () => {
    const echo = client.agent("my_org/plant1/echo");
    const asked = (await echo.sendMessage("ask")) as { task: { id: string; contextId: string; status: { state: string } } };
    expect(asked.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const answered = await echo.sendMessage({ message: { parts: [{ text: "green" }], taskId: asked.task.id, contextId: asked.task.contextId } });
    expect(textOf(answered)).toBe("Colour: green");
    expect(answered).toMatchObject({ task: { id: asked.task.id, status: { state: "TASK_STATE_COMPLETED" } } });
  });

  it("maps org/agent to the profile for every call with scheme: 'always'", async () => {
    const always = new A2AClient({ broker: broker.url, discovery: false, emqx: { unit: "plant1", scheme: "always" } });
    try {
      const result = await always.agent("my-org/echo").sendMessage("always");
      expect(textOf(result)).toBe("Echo: always");
      const taskId = (result as { task: { id: string } }).task.id;
      // Tasks are the requester's: the same client finds it again on the profile.
      expect((await always.agent("my-org/echo").getTask(taskId)).status.state).toBe("TASK_STATE_COMPLETED");
      expect((await always.findAgents()).map((a) => a.id)).toEqual(["my_org/plant1/echo"]);
    } finally {
      await always.close();
    }
  });

  it("tells A2A's -32004 UnsupportedOperation from the binding's -32004 responder_unavailable only by a2a_error", async () => {
    const done = await client.agent("my_org/plant1/echo").sendMessage("finished");
    const taskId = (done as { task: { id: string } }).task.id;
    const unsupported = await (async () => {
      for await (const _ of client.agent("my_org/plant1/echo").subscribeToTask(taskId)) break;
    })().catch((e: unknown) => e);
    expect(unsupported).toMatchObject({ code: -32004 });
    expect(emqxBindingErrorKind(unsupported as A2AProtocolError)).toBeUndefined();

    // The only task slot busy, no queue: the agent is unavailable.
    const quiet = client.agent("my_org/plant1/echo").sendStreamingMessage("quiet-busy")[Symbol.asyncIterator]();
    await quiet.next();
    const busy = await client.agent("my_org/plant1/echo").sendMessage("refused").catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(A2AProtocolError);
    expect(busy).toMatchObject({ code: -32004 });
    expect(emqxBindingErrorKind(busy as A2AProtocolError)).toBe("responder_unavailable");
    gates.get("quiet-busy")!();
    for (let item = await quiet.next(); !item.done; item = await quiet.next());
  });

  it("recovers a stream that stalls (no item within the idle timeout) with GetTask, then follows it to the end", async () => {
    const items: StreamEvent[] = [];
    const stream = client.agent("my_org/plant1/echo").sendStreamingMessage("quiet-stall");
    const reading = (async () => {
      for await (const item of stream) {
        items.push(item);
        // The first recovered Task (GetTask after 400 ms of silence) lets the task finish.
        if ("task" in item && item.task.status.state === "TASK_STATE_WORKING" && items.length > 2) gates.get("quiet-stall")?.();
      }
    })();
    await reading;
    const recovered = items.filter((i) => "task" in i).slice(1);
    expect(recovered.length).toBeGreaterThanOrEqual(1);
    expect(items.at(-1)).toMatchObject({ statusUpdate: { status: { state: "TASK_STATE_COMPLETED" } } });
  });
});

describe.runIf(requireMosquitto())("the profile under the earlier root a2a/v1 (mosquitto)", () => {
  it("serves and calls with root a2a/v1 on both sides", async () => {
    const broker = await startMosquitto();
    const agent = new A2AAgent({ orgId: "acme", agentId: "old", name: "Old", description: "d", broker: broker.url, emqx: { unit: "u1", root: "a2a/v1" } });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    const client = new A2AClient({ broker: broker.url, emqx: { unit: "u1", root: "a2a/v1" } });
    try {
      await agent.start();
      expect((await client.findAgents()).filter((a) => a.scheme === "emqx").map((a) => a.id)).toEqual(["acme/u1/old"]);
      expect(textOf(await client.agent("acme/u1/old").sendMessage("old root"))).toBe("Echo: old root");
    } finally {
      await client.close();
      await agent.stop({ gracePeriodMs: 10 });
      await broker.close();
    }
  });
});

describe("the profile in a client on an MQTT 3.1.1 broker (aedes)", () => {
  it("fails connect() saying the profile needs MQTT 5", async () => {
    const aedes = await startAedes();
    const client = new A2AClient({ broker: aedes.url, emqx: {} });
    try {
      await expect(client.connect()).rejects.toThrow(/needs MQTT 5.*MQTT 3\.1\.1/);
      // A failed profile session is not taken for a connected client on the next try.
      await expect(client.connect()).rejects.toThrow(/needs MQTT 5.*MQTT 3\.1\.1/);
    } finally {
      await client.close();
      await aedes.close();
    }
  });
});

describe.runIf(requireMosquitto())("a stalled stream whose responder is gone (mosquitto)", () => {
  it("fails with AGENT_OFFLINE naming the responder, not with a timeout, when the recovering GetTask finds nobody subscribed", async () => {
    const broker = await startMosquitto();
    const topics = createEmqxTopicScheme();
    const ghost = new MqttTransport({ url: broker.url, clientId: "acme/plant1/ghost", protocolVersion: 5 });
    const client = new A2AClient({ broker: broker.url, discovery: false, emqx: { unit: "plant1", discovery: false, retry: { firstReplyTimeoutMs: 500, streamIdleTimeoutMs: 300, maxAttempts: 2, backoffMs: [50] } } });
    try {
      await ghost.connect();
      // Answers the stream's first item, then leaves (no will, no card): only its topic tells.
      const subscription = await ghost.subscribe(topics.request({ org: "acme", unit: "plant1", agent: "ghost" }), (m) => {
        const request = JSON.parse(new TextDecoder().decode(m.payload)) as { id: string; params: { message: { taskId: string; contextId: string } } };
        const { taskId, contextId } = request.params.message;
        const task = { id: taskId, contextId, status: { state: "TASK_STATE_WORKING" } };
        void ghost
          .publish(m.properties.responseTopic!, JSON.stringify({ jsonrpc: "2.0", id: request.id, result: { task } }), { qos: 1, properties: { correlationData: m.properties.correlationData! } })
          .then(() => subscription.unsubscribe());
      });
      let firstItems = 0;
      const error = await (async () => {
        for await (const item of client.agent("acme/plant1/ghost").sendStreamingMessage("anyone?")) if ("task" in item) firstItems++;
      })().then(() => undefined, (e: unknown) => e);
      expect(firstItems).toBe(1);
      expect(error).toMatchObject({ code: "AGENT_OFFLINE" });
      expect((error as Error).message).toMatch(/stalled for 300 ms: its responder acme\/plant1\/ghost went offline.*Retry/);
    } finally {
      await client.close();
      await ghost.close();
      await broker.close();
    }
  });
});
