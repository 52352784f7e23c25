// The profile's binding-specific error mapping and protocol-input rules on our agent
// (mqtt_transport.md, "Mandatory Binding-Specific Error Mapping", "Responder Behavior",
// "Error Handling"), against the spec-following requester on mosquitto.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { SpecRequester, sendMessageRequest, type ReceivedReply } from "./fixtures/spec-requester.js";

const REQUEST_TOPIC = "$a2a/v1/request/acme/plant1/busy";

async function firstReply(requester: SpecRequester, correlation: string, what: string): Promise<ReceivedReply> {
  return (await requester.awaitReplies(correlation, what))[0]!;
}

describe.runIf(requireMosquitto())("the profile's error mapping on our agent (mosquitto, MQTT 5)", () => {
  let broker: MosquittoHandle;
  let agent: A2AAgent;
  let requester: SpecRequester;
  const errors: unknown[] = [];
  const holds: Array<() => void> = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    agent = new A2AAgent({
      orgId: "acme",
      agentId: "busy",
      name: "Busy",
      description: "One task at a time, one waiting",
      broker: broker.url,
      emqx: { unit: "plant1" },
      maxConcurrentTasks: 1,
      maxQueuedTasks: 1,
      onError: (error) => errors.push(error),
    });
    agent.skill<{ message?: string }>({
      id: "work",
      handler: async (input, ctx) => {
        if (input.message === "hold") {
          await ctx.status("working", "holding");
          await new Promise<void>((resolve) => holds.push(resolve));
        }
        return "done";
      },
    });
    await agent.start();
    requester = await SpecRequester.connect({ url: broker.url });
  });

  afterAll(async () => {
    for (const release of holds) release();
    await requester?.close();
    await agent?.stop({ gracePeriodMs: 100 });
    await broker?.close();
  });

  it("answers a request without Correlation Data with -32005 transport_protocol_error", async () => {
    await requester.publish(REQUEST_TOPIC, sendMessageRequest("x", { id: "no-corr" }), { correlation: null });
    const reply = await waitFor(() => requester.replies.find((r) => r.body?.id === "no-corr"), { message: "the error reply" });
    expect(reply.body?.error).toMatchObject({ code: -32005, data: { a2a_error: "transport_protocol_error" } });
  });

  it("drops a request without a Response Topic (no reply path) and says so", async () => {
    const before = errors.length;
    await requester.publish(REQUEST_TOPIC, sendMessageRequest("x"), { responseTopic: null });
    await waitFor(() => errors.slice(before).some((e) => String(e).includes("no MQTT 5 Response Topic")), { message: "the report" });
  });

  it("never answers on a Response Topic outside {root}/reply/... (nor the agent's own topics), and says so", async () => {
    const before = errors.length;
    await requester.publish(REQUEST_TOPIC, sendMessageRequest("x"), { responseTopic: "replies/someone-else/inbox" });
    await requester.publish(REQUEST_TOPIC, sendMessageRequest("x"), { responseTopic: REQUEST_TOPIC });
    await requester.publish(REQUEST_TOPIC, sendMessageRequest("x"), { responseTopic: "$SYS/broker/x" });
    await waitFor(() => errors.slice(before).filter((e) => String(e).includes("Dropped a request")).length === 3, { message: "the three reports" });
    expect(String(errors.slice(before)[0])).toMatch(/outside \$a2a\/v1\/reply/);
  });

  it("rejects a SendMessage without Task.id, or with a malformed one, as invalid params (-32602)", async () => {
    const missing = sendMessageRequest("x");
    delete (missing.params.message as { taskId?: string }).taskId;
    const a = await requester.publish(REQUEST_TOPIC, missing);
    const b = await requester.publish(REQUEST_TOPIC, sendMessageRequest("x", { taskId: "task-1" }));
    expect((await firstReply(requester, a, "the missing-id reply")).body?.error).toMatchObject({ code: -32602 });
    expect((await firstReply(requester, b, "the malformed-id reply")).body?.error).toMatchObject({ code: -32602 });
  });

  it("answers unparsable input on the reply path, echoing Correlation Data (-32700, -32600, -32601)", async () => {
    const notJson = await requester.publish(REQUEST_TOPIC, "{not json");
    const array = await requester.publish(REQUEST_TOPIC, "[1,2]");
    const unknown = await requester.publish(REQUEST_TOPIC, { jsonrpc: "2.0", id: 3, method: "NoSuchMethod", params: {} });
    expect((await firstReply(requester, notJson, "the parse error")).body?.error).toMatchObject({ code: -32700 });
    expect((await firstReply(requester, array, "the invalid request")).body?.error).toMatchObject({ code: -32600 });
    expect((await firstReply(requester, unknown, "method not found")).body).toMatchObject({ id: 3, error: { code: -32601 } });
  });

  it("survives what the reference SDK's responder chokes on: non-UTF-8 Correlation Data is echoed as bytes", async () => {
    const correlation = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    await requester.client.publishAsync(REQUEST_TOPIC, JSON.stringify({ jsonrpc: "2.0", id: "bin", method: "GetTask", params: { id: randomUUID() } }), {
      qos: 1,
      properties: { responseTopic: requester.replyTopic, correlationData: correlation },
    });
    const reply = await waitFor(() => requester.replies.find((r) => r.body?.id === "bin"), { message: "the reply" });
    expect(reply.body?.error).toMatchObject({ code: -32001 });
    expect(reply.correlationBytes?.equals(correlation)).toBe(true);
  });

  it("answers -32004 responder_unavailable at capacity and -32003 request_expired when the Message Expiry passed before a slot was free", async () => {
    // One task runs and holds the only slot.
    const running = await requester.publish(REQUEST_TOPIC, sendMessageRequest("hold", { method: "SendStreamingMessage" }));
    await waitFor(() => requester.repliesFor(running).some((r) => JSON.stringify(r.body).includes("TASK_STATE_WORKING")), { message: "the first task to run" });
    // A request with a Message Expiry Interval of 1 s waits for the slot (it holds the one queue place) ...
    const stale = await requester.publish(REQUEST_TOPIC, sendMessageRequest("late"), { expirySeconds: 1 });
    await waitFor(() => agent.stats().queued === 1, { message: "the stale request to wait for the slot" });
    // ... so a third request finds the agent at capacity.
    const refused = await requester.publish(REQUEST_TOPIC, sendMessageRequest("refused"));
    expect((await firstReply(requester, refused, "the capacity refusal")).body?.error).toMatchObject({
      code: -32004,
      data: { a2a_error: "responder_unavailable" },
    });
    const expired = await firstReply(requester, stale, "the expiry error");
    expect(expired.body?.error).toMatchObject({ code: -32003, data: { a2a_error: "request_expired" } });
  });
});

describe("the profile on an MQTT 3.1.1 broker (aedes)", () => {
  it("refuses to start with an error that says the profile needs MQTT 5", async () => {
    const aedes = await startAedes();
    const agent = new A2AAgent({ orgId: "acme", agentId: "old", name: "Old", description: "x", broker: aedes.url, emqx: {}, onError: () => undefined });
    agent.registerTool(function echo() {
      return "x";
    });
    try {
      await expect(agent.start()).rejects.toThrow(/needs MQTT 5.*MQTT 3\.1\.1/);
    } finally {
      await aedes.close();
    }
  });
});
