// Hostile input on the profile's request topic (the reliability suite's fuzz corpus, sent
// with a profile Response Topic and Correlation Data): the agent answers what it can on
// the reply path, never on another topic, and keeps serving.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { FuzzCorpus } from "../reliability/fuzz-corpus.js";
import { SpecRequester, sendMessageRequest } from "./fixtures/spec-requester.js";

const REQUEST_TOPIC = "$a2a/v1/request/acme/plant1/sturdy";
const MESSAGES = 600;

describe.runIf(requireMosquitto())("hostile input on the profile's request topic (mosquitto)", () => {
  let broker: MosquittoHandle;
  let agent: A2AAgent;
  let requester: SpecRequester;

  beforeAll(async () => {
    broker = await startMosquitto({ extraConfig: "max_queued_messages 100000" });
    agent = new A2AAgent({ orgId: "acme", agentId: "sturdy", name: "Sturdy", description: "d", broker: broker.url, emqx: { unit: "plant1" }, maxPayloadBytes: 64 * 1024, onError: () => undefined });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    await agent.start();
    requester = await SpecRequester.connect({ url: broker.url });
    await requester.subscribe("$a2a/v1/reply/#");
  });

  afterAll(async () => {
    await requester?.close();
    await agent?.stop({ gracePeriodMs: 100 });
    await broker?.close();
  });

  it(`answers only on the reply path with the correlation sent, and serves a real request after ${MESSAGES} hostile ones`, async () => {
    const corpus = new FuzzCorpus({ seed: 4242, garbageTopic: requester.replyTopic, validTopic: requester.replyTopic, maxPayloadBytes: 64 * 1024, mqtt5: true });
    const sent = new Set<string>();
    const publishes: Promise<unknown>[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const made = corpus.next();
      const correlation = `h${i}`;
      sent.add(correlation);
      const payload = typeof made.payload === "string" ? made.payload : Buffer.from(made.payload);
      const properties = {
        responseTopic: requester.replyTopic,
        correlationData: Buffer.from(correlation),
        // No empty user property map: mqtt-packet hangs encoding one.
        ...(made.properties?.userProperties === undefined ? {} : { userProperties: made.properties.userProperties }),
      };
      publishes.push(requester.client.publishAsync(REQUEST_TOPIC, payload, { qos: 1, properties }));
    }
    await Promise.all(publishes);
    const probe = await requester.publish(REQUEST_TOPIC, sendMessageRequest("still here", { taskId: randomUUID() }));
    const [answer] = await requester.awaitReplies(probe, "the probe's answer", { timeoutMs: 30_000 });
    expect(JSON.stringify(answer!.body)).toContain("Echo: still here");
    await waitFor(() => requester.replies.length > MESSAGES / 4, { message: "the answers to the hostile input" });
    // Every reply went to the Response Topic and carries Correlation Data we sent.
    const stray = requester.messages.filter((m) => m.topic.startsWith("$a2a/v1/reply/") && m.topic !== requester.replyTopic);
    expect(stray).toEqual([]);
    expect(requester.replies.filter((r) => r.correlation === undefined || (!sent.has(r.correlation) && r.correlation !== probe))).toEqual([]);
    // The errors are JSON-RPC errors.
    const errors = requester.replies.filter((r) => r.correlation !== probe && r.body?.error !== undefined);
    expect(errors.length).toBeGreaterThan(MESSAGES / 4);
  }, 60_000);
});
