import { describe, expect, test } from "vitest";
import {
  AgentCardSchema,
  CompactAgentCardSchema,
  MQTT_PROTOCOL_BINDING,
  SKILL_METADATA_KEY,
  SendMessageParamsSchema,
  TaskRequestSchema,
  TaskResultSchema,
  agentCardFromCompactCard,
  compactCardFromAgentCard,
  discoveryCardFromAgentCard,
  parseWireOrThrow,
  taskRequestToSendMessageParams,
  taskToTaskResult,
  type Task,
} from "@a2a/schema";
import { seedAgentCard, seedTaskRequest, seedTaskResult } from "./fixtures/seed-examples.js";
import { sampleAgentCard } from "./fixtures/spec-examples.js";

describe("Task Request → SendMessage params", () => {
  test("the seed's example", () => {
    const params = taskRequestToSendMessageParams(parseWireOrThrow(TaskRequestSchema, seedTaskRequest));
    expect(params).toEqual({
      message: {
        messageId: "req-123",
        role: "ROLE_USER",
        parts: [{ data: { product_id: "WIDGET-A" } }],
        metadata: { [SKILL_METADATA_KEY]: "inventory-check", seedTaskId: "task-abc-789" },
      },
    });
    expect(params.message.taskId).toBeUndefined();
    // The result is itself valid SendMessage params.
    expect(parseWireOrThrow(SendMessageParamsSchema, params)).toEqual(params);
  });

  test("params without a message become one data part carrying the params", () => {
    const req = parseWireOrThrow(TaskRequestSchema, { id: "r1", operation: "echo", params: { x: 1, y: [2] } });
    expect(taskRequestToSendMessageParams(req).message.parts).toEqual([{ data: { x: 1, y: [2] } }]);
  });

  test("no params at all: one empty data part", () => {
    const req = parseWireOrThrow(TaskRequestSchema, { id: "r1", operation: "ping" });
    expect(taskRequestToSendMessageParams(req).message).toEqual({
      messageId: "r1",
      role: "ROLE_USER",
      parts: [{ data: {} }],
      metadata: { skillId: "ping" },
    });
  });

  test("a plain-text message (as the seed's echo tool reads it) and extra params are kept", () => {
    const req = parseWireOrThrow(TaskRequestSchema, { id: "r2", operation: "echo", params: { message: "hello", loud: true }, contextId: "ctx-9" });
    expect(taskRequestToSendMessageParams(req).message).toEqual({
      messageId: "r2",
      role: "ROLE_USER",
      contextId: "ctx-9",
      parts: [{ text: "hello" }],
      metadata: { skillId: "echo", seedParams: { loud: true } },
    });
  });
});

const request = { id: "req-123", taskId: "task-abc-789" };
function task(state: string, extra: Partial<Task> = {}): Task {
  return { id: "a2a-task-1", contextId: "ctx-1", status: { state: state as Task["status"]["state"] }, ...extra };
}

