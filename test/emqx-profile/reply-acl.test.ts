// The profile's client id {org}/{unit}/{agent} lets a broker ACL keep each requester's
// replies to itself: mosquitto substitutes the whole client id, slashes included, in
// `pattern read $a2a/v1/reply/%c/#` (docs/emqx-profile.md, "Mapping our ids").
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startMosquitto, type MosquittoHandle } from "@a2a/testing";
import { SpecRequester, sendMessageRequest } from "./fixtures/spec-requester.js";

const ACL = ["topic readwrite #", "topic readwrite $a2a/v1/discovery/#", "topic readwrite $a2a/v1/request/#", "topic write $a2a/v1/reply/#", "pattern read $a2a/v1/reply/%c/#", ""].join("\n");

describe.runIf(requireMosquitto())("reply topics under an ACL keyed by the profile's client id (mosquitto)", () => {
  let dir: string;
  let broker: MosquittoHandle;
  let agent: A2AAgent;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "a2a-emqx-acl-"));
    await writeFile(join(dir, "acl"), ACL);
    broker = await startMosquitto({ extraConfig: `acl_file ${join(dir, "acl")}` });
    agent = new A2AAgent({ orgId: "acme", agentId: "echo", name: "Echo", description: "Echoes", broker: broker.url, emqx: { unit: "plant1" } });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    await agent.start();
  });

  afterAll(async () => {
    await agent?.stop({ gracePeriodMs: 10 });
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers a reply to its requester and not to another client subscribed to its reply topic; tasks are the requester's", async () => {
    const alice = await SpecRequester.connect({ url: broker.url, agent: "alice" });
    const mallory = await SpecRequester.connect({ url: broker.url, agent: "mallory" });
    try {
      await mallory.subscribe(alice.replyTopic);
      const taskId = randomUUID();
      const correlation = await alice.publish("$a2a/v1/request/acme/plant1/echo", sendMessageRequest("secret", { taskId }));
      const [reply] = await alice.awaitReplies(correlation, "alice's reply");
      expect(JSON.stringify(reply!.body)).toContain("Echo: secret");
      // Mallory's own request, answered after Alice's, shows the broker has delivered what it would.
      const own = await mallory.publish("$a2a/v1/request/acme/plant1/echo", sendMessageRequest("mine", { taskId: randomUUID() }));
      await mallory.awaitReplies(own, "mallory's own reply");
      expect(mallory.messages.filter((m) => m.topic === alice.replyTopic)).toEqual([]);
      // Tasks belong to the requester address of their reply route: Mallory cannot read Alice's.
      const peek = await mallory.publish("$a2a/v1/request/acme/plant1/echo", { jsonrpc: "2.0", id: "peek", method: "GetTask", params: { id: taskId } });
      const [refused] = await mallory.awaitReplies(peek, "the GetTask reply");
      expect(refused!.body?.error).toMatchObject({ code: -32001 });
      const mine = await alice.publish("$a2a/v1/request/acme/plant1/echo", { jsonrpc: "2.0", id: "get", method: "GetTask", params: { id: taskId } });
      expect((await alice.awaitReplies(mine, "alice's GetTask"))[0]!.body?.result).toMatchObject({ id: taskId });
    } finally {
      await alice.close();
      await mallory.close();
    }
  });
});
