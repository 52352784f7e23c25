// The official A2A 0.3.14 client through the gateway to an @a2a/agent agent, which
// serves 0.3 requests in 0.3 form.
import { ClientFactory } from "a2a-sdk-03/client";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { createGateway, type Gateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";

let broker: AedesHandle;
let agent: A2AAgent;
let gateway: Gateway;

beforeAll(async () => {
  broker = await startAedes();
  agent = await startEchoAgent(broker.url, "acme", "echo03");
  gateway = await createGateway({ broker: broker.url, port: 0 });
  await waitFor(() => gateway.agents().some((a) => a.id === "acme/echo03"));
});

afterAll(async () => {
  await gateway?.close();
  await agent?.stop({ gracePeriodMs: 100 });
  await broker?.close();
});

test("send, get, stream and cancel with the 0.3.14 client", async () => {
  const client = await new ClientFactory().createFromUrl(`${gateway.url}/acme/echo03/.well-known/agent-card.json`, "");
  const message = (text: string) => ({ kind: "message" as const, messageId: crypto.randomUUID(), role: "user" as const, parts: [{ kind: "text" as const, text }] });
  const task = (await client.sendMessage({ message: message("old") })) as { kind: string; id: string; status: { state: string }; artifacts: { parts: { kind: string; text: string }[] }[] };
  expect(task.kind).toBe("task");
  expect(task.status.state).toBe("completed");
  expect(task.artifacts[0]!.parts[0]).toMatchObject({ kind: "text", text: "Echo: old" });
  const got = (await client.getTask({ id: task.id })) as { kind: string; status: { state: string } };
  expect(got).toMatchObject({ kind: "task", status: { state: "completed" } });

  const kinds: string[] = [];
  let last: { kind: string; final?: boolean; status?: { state: string } } | undefined;
  for await (const event of client.sendMessageStream({ message: message("streamed") })) {
    last = event;
    kinds.push(last.kind);
  }
  expect(kinds[0]).toBe("task");
  expect(kinds).toContain("artifact-update");
  expect(last).toMatchObject({ kind: "status-update", final: true, status: { state: "completed" } });

  const waiting = (await client.sendMessage({ message: message("wait"), configuration: { blocking: false } })) as { id: string };
  const canceled = (await client.cancelTask({ id: waiting.id })) as { status: { state: string } };
  expect(canceled.status.state).toBe("canceled");
});