describe("Task → Task Result", () => {
  test("reproduces the seed's example from a data artifact", () => {
    const result = taskToTaskResult(task("TASK_STATE_COMPLETED", { artifacts: [{ artifactId: "a", parts: [{ text: "500 in stock" }, { data: { stock: 500 } }] }] }), request);
    expect(result).toEqual({ ...(seedTaskResult as object), contextId: "ctx-1" });
    expect(parseWireOrThrow(TaskResultSchema, result)).toEqual(result);
  });

  test("uses the last artifact, and its text when it has no data part", () => {
    const t = task("TASK_STATE_COMPLETED", {
      artifacts: [
        { artifactId: "a", parts: [{ data: 1 }] },
        { artifactId: "b", parts: [{ text: "Echo: " }, { text: "hi" }] },
      ],
    });
    expect(taskToTaskResult(t, request).result).toEqual({ status: "completed", result: "Echo: hi" });
  });

  test("falls back to the status message's text (input-required prompt)", () => {
    const t = task("TASK_STATE_INPUT_REQUIRED", {
      status: { state: "TASK_STATE_INPUT_REQUIRED", message: { messageId: "m", role: "ROLE_AGENT", parts: [{ text: "Which warehouse?" }] } },
    });
    const r = taskToTaskResult(t, { id: "r" });
    expect(r).toEqual({ id: "r", status: "input-required", result: { status: "input-required", result: "Which warehouse?" }, contextId: "ctx-1" });
  });

  test("failed tasks carry the error text", () => {
    const t = task("TASK_STATE_FAILED", {
      status: { state: "TASK_STATE_FAILED", message: { messageId: "m", role: "ROLE_AGENT", parts: [{ text: "unknown product" }] } },
    });
    expect(taskToTaskResult(t, request)).toEqual({
      id: "req-123",
      taskId: "task-abc-789",
      status: "failed",
      error: "unknown product",
      result: { status: "failed", error: "unknown product" },
      contextId: "ctx-1",
    });
    expect(taskToTaskResult(task("TASK_STATE_REJECTED"), request).error).toBe("task rejected");
  });

  test.each([
    ["TASK_STATE_SUBMITTED", "submitted"],
    ["TASK_STATE_WORKING", "working"],
    ["TASK_STATE_CANCELED", "canceled"],
    ["TASK_STATE_AUTH_REQUIRED", "auth-required"],
  ])("%s → %s", (state, short) => {
    expect(taskToTaskResult(task(state), request).status).toBe(short);
  });
});

describe("agent cards ↔ compact cards", () => {
  const ids = { orgId: "global-industries", agentId: "supply-chain-01" };

  test("compact card of a 1.0 card", () => {
    const card = parseWireOrThrow(AgentCardSchema, sampleAgentCard);
    const compact = compactCardFromAgentCard(card, ids);
    expect(compact).toEqual({
      protocolVersion: "1.0",
      name: card.name,
      description: card.description,
      url: "mqtt://global-industries/supply-chain-01",
      preferredTransport: "MQTT",
      skills: card.skills.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    });
    expect(parseWireOrThrow(CompactAgentCardSchema, compact)).toEqual(compact);
  });

  test("the discovery card is read by both 1.0 and seed clients", () => {
    const card = parseWireOrThrow(AgentCardSchema, {
      ...sampleAgentCard,
      supportedInterfaces: [{ url: "mqtt://global-industries/supply-chain-01", protocolBinding: MQTT_PROTOCOL_BINDING, protocolVersion: "1.0" }],
    });
    const discovery = discoveryCardFromAgentCard(card, ids);
    const wire = JSON.parse(JSON.stringify(discovery)) as unknown;
    expect(parseWireOrThrow(AgentCardSchema, wire)).toEqual(discovery);
    const compact = parseWireOrThrow(CompactAgentCardSchema, wire);
    expect(compact).toMatchObject({ protocolVersion: "1.0", url: "mqtt://global-industries/supply-chain-01", preferredTransport: "MQTT" });
  });

  test("a 1.0 card for the seed's compact card validates", () => {
    const compact = parseWireOrThrow(CompactAgentCardSchema, seedAgentCard);
    const card = agentCardFromCompactCard(compact, { version: "2.0.0" });
    expect(parseWireOrThrow(AgentCardSchema, card)).toEqual(card);
    expect(card.supportedInterfaces).toEqual([
      { url: "mqtt://global-industries/supply-chain-01", protocolBinding: MQTT_PROTOCOL_BINDING, protocolVersion: "1.0" },
    ]);
    expect(card.version).toBe("2.0.0");
    expect(card.skills[0]).toEqual({
      id: "inventory-check",
      name: "Check Inventory",
      description: "Returns stock levels for a product ID.",
      tags: ["inventory-check"],
    });
    expect(compactCardFromAgentCard(card, { orgId: "x", agentId: "y" })).toEqual({ ...compact, description: compact.name });
  });

  test("a compact card without url needs the agent's ids", () => {
    const compact = { name: "N", skills: [] };
    expect(() => agentCardFromCompactCard(compact)).toThrow(/pass defaults.ids/);
    expect(agentCardFromCompactCard(compact, { ids }).supportedInterfaces[0]?.url).toBe("mqtt://global-industries/supply-chain-01");
  });
});
