// Our agent serving the EMQX "A2A over MQTT" profile beside its own binding, against a
// requester that follows the profile text (fixtures/spec-requester.ts), on mosquitto
// (MQTT 5). Each test names the profile rule it shows.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient } from "@a2a/client";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { SpecRequester, endsCorrelation, sendMessageRequest, type ReceivedReply } from "./fixtures/spec-requester.js";

const REQUEST_TOPIC = "$a2a/v1/request/acme/plant1/echo";
const DISCOVERY_TOPIC = "$a2a/v1/discovery/acme/plant1/echo";

function resultOf(reply: ReceivedReply): Record<string, unknown> {
  return reply.body?.result as Record<string, unknown>;
}

describe.runIf(requireMosquitto())("our agent on the EMQX profile (mosquitto, MQTT 5)", () => {
  let broker: MosquittoHandle;
  let agent: A2AAgent;
  let requester: SpecRequester;
  let runs = 0;
  const release = new Map<string, () => void>();

  beforeAll(async () => {
    broker = await startMosquitto();
    agent = new A2AAgent({
      orgId: "acme",
      agentId: "echo",
      name: "Echo",
      description: "Echoes text; 'hold' waits to be released or canceled",
      broker: broker.url,
      emqx: { unit: "plant1" },
      scopeTasks: false,
      onError: () => undefined,
    });
    agent.skill<{ message?: string }>({
      id: "echo",
      handler: async (input, ctx) => {
        runs++;
        if (input.message === "ask") {
          const answer = await ctx.requestInput("Which colour?");
          return `Colour: ${answer.parts.map((p) => ("text" in p ? p.text : "")).join("")}`;
        }
        if (input.message?.startsWith("hold")) {
          await ctx.status("working", "holding");
          await new Promise<void>((resolve, reject) => {
            release.set(input.message!, resolve);
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error), { once: true });
          });
        }
        return `Echo: ${input.message ?? ""}`;
      },
    });
    await agent.start();
    requester = await SpecRequester.connect({ url: broker.url });
    await requester.subscribe("$a2a/v1/discovery/acme/plant1/+");
  });

  afterAll(async () => {
    await requester?.close();
    await agent?.stop({ gracePeriodMs: 100 });
    await broker?.close();
  });

  it("publishes the retained card on $a2a/v1/discovery/{org}/{unit}/{agent} with a2a-status=online from the agent", async () => {
    const card = await waitFor(() => requester.messages.find((m) => m.topic === DISCOVERY_TOPIC), { message: "the profile card" });
    expect(card.retain).toBe(true);
    expect(card.userProperties["a2a-status"]).toBe("online");
    expect(card.userProperties["a2a-status-source"]).toBe("agent");
    const interfaces = (card.body as { supportedInterfaces: { protocolBinding: string; url: string }[] }).supportedInterfaces;
    expect(interfaces.map((i) => i.protocolBinding)).toEqual(["urn:a2a-mqtt:binding:mqtt:v1", "urn:a2a-mqtt:binding:mqtt:v1", "MQTTv5+JSONRPCv2"]);
    expect(interfaces.at(-1)?.url).toBe("mqtt://acme/plant1/echo");
  });

  it("serves both schemes at once: one card content, one task store", async () => {
    const client = new A2AClient({ broker: broker.url });
    try {
      const ours = (await client.findAgents()).find((a) => a.id === "acme/echo");
      const profileCard = requester.messages.find((m) => m.topic === DISCOVERY_TOPIC)?.body as { name: string; skills: unknown[] };
      expect(ours?.card.name).toBe(profileCard.name);
      expect(ours?.card.skills).toEqual(profileCard.skills);
      const taskId = randomUUID();
      const correlation = await requester.publish(REQUEST_TOPIC, sendMessageRequest("both", { taskId }));
      await waitFor(() => requester.repliesFor(correlation).length === 1, { message: "the profile reply" });
      // The task made on the profile is the one our scheme's GetTask finds (scoping is off here).
      const task = await client.agent("acme/echo").getTask(taskId);
      expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    } finally {
      await client.close();
    }
  });

  it("answers SendMessage on the Response Topic, echoing Correlation Data, with the requester's Task.id", async () => {
    const taskId = randomUUID();
    const contextId = randomUUID();
    const request = sendMessageRequest("hello", { id: 7, taskId, contextId });
    const correlation = await requester.publish(REQUEST_TOPIC, request);
    const [reply] = await requester.awaitReplies(correlation, "the reply");
    expect(reply!.body?.id).toBe(7);
    const task = resultOf(reply!).task as { id: string; contextId: string; status: { state: string }; artifacts: { parts: { text: string }[] }[] };
    expect(task.id).toBe(taskId);
    expect(task.contextId).toBe(contextId);
    // No A2A-Version (the SDK sends none): the profile is A2A 1.0, so 1.0 form.
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts[0]!.parts[0]!.text).toBe("Echo: hello");
  });

  it("streams SendStreamingMessage items to the Response Topic, each echoing Correlation Data, ending at the terminal state", async () => {
    const taskId = randomUUID();
    const correlation = await requester.publish(REQUEST_TOPIC, sendMessageRequest("stream me", { taskId, method: "SendStreamingMessage" }));
    const items = await requester.awaitReplies(correlation, "the end of the stream", { until: (r) => r.some((x) => endsCorrelation(x.body)) });
    expect(items.every((i) => i.correlation === correlation)).toBe(true);
    expect(resultOf(items[0]!).task).toMatchObject({ id: taskId, status: { state: "TASK_STATE_SUBMITTED" } });
    expect(resultOf(items.at(-1)!).statusUpdate).toMatchObject({ taskId, status: { state: "TASK_STATE_COMPLETED" } });
  });

  it("deduplicates a retry by Task.id: new Correlation Data, the same Task.id, no second task", async () => {
    const taskId = randomUUID();
    const contextId = randomUUID();
    const before = runs;
    const first = await requester.publish(REQUEST_TOPIC, sendMessageRequest("once", { taskId, contextId }));
    await waitFor(() => requester.repliesFor(first).length === 1, { message: "the first reply" });
    // A retry as the profile's requester makes it: same payload Task.id, another message id even.
    const retry = await requester.publish(REQUEST_TOPIC, sendMessageRequest("once", { taskId, contextId }));
    const [again] = await requester.awaitReplies(retry, "the retry's reply");
    expect(again!.body?.error).toBeUndefined();
    expect((resultOf(again!).task as { id: string; status: { state: string } })).toMatchObject({ id: taskId, status: { state: "TASK_STATE_COMPLETED" } });
    // The reference SDK's requester retries with the very same payload: answered again, not run again.
    const sdkStyle = sendMessageRequest("once", { taskId, contextId, id: "same", messageId: "m-same" });
    const a = await requester.publish(REQUEST_TOPIC, sdkStyle);
    const b = await requester.publish(REQUEST_TOPIC, sdkStyle);
    await waitFor(() => requester.repliesFor(a).length === 1 && requester.repliesFor(b).length === 1, { message: "both replies" });
    expect(resultOf(requester.repliesFor(b)[0]!)).toMatchObject({ task: { id: taskId } });
    expect(runs - before).toBe(1);
    // The same Task.id under another context is refused with -32602 (Multi-Turn, rule 6).
    const other = await requester.publish(REQUEST_TOPIC, sendMessageRequest("once", { taskId, contextId: randomUUID() }));
    const [mismatch] = await requester.awaitReplies(other, "the mismatch reply");
    expect((mismatch!.body?.error as { code: number }).code).toBe(-32602);
  });

  it("continues an input-required task with a new SendMessage: same Task.id and context, fresh Correlation Data (multi-turn)", async () => {
    const taskId = randomUUID();
    const contextId = randomUUID();
    const ask = await requester.publish(REQUEST_TOPIC, sendMessageRequest("ask", { taskId, contextId, method: "SendStreamingMessage" }));
    // input-required is stream-final for that correlation.
    const asked = await requester.awaitReplies(ask, "the question", { until: (r) => r.some((x) => endsCorrelation(x.body)) });
    expect(resultOf(asked.at(-1)!).statusUpdate).toMatchObject({ taskId, status: { state: "TASK_STATE_INPUT_REQUIRED" } });
    const answer = await requester.publish(REQUEST_TOPIC, sendMessageRequest("blue", { taskId, contextId }));
    const [done] = await requester.awaitReplies(answer, "the answer's reply");
    expect(resultOf(done!).task).toMatchObject({ id: taskId, contextId, status: { state: "TASK_STATE_COMPLETED" } });
    expect(JSON.stringify(resultOf(done!))).toContain("Colour: blue");
  });

  it("cancels a running task with CancelTask by the requester's Task.id", async () => {
    const taskId = randomUUID();
    const send = await requester.publish(REQUEST_TOPIC, sendMessageRequest("hold-cancel", { taskId, method: "SendStreamingMessage" }));
    await waitFor(() => requester.repliesFor(send).some((r) => JSON.stringify(r.body).includes("TASK_STATE_WORKING")), { message: "the task to work" });
    const cancel = await requester.publish(REQUEST_TOPIC, { jsonrpc: "2.0", id: "c1", method: "CancelTask", params: { id: taskId } });
    const [reply] = await requester.awaitReplies(cancel, "the cancel reply");
    expect(resultOf(reply!)).toMatchObject({ id: taskId, status: { state: "TASK_STATE_CANCELED" } });
    await waitFor(() => requester.repliesFor(send).some((r) => endsCorrelation(r.body)), { message: "the stream to end" });
    expect(resultOf(requester.repliesFor(send).at(-1)!).statusUpdate).toMatchObject({ status: { state: "TASK_STATE_CANCELED" } });
  });

  it("answers GetTask of an unknown task with A2A's -32001 on the reply path", async () => {
    const correlation = await requester.publish(REQUEST_TOPIC, { jsonrpc: "2.0", id: "g1", method: "GetTask", params: { id: randomUUID() } });
    const [reply] = await requester.awaitReplies(correlation, "the error reply");
    expect((reply!.body?.error as { code: number }).code).toBe(-32001);
  });
});
