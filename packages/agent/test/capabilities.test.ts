import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { harness, textMessage, type Harness } from "./helpers.js";
import type { AgentCard, ListTasksResult } from "@a2a/schema";
import type { SentTask } from "./wire-types.js";


let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const echo = function echo(p: Record<string, unknown>) { return `Echo: ${String(p.message)}`; };

describe("A2A-Version", () => {
  it("accepts 1.0, 0.3 and a missing version; answers anything else with -32009", async () => {
    h = await harness((a) => a.registerTool(echo));
    const versions: [string | undefined, number | undefined][] = [["1.0", undefined], ["0.3", undefined], [undefined, undefined], ["2.0", -32009], ["0.2", -32009], ["banana", -32009]];
    for (const [version, code] of versions) {
      const serviceParams: Record<string, string> = {};
      if (version !== undefined) serviceParams["A2A-Version"] = version;
      const id = `v-${version}`;
      await h.client.publishRaw(JSON.stringify({ jsonrpc: "2.0", id, method: "GetTask", params: { id: "none" }, replyTo: h.client.replyTopic, serviceParams }));
      const reply = await waitReply(h, id);
      // A known version reaches the operation (unknown task → -32001).
      expect(reply.error?.code, String(version)).toBe(code ?? -32001);
    }
  });
});

function waitReply(harness: Harness, id: string) {
  return waitFor(() => harness.client.repliesFor(id)[0], { message: `reply ${id}` });
}

describe("required extensions", () => {
  it("answers -32008 naming the extension unless A2A-Extensions lists it", async () => {
    h = await harness((a) => a.registerTool(echo), {
      extensions: [{ uri: "urn:acme:ext:shift:v1", required: true }, { uri: "urn:acme:ext:optional:v1" }],
    });
    expect(h.agent.card.capabilities.extensions).toEqual([{ uri: "urn:acme:ext:shift:v1", required: true }, { uri: "urn:acme:ext:optional:v1" }]);
    const send = (extensions?: string) => {
      const serviceParams: Record<string, string> = { "A2A-Version": "1.0" };
      if (extensions !== undefined) serviceParams["A2A-Extensions"] = extensions;
      const id = `e-${extensions}`;
      return h!.client
        .publishRaw(JSON.stringify({ jsonrpc: "2.0", id, method: "SendMessage", params: textMessage("hi"), replyTo: h!.client.replyTopic, serviceParams }))
        .then(() => waitReply(h!, id));
    };
    const missing = await send();
    expect(missing.error?.code).toBe(-32008);
    expect(missing.error?.message).toContain("urn:acme:ext:shift:v1");
    expect((await send("urn:acme:ext:optional:v1")).error?.code).toBe(-32008);
    const ok = await send("urn:acme:ext:optional:v1, urn:acme:ext:shift:v1");
    expect((ok.result as SentTask).task.status.state).toBe("TASK_STATE_COMPLETED");
  });
});

describe("streaming capability", () => {
  it("answers SendStreamingMessage and SubscribeToTask with -32004 when streaming is off", async () => {
    h = await harness((a) => a.registerTool(echo), { streaming: false });
    expect(h.agent.card.capabilities.streaming).toBe(false);
    expect((await h.client.call("SendStreamingMessage", textMessage("hi"))).error?.code).toBe(-32004);
    expect((await h.client.call("SubscribeToTask", { id: "x" })).error?.code).toBe(-32004);
    expect((await h.client.call("SendMessage", textMessage("hi"))).result).toBeDefined();
  });
});

describe("push notification capability", () => {
  it("answers push config operations and a SendMessage push config with -32003 when not declared", async () => {
    h = await harness((a) => a.registerTool(echo));
    expect(h.agent.card.capabilities.pushNotifications).toBe(false);
    for (const [method, params] of [
      ["CreateTaskPushNotificationConfig", { taskId: "t", url: "https://example.com/h" }],
      ["GetTaskPushNotificationConfig", { taskId: "t", id: "c" }],
      ["ListTaskPushNotificationConfigs", { taskId: "t" }],
      ["DeleteTaskPushNotificationConfig", { taskId: "t", id: "c" }],
    ] as const) {
      expect((await h.client.call(method, params)).error?.code, method).toBe(-32003);
    }
    const send = await h.client.call("SendMessage", textMessage("hi", {}, { taskPushNotificationConfig: { url: "https://example.com/h" } }));
    expect(send.error?.code).toBe(-32003);
    expect(((await h.client.call("ListTasks", {})).result as ListTasksResult).totalSize).toBe(0);
  });
});

describe("GetExtendedAgentCard", () => {
  it("is -32004 when not declared", async () => {
    h = await harness((a) => a.registerTool(echo));
    expect((await h.client.call("GetExtendedAgentCard", {})).error?.code).toBe(-32004);
  });

  it("is -32007 when declared but not configured", async () => {
    h = await harness((a) => a.registerTool(echo), { extendedAgentCard: true });
    expect(h.agent.card.capabilities.extendedAgentCard).toBe(true);
    expect((await h.client.call("GetExtendedAgentCard", {})).error?.code).toBe(-32007);
  });

  it("serves the configured card, built from the public one", async () => {
    h = await harness((a) => a.registerTool(echo), {
      extendedCard: (card) => ({ ...card, description: `${card.description} (with maintenance skills)`, skills: [...card.skills, { id: "calibrate", name: "Calibrate", description: "Calibrates", tags: ["maintenance"] }] }),
    });
    expect(h.agent.card.capabilities.extendedAgentCard).toBe(true);
    const card = (await h.client.call("GetExtendedAgentCard", {})).result as AgentCard;
    expect(card.description).toBe("An agent under test (with maintenance skills)");
    expect(card.skills.map((s) => s.id)).toEqual(["echo", "calibrate"]);
  });
});

describe("content types", () => {
  it("answers -32005 for a part the skill cannot take and for acceptedOutputModes it cannot produce", async () => {
    h = await harness((a) => {
      a.skill({ id: "vision", inputModes: ["image/*", "text/plain"], outputModes: ["application/json"], handler: () => ({ faces: 0 }) });
      a.skill({ id: "plain", handler: () => "ok" });
    });
    const image = { raw: "iVBORw0KGgo=", mediaType: "image/png", filename: "a.png" };
    const pdf = { raw: "JVBERi0=", mediaType: "application/pdf", filename: "a.pdf" };
    const send = (skillId: string, parts: unknown[], configuration?: Record<string, unknown>) =>
      h!.client.call("SendMessage", { message: { messageId: `m-${Math.random()}`, role: "ROLE_USER", parts, metadata: { skillId } }, ...(configuration ? { configuration } : {}) });

    expect(((await send("vision", [image, { text: "find faces" }])).result as SentTask).task.status.state).toBe("TASK_STATE_COMPLETED");
    const badInput = await send("vision", [pdf]);
    expect(badInput.error?.code).toBe(-32005);
    expect(badInput.error?.message).toContain("application/pdf");
    // A data part is application/json, which the vision skill does not take.
    expect((await send("vision", [{ data: { a: 1 } }])).error?.code).toBe(-32005);
    // The agent's default input modes (text/plain, application/json) apply to skills without their own.
    expect((await send("plain", [image])).error?.code).toBe(-32005);

    expect((await send("vision", [image], { acceptedOutputModes: ["text/plain"] })).error?.code).toBe(-32005);
    expect((await send("vision", [image], { acceptedOutputModes: ["text/plain", "application/*"] })).result).toBeDefined();
    expect((await send("plain", [{ text: "x" }], { acceptedOutputModes: ["text/plain; charset=utf-8"] })).result).toBeDefined();
  });
});
