import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeReply, type DecodedReply } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { A2AAgent } from "@a2a/agent";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { heapUsedAfterGc, MiB } from "./heap.js";

// A JSON-RPC id could be as long as the payload allows (1 MiB by default). The agent
// answers one over 256 characters with -32600 and id null instead of echoing it, and
// remembers answered requests to answer repeats; that memory must not grow with the ids
// or replies a client chooses.
describe("de-duplication memory under hostile request ids (aedes)", () => {
  let aedes: AedesHandle;
  let agent: A2AAgent;
  let transport: MqttTransport;
  let executions = 0;
  const replies: DecodedReply[] = [];
  const replyTo = "replies/dedup-memory/inbox";

  beforeAll(async () => {
    aedes = await startAedes();
    agent = new A2AAgent({ orgId: "reliability", agentId: "dedup-memory", name: "n", description: "d", broker: aedes.url });
    agent.skill({ id: "work", handler: () => ++executions });
    await agent.start();
    transport = new MqttTransport({ url: aedes.url, clean: true });
    await transport.connect();
    await transport.subscribe(replyTo, (m) => {
      const decoded = decodeReply(m);
      if (decoded.ok) replies.push(decoded.reply);
    });
  });

  afterAll(async () => {
    await transport?.close();
    await agent?.stop({ gracePeriodMs: 0 });
    await aedes?.close();
  });

  const send = (request: Record<string, unknown>) =>
    transport.publish(agent.tasksTopic, JSON.stringify({ jsonrpc: "2.0", ...request, replyTo, serviceParams: { "A2A-Version": "1.0" } }));

  it("answers 200 requests with 900 KB ids with -32600 and id null, without echoing or keeping them", async () => {
    const before = heapUsedAfterGc();
    const count = 200;
    for (let i = 0; i < count; i++) await send({ id: `${i}-${"i".repeat(900_000)}`, method: "GetTask", params: { id: "no-such-task" } });
    await waitFor(() => replies.length >= count, { timeoutMs: 30_000, message: `${count} replies` });
    expect(replies.every((r) => r.error?.code === -32600 && r.id === null)).toBe(true);
    replies.length = 0;
    // 200 x 900 KB = 176 MiB if the ids were kept.
    expect(heapUsedAfterGc() - before).toBeLessThan(48 * MiB);
  }, 60_000);

  it("still answers a repeat of a request with a 256-character id from memory instead of running it again", async () => {
    const id = `repeat-${"r".repeat(249)}`;
    const request = { id, method: "SendMessage", params: { message: { messageId: "m-repeat", role: "ROLE_USER", parts: [{ text: "x" }] } } };
    await send(request);
    await waitFor(() => replies.length === 1, { message: "the first reply" });
    await send(request);
    await waitFor(() => replies.length === 2, { message: "the reply to the repeat" });
    expect(executions).toBe(1);
    expect(replies[1]?.result).toEqual(replies[0]?.result);
  });
});
