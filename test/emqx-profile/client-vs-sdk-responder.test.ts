// Our client on the EMQX profile against a responder that behaves on the wire like the
// profile's reference SDK (fixtures/sdk-like-responder.ts), on mosquitto (MQTT 5):
// discovery, send, stream, cancel, errors and the requester retry and timeout profile.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AClient, A2AClientError, A2AProtocolError, emqxBindingErrorKind, textOf, type StreamEvent } from "@a2a/client";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { SdkLikeResponder } from "./fixtures/sdk-like-responder.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The profile's retry profile, shortened for tests; `random: 0.5` makes the jitter 0. */
const FAST = { firstReplyTimeoutMs: 300, streamIdleTimeoutMs: 600, maxAttempts: 3, backoffMs: [100, 200, 400], jitter: 0.2 };

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const items: StreamEvent[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe.runIf(requireMosquitto())("our client against an SDK-like responder (mosquitto, MQTT 5)", () => {
  let broker: MosquittoHandle;
  let responder: SdkLikeResponder;
  let client: A2AClient;
  const extra: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    responder = await SdkLikeResponder.start({ url: broker.url });
    client = new A2AClient({ broker: broker.url, emqx: { org: "acme", unit: "plant1", retry: FAST, random: () => 0.5 } });
    await client.connect();
  });

  afterEach(async () => {
    for (const c of extra.splice(0)) await c.close();
  });

  afterAll(async () => {
    await client?.close();
    await responder?.close();
    await broker?.close();
  });

  it("finds the responder's retained card under org/unit/agent, with its advisory status", async () => {
    const found = (await client.findAgents()).find((a) => a.id === "acme/plant1/sdkbot");
    expect(found).toMatchObject({ scheme: "emqx", org: "acme", unit: "plant1", agent: "sdkbot", status: "online", statusSource: "agent" });
    // Its skills have no tags: accepted all the same.
    expect(found?.card.name).toBe("SDK-like bot");
  });

  it("sends SendMessage with a requester-generated Task.id and folds the SDK's event stream into the Task", async () => {
    const result = await client.agent("acme/plant1/sdkbot").sendMessage("hi");
    expect(textOf(result)).toBe("Echo: hi");
    expect(result).toMatchObject({ task: { status: { state: "TASK_STATE_COMPLETED" } } });
    const request = responder.requests.at(-1)!;
    expect(request.method).toBe("SendMessage");
    expect(request.taskId).toMatch(UUID);
    expect((result as { task: { id: string } }).task.id).toBe(request.taskId);
  });

  it("streams SendStreamingMessage items until the terminal status", async () => {
    const items = await collect(client.agent("acme/plant1/sdkbot").sendStreamingMessage("streamed"));
    const kinds = items.map((i) => i.kind);
    expect(kinds).toEqual(["statusUpdate", "statusUpdate", "artifactUpdate", "statusUpdate"]);
    expect(items[0]).toMatchObject({ statusUpdate: { status: { state: "TASK_STATE_SUBMITTED" } } });
    expect(items.at(-1)).toMatchObject({ statusUpdate: { status: { state: "TASK_STATE_COMPLETED" } } });
  });

  it("cancels a running task; the SDK's status-update answer becomes the Task", async () => {
    const stream = client.agent("acme/plant1/sdkbot").sendStreamingMessage("slow")[Symbol.asyncIterator]();
    const first = (await stream.next()).value as StreamEvent & { statusUpdate: { taskId: string } };
    const taskId = first.statusUpdate.taskId;
    const canceled = await client.agent("acme/plant1/sdkbot").cancelTask(taskId);
    expect(canceled).toMatchObject({ id: taskId, status: { state: "TASK_STATE_CANCELED" } });
    const rest: StreamEvent[] = [];
    for (let item = await stream.next(); !item.done; item = await stream.next()) rest.push(item.value);
    expect(rest.at(-1)).toMatchObject({ statusUpdate: { status: { state: "TASK_STATE_CANCELED" } } });
  });

  it("tells the binding's -32005 transport_protocol_error from A2A errors only by a2a_error, and matches errors by Correlation Data", async () => {
    // The SDK runs GetTask as a SendMessage without Task.id: -32005, its id the Correlation Data string.
    const getTask = await client.agent("acme/plant1/sdkbot").getTask("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(getTask).toBeInstanceOf(A2AProtocolError);
    expect(emqxBindingErrorKind(getTask as A2AProtocolError)).toBe("transport_protocol_error");
    // An unknown task on CancelTask: -32602 (A2A would say -32001).
    const cancel = await client.agent("acme/plant1/sdkbot").cancelTask("00000000-0000-4000-8000-000000000001").catch((e: unknown) => e);
    expect(cancel).toMatchObject({ code: -32602 });
    expect(emqxBindingErrorKind(cancel as A2AProtocolError)).toBeUndefined();
  });

  it("retries a request without reply after 15 s (here 300 ms) with new Correlation Data, the same JSON-RPC id and Task.id, backing off 1-2-4 s (here 100-200)", async () => {
    const shy = await SdkLikeResponder.start({ url: broker.url, agent: "shy", ignoreFirst: 2 });
    extra.push(shy);
    const result = await client.agent("acme/plant1/shy").sendMessage("third time");
    expect(textOf(result)).toBe("Echo: third time");
    const sends = shy.requests.filter((r) => r.method === "SendMessage");
    expect(sends).toHaveLength(3);
    expect(new Set(sends.map((r) => r.correlation)).size).toBe(3);
    expect(new Set(sends.map((r) => r.id)).size).toBe(1);
    expect(new Set(sends.map((r) => r.taskId)).size).toBe(1);
    // First-reply timeout plus the backoff between attempts (jitter 0 here).
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(300 + 100 - 20);
    expect(sends[2]!.at - sends[1]!.at).toBeGreaterThanOrEqual(300 + 200 - 20);
  });

  it("takes a late answer to the first attempt, arriving during the backoff, without publishing again", async () => {
    const late = await SdkLikeResponder.start({ url: broker.url, agent: "late", delayFirstMs: 600 });
    extra.push(late);
    const patient = new A2AClient({ broker: broker.url, discovery: false, emqx: { unit: "plant1", retry: { ...FAST, backoffMs: [2000] }, random: () => 0.5 } });
    extra.push(patient);
    const result = await patient.agent("acme/plant1/late").sendMessage("late but there");
    expect(textOf(result)).toBe("Echo: late but there");
    expect(late.requests).toHaveLength(1);
  });

  it("sends the follow-ups of a task to the responder a reply named in a2a-responder-agent-id (task handover)", async () => {
    const front = await SdkLikeResponder.start({ url: broker.url, agent: "front", handOverTo: "worker2" });
    const worker = await SdkLikeResponder.start({ url: broker.url, agent: "worker2" });
    extra.push(front, worker);
    const result = (await client.agent("acme/plant1/front").sendMessage("handed over")) as { task: { id: string } };
    await client.agent("acme/plant1/front").cancelTask(result.task.id).catch(() => undefined);
    expect(worker.requests.map((r) => [r.method, r.taskId])).toEqual([["CancelTask", result.task.id]]);
    expect(front.requests.map((r) => r.method)).toEqual(["SendMessage"]);
  });

  it("gives up after 3 attempts with TIMEOUT", async () => {
    const mute = await SdkLikeResponder.start({ url: broker.url, agent: "mute", ignoreFirst: 100 });
    extra.push(mute);
    const error = await client.agent("acme/plant1/mute").sendMessage("anyone?").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect((error as A2AClientError).code).toBe("TIMEOUT");
    expect(mute.requests).toHaveLength(3);
  });

  it("retries a publish nobody receives (PUBACK 0x10) and then says the agent is offline", async () => {
    const error = await client.agent("acme/plant1/nobody").sendMessage("hello?").catch((e: unknown) => e);
    expect((error as A2AClientError).code).toBe("AGENT_OFFLINE");
  });

  it("never republishes once an item came, and recovers a stalled stream with GetTask", async () => {
    const slowpoke = await SdkLikeResponder.start({ url: broker.url, agent: "slowpoke", answerGetTask: true });
    extra.push(slowpoke);
    const items: StreamEvent[] = [];
    const stream = client.agent("acme/plant1/slowpoke").sendStreamingMessage("stall");
    const reading = (async () => {
      for await (const item of stream) items.push(item);
    })();
    // The SUBMITTED item, then silence past the first-reply timeout and the idle timeout: GetTask.
    await waitFor(() => slowpoke.requests.some((r) => r.method === "GetTask"), { message: "the GetTask recovery" });
    const taskId = slowpoke.requests[0]!.taskId as string;
    await waitFor(() => items.some((i) => "task" in i), { message: "the recovered task" });
    slowpoke.release(taskId);
    await reading;
    expect(slowpoke.requests.filter((r) => r.method === "SendStreamingMessage")).toHaveLength(1);
    expect(items.find((i) => "task" in i)).toMatchObject({ task: { id: taskId, status: { state: "TASK_STATE_WORKING" } } });
    expect(items.at(-1)).toMatchObject({ statusUpdate: { status: { state: "TASK_STATE_COMPLETED" } } });
  });

  it("sees the responder's will as offline (a2a-status-source=lwt) when its connection dies", async () => {
    const doomed = await SdkLikeResponder.start({ url: broker.url, agent: "doomed" });
    await waitFor(async () => (await client.findAgents()).some((a) => a.id === "acme/plant1/doomed" && a.status === "online"), { message: "the online card" });
    doomed.client.stream.destroy();
    const gone = await waitFor(async () => (await client.findAgents()).find((a) => a.id === "acme/plant1/doomed" && a.status === "offline"), {
      message: "the offline card",
    });
    expect(gone).toMatchObject({ statusSource: "lwt" });
  });
});

describe.runIf(requireMosquitto())("closing a client with profile calls in flight (mosquitto)", () => {
  it("fails them with CLOSED at once", async () => {
    const broker = await startMosquitto();
    const mute = await SdkLikeResponder.start({ url: broker.url, agent: "mute", ignoreFirst: 100 });
    const client = new A2AClient({ broker: broker.url, emqx: { unit: "plant1" } });
    try {
      await client.connect();
      const call = client.agent("acme/plant1/mute").sendMessage("are you there?").catch((e: unknown) => e);
      await waitFor(() => mute.requests.length === 1, { message: "the request" });
      await client.close();
      expect(await call).toMatchObject({ code: "CLOSED" });
    } finally {
      await client.close();
      await mute.close();
      await broker.close();
    }
  });
});
