import { afterEach, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, isA2AProtocolError } from "@a2a/client";
import type { InboundMessage } from "@a2a/transport";
import { decodeReply, encodeRequest, type DecodedReply } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { startAedes, waitFor } from "@a2a/testing";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function setup(options: { pushNotifications?: boolean; allowReplyTopic?: (topic: string) => boolean } = {}) {
  const broker = await startAedes();
  cleanups.push(() => broker.close());
  const errors: unknown[] = [];
  const agent = new A2AAgent({
    orgId: "routes",
    agentId: "echo",
    name: "Echo",
    description: "Echoes",
    broker: broker.url,
    onError: (e) => errors.push(e),
    ...options,
  });
  agent.registerTool(function echo(params) {
    return `echo ${String(params.message)}`;
  });
  await agent.start();
  cleanups.push(() => agent.stop({ gracePeriodMs: 0 }));
  // A raw MQTT 3.1.1 client: names any reply topic it likes in `replyTo`.
  const raw = new MqttTransport({ url: broker.url, clientId: "attacker", clean: true });
  await raw.connect();
  cleanups.push(() => raw.close());
  const seen: InboundMessage[] = [];
  await raw.subscribe("#", (m) => seen.push(m), { qos: 1 });
  const send = (request: object, replyTopic: string) => {
    const encoded = encodeRequest({ request, replyTopic, messageProperties: false, serviceParams: { "A2A-Version": "1.0" } });
    return raw.publish(agent.tasksTopic, encoded.payload, encoded.options);
  };
  const repliesOn = (topic: string): DecodedReply[] =>
    seen.filter((m) => m.topic === topic).flatMap((m) => {
      const decoded = decodeReply(m);
      return decoded.ok ? [decoded.reply] : [];
    });
  return { broker, agent, errors, raw, seen, send, repliesOn };
}

const hello = (id: string | number) => ({
  jsonrpc: "2.0",
  id,
  method: "SendMessage",
  params: { message: { messageId: `m-${String(id).slice(0, 40)}-${Math.random()}`, role: "ROLE_USER", parts: [{ text: "hi" }] } },
});

describe("reply routes an agent refuses", () => {
  it("drops a request whose reply topic is $SYS/x instead of being cut off by aedes for good", async () => {
    const { agent, errors, send, broker } = await setup();
    await send(hello("sys"), "$SYS/x");
    const client = new A2AClient({ broker: broker.url, clientId: "honest", timeoutMs: 5_000 });
    await client.connect();
    cleanups.push(() => client.close());
    const handle = client.agent("routes/echo");
    const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => handle.sendText(`n${i}`)));
    expect(answers.filter((a) => a.status === "fulfilled").length).toBe(20);
    await waitFor(() => errors.some((e) => String(e).includes("$SYS/x")), { message: "the refused route to be reported" });
    expect(agent.transport?.state).toBe("connected");
  }, 30_000);

  it("never replies on another agent's topics or its own discovery, tasks or results topics", async () => {
    const { agent, errors, send, repliesOn, seen } = await setup();
    const forbidden = ["other/agent/tasks", "discovery/other/agent", agent.discoveryTopic, agent.resultsTopic, "other/agent/results"];
    for (const [i, topic] of forbidden.entries()) await send(hello(`f${i}`), topic);
    await send(hello("ok"), "replies/attacker/inbox");
    await waitFor(() => repliesOn("replies/attacker/inbox").length === 1, { message: "the reply to the allowed route" });
    await waitFor(() => errors.length >= forbidden.length, { message: "every refused route reported" });
    for (const topic of forbidden) {
      const replies = seen.filter((m) => m.topic === topic && m.payload.byteLength > 0 && !m.retain && new TextDecoder().decode(m.payload).includes('"jsonrpc"'));
      expect(replies, topic).toEqual([]);
    }
  });

  it("lets an option widen the routes, but never to $ topics", async () => {
    const { send, repliesOn, errors } = await setup({ allowReplyTopic: (topic) => topic.startsWith("legacy/") });
    await send(hello("legacy"), "legacy/inbox");
    await send(hello("sys"), "$SYS/y");
    await waitFor(() => repliesOn("legacy/inbox").length === 1, { message: "the reply on the widened route" });
    await waitFor(() => errors.some((e) => String(e).includes("$SYS/y")), { message: "the $ route refused" });
  });

  it("answers a JSON-RPC id over 256 characters with -32600 and id null, not an echo of it", async () => {
    const { send, repliesOn } = await setup();
    await send(hello("x".repeat(100_000)), "replies/attacker/inbox");
    const [reply] = await waitFor(() => {
      const r = repliesOn("replies/attacker/inbox");
      return r.length > 0 ? r : undefined;
    }, { message: "the reply to the long id" });
    expect(reply!.id).toBeNull();
    expect(reply!.error?.code).toBe(-32600);
    await send(hello("y".repeat(256)), "replies/attacker/inbox");
    await waitFor(() => repliesOn("replies/attacker/inbox").some((r) => r.id === "y".repeat(256) && r.result !== undefined), {
      message: "a 256-character id served",
    });
  });

  it("refuses mqtt:/// push targets outside the reply namespace or in another client's inbox", async () => {
    const { broker } = await setup({ pushNotifications: true });
    const client = new A2AClient({ broker: broker.url, clientId: "owner", timeoutMs: 5_000 });
    await client.connect();
    cleanups.push(() => client.close());
    const handle = client.agent("routes/echo");
    for (const url of ["mqtt:///replies/victim/inbox", "mqtt:///other/agent/tasks", "mqtt:///routes/other/results", "mqtt:///%24SYS/x"]) {
      const outcome = await handle
        .sendMessage({ message: { parts: [{ text: "x" }] }, configuration: { taskPushNotificationConfig: { url } } })
        .then(() => "accepted", (e: unknown) => (isA2AProtocolError(e) ? e.code : String(e)));
      expect(outcome, url).toBe(-32602);
    }
    const own = await handle.sendMessage({ message: { parts: [{ text: "x" }] }, configuration: { taskPushNotificationConfig: { url: "mqtt:///replies/owner/push" } } });
    expect("task" in own).toBe(true);
  });
});
