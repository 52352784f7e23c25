// A2A 0.3 clients through the gateway: the official 0.3.14 client reads the gateway's
// card, and its requests go to the agent as 0.3 requests (0.3 method names, no
// A2A-Version) while whatever the agent answers in 0.3 form reaches it unchanged.
import { ClientFactory } from "a2a-sdk-03/client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import type { DecodedJsonRpcRequest } from "@a2a/transport/binding";
import { createGateway, type Gateway } from "../src/index.js";
import { startRecordingAgent } from "./helpers/recording-agent.js";

let broker: AedesHandle;
let agent: Awaited<ReturnType<typeof startRecordingAgent>>;
let gateway: Gateway;

/** What an agent serving 0.3 answers: `kind` members, lowercase states, 0.3 result shapes. */
function answer03(decoded: DecodedJsonRpcRequest): object[] {
  const params = decoded.request.params as { message?: { parts?: { text?: string }[] } };
  const text = params.message?.parts?.[0]?.text ?? "";
  const task = { kind: "task", id: "t-03", contextId: "c-03", status: { state: "completed" }, artifacts: [{ artifactId: "a", parts: [{ kind: "text", text: `0.3 echo: ${text}` }] }] };
  if (decoded.request.method === "message/stream") {
    return [
      { ...task, status: { state: "submitted" }, artifacts: [] },
      { kind: "artifact-update", taskId: "t-03", contextId: "c-03", artifact: task.artifacts[0] },
      { kind: "status-update", taskId: "t-03", contextId: "c-03", status: { state: "completed" }, final: true },
    ];
  }
  return [task];
}

beforeAll(async () => {
  broker = await startAedes();
  agent = await startRecordingAgent(broker.url, { org: "legacy", agent: "echo", status: "online", answer: answer03 });
  gateway = await createGateway({ broker: broker.url, port: 0 });
  await waitFor(() => gateway.agents().some((a) => a.id === "legacy/echo"));
});

afterAll(async () => {
  await gateway?.close();
  await agent?.close();
  await broker?.close();
});

test("the 0.3.14 client sends and streams through the gateway in 0.3 form", async () => {
  const client = await new ClientFactory().createFromUrl(`${gateway.url}/legacy/echo/.well-known/agent-card.json`, "");
  const message = { kind: "message" as const, messageId: "m-1", role: "user" as const, parts: [{ kind: "text" as const, text: "old" }] };
  const result = (await client.sendMessage({ message })) as { kind: string; status: { state: string }; artifacts: { parts: { text: string }[] }[] };
  expect(result.kind).toBe("task");
  expect(result.status.state).toBe("completed");
  expect(result.artifacts[0]!.parts[0]!.text).toBe("0.3 echo: old");

  const kinds: string[] = [];
  for await (const event of client.sendMessageStream({ message: { ...message, messageId: "m-2" } })) kinds.push((event as { kind: string }).kind);
  expect(kinds).toEqual(["task", "artifact-update", "status-update"]);

  const sent = agent.requests.map((r) => [r.request.method, r.serviceParams["A2A-Version"]]);
  expect(sent).toEqual([
    ["message/send", undefined],
    ["message/stream", undefined],
  ]);
});
