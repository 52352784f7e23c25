import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const echo = (agent: Parameters<Parameters<typeof harness>[0]>[0]) =>
  agent.registerTool(function echo(params) { return `Echo: ${String(params.message)}`; });

describe.each([5, 4] as const)("malformed requests over MQTT %s", (protocolVersion) => {
  it("answers bad envelopes with the right JSON-RPC error and the id echoed exactly", async () => {
    h = await harness(echo, { protocolVersion });
    const replyTo = h.client.replyTopic;
    const cases: Array<[Record<string, unknown>, number, unknown]> = [
      [{ jsonrpc: "1.0", id: 0, method: "GetTask" }, -32600, 0],
      [{ jsonrpc: "2.0", id: "", method: "NoSuchMethod" }, -32601, ""],
      [{ jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: 5 } }, -32602, 7],
      [{ jsonrpc: "2.0", id: "s", method: "SendMessage", params: { message: { messageId: "m", role: "ROLE_USER", parts: [] } } }, -32602, "s"],
      [{ jsonrpc: "2.0", id: 8, method: "CreateTaskPushNotificationConfig", params: { taskId: "t", url: "https://x.example/h" } }, -32003, 8],
      [{ jsonrpc: "2.0", id: 9, method: "GetExtendedAgentCard" }, -32004, 9],
    ];
    for (const [body, code, id] of cases) {
      await h.client.publishRaw(JSON.stringify({ ...body, replyTo }), protocolVersion === 5 ? { responseTopic: replyTo } : {});
      const reply = await waitFor(() => h!.client.replies.find((r) => r.id === id && r.error?.code === code), {
        message: `${code} for ${JSON.stringify(body)}`,
      });
      expect(reply.error?.message.length).toBeGreaterThan(0);
    }
    const parts = h.client.replies.find((r) => r.id === "s")!;
    expect(parts.error?.message).toContain("params.message.parts");
    // The agent still serves good requests afterwards.
    const ok = await h.client.call("SendMessage", textMessage("still here"));
    expect(ok.error).toBeUndefined();
  });

  it("answers -32700 for non-JSON and oversize payloads where a reply topic is known", async () => {
    h = await harness(echo, { protocolVersion, maxPayloadBytes: 2048 });
    if (protocolVersion === 5) {
      await h.client.publishRaw("{not json", { responseTopic: h.client.replyTopic });
      const parse = await waitFor(() => h!.client.replies.find((r) => r.error?.code === -32700));
      expect(parse.id).toBeNull();
      await h.client.publishRaw(JSON.stringify({ pad: "x".repeat(5000) }), { responseTopic: h.client.replyTopic });
      const big = await waitFor(() => h!.client.replies.find((r) => r.error?.code === -32600));
      expect(big.error?.message).toMatch(/exceeds the limit of 2048 bytes/);
    }
    // Garbage that cannot be answered is dropped without harm.
    await h.client.publishRaw("\u0000\u0001garbage");
    await h.client.publishRaw("[1,2,3]");
    const ok = await h.client.call("SendMessage", textMessage("fine"));
    expect(ok.error).toBeUndefined();
    expect(h.errors).toEqual([]);
  });

  it("answers an unsupported A2A-Version with -32009 and accepts 0.3 method names", async () => {
    h = await harness(echo, { protocolVersion });
    const body = { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" }, replyTo: h.client.replyTopic, serviceParams: { "A2A-Version": "9.9" } };
    await h.client.publishRaw(JSON.stringify(body), protocolVersion === 5 ? { responseTopic: h.client.replyTopic, userProperties: { "A2A-Version": "9.9" } } : {});
    const v = await waitFor(() => h!.client.repliesFor(1)[0]);
    expect(v.error?.code).toBe(-32009);
    const legacy = await h.client.call("message/send", {
      message: { kind: "message", messageId: "legacy-1", role: "user", parts: [{ kind: "text", text: "old" }] },
    });
    expect((legacy.result as { task: { status: { state: string } } }).task.status.state).toBe("TASK_STATE_COMPLETED");
  });
});

describe("request de-duplication", () => {
  it("answers a repeated request id again without running it twice", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function count() { runs++; return runs; }));
    const params = textMessage("x");
    const a = await h.client.call("SendMessage", params, { id: "same" });
    await h.client.send("SendMessage", params, { id: "same" });
    await waitFor(() => h!.client.repliesFor("same").length === 2);
    const [first, second] = h.client.repliesFor("same");
    expect(second!.result).toEqual(first!.result);
    expect(runs).toBe(1);
    void a;
  });

  it("answers a retried messageId under a new request id without a second task", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function count() { runs++; return "ok"; }));
    const params = textMessage("x");
    const a = await h.client.call("SendMessage", params, { id: 1 });
    const b = await h.client.call("SendMessage", params, { id: 2 });
    expect(b.id).toBe(2);
    expect((b.result as { task: { id: string } }).task.id).toBe((a.result as { task: { id: string } }).task.id);
    expect(runs).toBe(1);
  });

  it("replays a repeated streaming request as the task's stream", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function count() { runs++; return "ok"; }));
    const params = textMessage("x");
    await h.client.send("SendStreamingMessage", params, { id: "st" });
    await h.client.frames("st");
    const before = h.client.repliesFor("st").length;
    await h.client.send("SendStreamingMessage", params, { id: "st" });
    await waitFor(() => h!.client.repliesFor("st").length > before);
    const replay = h.client.repliesFor("st").slice(before);
    expect(replay[0]!.final).toBe(true);
    expect((replay[0]!.result as { task: { status: { state: string } } }).task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(runs).toBe(1);
  });
});
