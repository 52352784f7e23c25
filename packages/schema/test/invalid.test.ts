import { describe, expect, test } from "vitest";
import {
  AgentCardSchema,
  MessageSchema,
  OPERATION_PARAMS,
  PartSchema,
  SendMessageParamsSchema,
  SendMessageResultSchema,
  StreamResponseSchema,
  TaskRequestSchema,
  TaskResultSchema,
  TaskSchema,
  TaskStatusUpdateEventSchema,
  JsonRpcRequestSchema,
  JsonRpcResponseSchema,
  MAX_ID_LENGTH,
  parseWire,
} from "@a2a/schema";
import { sampleAgentCard } from "./fixtures/spec-examples.js";

const msg = { messageId: "m1", role: "ROLE_USER", parts: [{ text: "hi" }] };
const task = { id: "t1", contextId: "c1", status: { state: "TASK_STATE_WORKING" } };
type Case = [name: string, schema: Parameters<typeof parseWire>[0], value: unknown, path: string, message: RegExp];

const cases: Case[] = [
  // Envelope and params (paths as an agent reports them, rooted at "params")
  ["missing messageId", SendMessageParamsSchema, { message: { ...msg, messageId: undefined } }, "params.message.messageId", /is required/],
  ["empty messageId", SendMessageParamsSchema, { message: { ...msg, messageId: "" } }, "params.message.messageId", /must not be empty/],
  ["messageId too long", MessageSchema, { ...msg, messageId: "x".repeat(MAX_ID_LENGTH + 1) }, "messageId", /at most 256/],
  ["control char in id", MessageSchema, { ...msg, taskId: "a\u0000b" }, "taskId", /control characters/],
  ["empty parts", SendMessageParamsSchema, { message: { ...msg, parts: [] } }, "params.message.parts", /at least 1 element/],
  ["parts not an array", MessageSchema, { ...msg, parts: { text: "x" } }, "parts", /must be an array \(got object\)/],
  ["missing role", MessageSchema, { ...msg, role: undefined }, "role", /is required/],
  ["unknown role", MessageSchema, { ...msg, role: "ROLE_SYSTEM" }, "role", /must be one of "ROLE_USER", "ROLE_AGENT"/],
  ["text is a number", MessageSchema, { ...msg, parts: [{ text: 42 }] }, "parts[0].text", /must be a string \(got number\)/],
  ["part without content", MessageSchema, { ...msg, parts: [{ mediaType: "text/plain" }] }, "parts[0]", /exactly one of text, raw, url, data$/],
  ["part with two contents", PartSchema, { text: "a", url: "https://x.test" }, "", /\(got text, url\)/],
  ["raw not base64", PartSchema, { raw: "not base64!" }, "raw", /must be base64/],
  ["url not absolute", PartSchema, { url: "/relative" }, "url", /absolute URL/],
  ["metadata not an object", MessageSchema, { ...msg, metadata: [1] }, "metadata", /must be a record/],
  ["message is null", SendMessageParamsSchema, { message: null }, "params.message", /must be an object \(got null\)/],
  // Task model
  ["unknown state", TaskSchema, { ...task, status: { state: "done" } }, "status.state", /must be one of "TASK_STATE_UNSPECIFIED"/],
  ["state with wrong case", TaskSchema, { ...task, status: { state: "Completed" } }, "status.state", /got "Completed"/],
  ["missing status", TaskSchema, { id: "t1" }, "status", /is required/],
  ["bad timestamp", TaskSchema, { ...task, status: { state: "working", timestamp: "yesterday" } }, "status.timestamp", /ISO 8601/],
  ["timestamp not UTC", TaskSchema, { ...task, status: { state: "working", timestamp: "2025-01-01T10:00:00+02:00" } }, "status.timestamp", /ISO 8601 UTC/],
  ["artifact with no parts", TaskSchema, { ...task, artifacts: [{ artifactId: "a", parts: [] }] }, "artifacts[0].parts", /at least 1 element/],
  ["history entry invalid", TaskSchema, { ...task, history: [msg, { ...msg, role: 1 }] }, "history[1].role", /must be one of/],
  ["status update without contextId", TaskStatusUpdateEventSchema, { taskId: "t", status: { state: "working" } }, "contextId", /is required/],
  ["stream response with two payloads", StreamResponseSchema, { task, message: msg }, "", /exactly one of task, message, statusUpdate, artifactUpdate \(got task, message\)/],
  ["stream response empty", StreamResponseSchema, {}, "", /exactly one of/],
  ["send result with statusUpdate", SendMessageResultSchema, { statusUpdate: {} }, "", /exactly one of task, message$/],
  // 0.3 vs 1.0 mix-ups
  ["message tagged kind task", MessageSchema, { ...msg, kind: "task" }, "kind", /must be "message" here \(got "task"\)/],
  ["task tagged kind message", TaskSchema, { ...task, kind: "message" }, "kind", /must be "task" here/],
  ["part with text and file", MessageSchema, { ...msg, parts: [{ text: "a", file: { uri: "https://x.test/f" } }] }, "parts[0]", /both file and text/],
  ["file with bytes and uri", PartSchema, { kind: "file", file: { bytes: "aGk=", uri: "https://x.test" } }, "file", /exactly one of bytes, uri/],
  ["kind text on a data part", PartSchema, { kind: "text", data: { a: 1 } }, "kind", /"text" but the part carries data/],
  ["unknown part kind", PartSchema, { kind: "image", text: "x" }, "kind", /must be "text" or "file" or "data"/],
  ["kind on a 1.0 wrapper", StreamResponseSchema, { kind: "task", task }, "kind", /must not be set on a 1.0 wrapper/],
  ["0.3 stream event of unknown kind", StreamResponseSchema, { kind: "progress" }, "kind", /must be one of "task", "message", "status-update", "artifact-update"/],
  ["0.3 status-update as send result", SendMessageResultSchema, { kind: "status-update" }, "kind", /must be one of "task", "message"/],
  // Operations
  ["GetTask without id", OPERATION_PARAMS.GetTask, {}, "params.id", /is required/],
  ["historyLength negative", OPERATION_PARAMS.GetTask, { id: "t", historyLength: -1 }, "params.historyLength", />= 0/],
  ["historyLength fractional", OPERATION_PARAMS.GetTask, { id: "t", historyLength: 1.5 }, "params.historyLength", /integer/],
  ["pageSize above 100", OPERATION_PARAMS.ListTasks, { pageSize: 101 }, "params.pageSize", /<= 100/],
  ["pageSize zero", OPERATION_PARAMS.ListTasks, { pageSize: 0 }, "params.pageSize", />= 1/],
  ["ListTasks unknown status", OPERATION_PARAMS.ListTasks, { status: "finished" }, "params.status", /must be one of/],
  ["push config without url", OPERATION_PARAMS.CreateTaskPushNotificationConfig, { taskId: "t" }, "params.url", /is required/],
  ["push config without taskId", OPERATION_PARAMS.CreateTaskPushNotificationConfig, { url: "https://x.test/h" }, "params.taskId", /is required/],
  ["push auth without scheme", OPERATION_PARAMS.CreateTaskPushNotificationConfig, { taskId: "t", url: "https://x.test/h", authentication: {} }, "params.authentication.scheme", /is required/],
  ["Get push config without id", OPERATION_PARAMS.GetTaskPushNotificationConfig, { taskId: "t" }, "params.id", /is required/],
  // Agent card
  ["card with no interfaces", AgentCardSchema, { ...sampleAgentCard, supportedInterfaces: [] }, "supportedInterfaces", /at least 1 element/],
  ["skill without tags", AgentCardSchema, { ...sampleAgentCard, skills: [{ id: "s", name: "S", description: "d", tags: [] }] }, "skills[0].tags", /at least 1 element/],
  ["security scheme with two kinds", AgentCardSchema, { ...sampleAgentCard, securitySchemes: { x: { mtlsSecurityScheme: {}, httpAuthSecurityScheme: { scheme: "Bearer" } } } }, "securitySchemes.x", /exactly one of/],
  // JSON-RPC envelope
  ["jsonrpc 1.0", JsonRpcRequestSchema, { jsonrpc: "1.0", id: 1, method: "GetTask" }, "jsonrpc", /must be "2.0"/],
  ["method missing", JsonRpcRequestSchema, { jsonrpc: "2.0", id: 1 }, "method", /is required/],
  ["id is an object", JsonRpcRequestSchema, { jsonrpc: "2.0", id: {}, method: "GetTask" }, "id", /must be a string, a number or null \(got object\)/],
  ["params is a string", JsonRpcRequestSchema, { jsonrpc: "2.0", id: 1, method: "GetTask", params: "x" }, "params", /must be an object/],
  ["response with result and error", JsonRpcResponseSchema, { jsonrpc: "2.0", id: 1, result: {}, error: { code: 1, message: "x" } }, "", /both result and error/],
  ["error without code", JsonRpcResponseSchema, { jsonrpc: "2.0", id: 1, error: { message: "x" } }, "error.code", /is required/],
  // Seed formats
  ["task request without operation", TaskRequestSchema, { id: "r" }, "operation", /is required/],
  ["task request message without parts", TaskRequestSchema, { id: "r", operation: "x", params: { message: { role: "user", content: { parts: [] } } } }, "params.message.content.parts", /at least 1 element/],
  ["task request with bad role", TaskRequestSchema, { id: "r", operation: "x", params: { message: { role: "robot", content: { parts: [{ text: "a" }] } } } }, "params.message.role", /must be one of/],
  ["task result with 1.0 state", TaskResultSchema, { id: "r", status: "TASK_STATE_COMPLETED" }, "status", /must be one of "submitted"/],
];

const PARAMS_SCHEMAS = new Set<unknown>([SendMessageParamsSchema, ...Object.values(OPERATION_PARAMS)]);

describe("invalid inputs fail with the right path", () => {
  test.for(cases)("%s", ([_name, schema, value, path, message]) => {
    const r = parseWire(schema, value, { root: PARAMS_SCHEMAS.has(schema) ? "params" : "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.error.issues.find((i) => i.path === path);
    expect(issue, `issues were: ${r.error.message}`).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(r.error.message).toContain(path ? `${path}: ${issue!.message}` : issue!.message);
  });
});

describe("WireValidationError", () => {
  test("reads as a sentence and never dumps zod internals", () => {
    const r = parseWire(MessageSchema, { role: "x", parts: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(Error);
    expect(r.error.name).toBe("WireValidationError");
    expect(r.error.message).toBe('messageId: is required; role: must be one of "ROLE_USER", "ROLE_AGENT" (got "x"); parts: must contain at least 1 element');
    expect(r.error.message).not.toMatch(/invalid_type|\[\{|code/);
  });

  test("bounds the message for hostile input with many issues", () => {
    const parts = Array.from({ length: 500 }, () => ({ text: 1 }));
    const r = parseWire(MessageSchema, { messageId: "m", role: "ROLE_USER", parts });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues).toHaveLength(500);
    expect(r.error.message).toMatch(/; and 490 more$/);
    expect(r.error.message.length).toBeLessThan(1000);
  });

  test("a hostile path segment is quoted, not interpreted", () => {
    const r = parseWire(TaskSchema, { ...task, metadata: "x" }, { root: "params" });
    expect(!r.ok && r.error.issues[0]?.path).toBe("params.metadata");
  });
});
