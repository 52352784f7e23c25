import { describe, expect, test } from "vitest";
import {
  AgentCardSchema,
  MessageSchema,
  OPERATION_PARAMS,
  OPERATION_RESULTS,
  PartSchema,
  SendMessageResultSchema,
  StreamResponseSchema,
  TaskSchema,
  TaskStateSchema,
  parseWireOrThrow,
} from "@a2a/schema";

describe("A2A 0.3 input is normalised to 1.0", () => {
  test.each([
    ["submitted", "TASK_STATE_SUBMITTED"],
    ["working", "TASK_STATE_WORKING"],
    ["completed", "TASK_STATE_COMPLETED"],
    ["failed", "TASK_STATE_FAILED"],
    ["canceled", "TASK_STATE_CANCELED"],
    ["input-required", "TASK_STATE_INPUT_REQUIRED"],
    ["rejected", "TASK_STATE_REJECTED"],
    ["auth-required", "TASK_STATE_AUTH_REQUIRED"],
    ["unknown", "TASK_STATE_UNSPECIFIED"],
    ["TASK_STATE_WORKING", "TASK_STATE_WORKING"],
  ])("state %s → %s", (input, output) => {
    expect(parseWireOrThrow(TaskStateSchema, input)).toBe(output);
  });

  test.each([
    [{ kind: "text", text: "hi", metadata: { a: 1 } }, { text: "hi", metadata: { a: 1 } }],
    [{ kind: "data", data: [1, "x"] }, { data: [1, "x"] }],
    [
      { kind: "file", file: { bytes: "aGVsbG8=", name: "h.txt", mimeType: "text/plain" } },
      { raw: "aGVsbG8=", filename: "h.txt", mediaType: "text/plain" },
    ],
    [{ kind: "file", file: { uri: "https://x.test/a.pdf" } }, { url: "https://x.test/a.pdf" }],
    // The 0.3 proto JSON spelling, as in the spec's migration appendix.
    [{ kind: "file", file: { name: "d.png", mimeType: "image/png", fileWithBytes: "iVBORw0KGgo=" } }, { raw: "iVBORw0KGgo=", filename: "d.png", mediaType: "image/png" }],
  ])("part %j", (input, output) => {
    expect(parseWireOrThrow(PartSchema, input)).toEqual(output);
  });

  test("a 0.3 task with history, artifacts and status message", () => {
    const v03 = {
      kind: "task",
      id: "t1",
      contextId: "c1",
      status: {
        state: "input-required",
        message: { kind: "message", messageId: "m2", role: "agent", parts: [{ kind: "text", text: "Which size?" }] },
        timestamp: "2025-01-01T00:00:00Z",
      },
      history: [{ kind: "message", messageId: "m1", role: "user", parts: [{ kind: "text", text: "Buy shoes" }] }],
      artifacts: [{ artifactId: "a1", parts: [{ kind: "data", data: { n: 1 } }] }],
    };
    expect(parseWireOrThrow(TaskSchema, v03)).toEqual({
      id: "t1",
      contextId: "c1",
      status: {
        state: "TASK_STATE_INPUT_REQUIRED",
        message: { messageId: "m2", role: "ROLE_AGENT", parts: [{ text: "Which size?" }] },
        timestamp: "2025-01-01T00:00:00Z",
      },
      history: [{ messageId: "m1", role: "ROLE_USER", parts: [{ text: "Buy shoes" }] }],
      artifacts: [{ artifactId: "a1", parts: [{ data: { n: 1 } }] }],
    });
  });

  test("0.3 stream events (bare, tagged by kind, status-update with final) are wrapped", () => {
    const status = { kind: "status-update", taskId: "t", contextId: "c", status: { state: "completed" }, final: true };
    expect(parseWireOrThrow(StreamResponseSchema, status)).toEqual({
      statusUpdate: { taskId: "t", contextId: "c", status: { state: "TASK_STATE_COMPLETED" } },
    });
    const artifact = {
      kind: "artifact-update",
      taskId: "t",
      contextId: "c",
      artifact: { artifactId: "a", parts: [{ kind: "text", text: "x" }] },
      append: true,
      lastChunk: false,
    };
    expect(parseWireOrThrow(StreamResponseSchema, artifact)).toEqual({
      artifactUpdate: { taskId: "t", contextId: "c", artifact: { artifactId: "a", parts: [{ text: "x" }] }, append: true, lastChunk: false },
    });
    const message = { kind: "message", messageId: "m", role: "agent", parts: [{ kind: "text", text: "x" }] };
    expect(parseWireOrThrow(SendMessageResultSchema, message)).toEqual({
      message: { messageId: "m", role: "ROLE_AGENT", parts: [{ text: "x" }] },
    });
  });

  test("0.3 message/send params: blocking and pushNotificationConfig", () => {
    const params = {
      message: { kind: "message", messageId: "m", role: "user", parts: [{ kind: "text", text: "x" }] },
      configuration: {
        blocking: false,
        acceptedOutputModes: ["text/plain"],
        pushNotificationConfig: { url: "https://h.test/hook", authentication: { schemes: ["Bearer"], credentials: "s" } },
      },
    };
    expect(parseWireOrThrow(OPERATION_PARAMS.SendMessage, params)).toEqual({
      message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "x" }] },
      configuration: {
        returnImmediately: true,
        acceptedOutputModes: ["text/plain"],
        taskPushNotificationConfig: { url: "https://h.test/hook", authentication: { scheme: "Bearer", credentials: "s" } },
      },
    });
  });

  test("0.3 push notification config operations", () => {
    const set = { taskId: "t", pushNotificationConfig: { id: "p", url: "https://h.test/hook", token: "tok" } };
    expect(parseWireOrThrow(OPERATION_PARAMS.CreateTaskPushNotificationConfig, set)).toEqual({
      taskId: "t",
      id: "p",
      url: "https://h.test/hook",
      token: "tok",
    });
    expect(parseWireOrThrow(OPERATION_PARAMS.GetTaskPushNotificationConfig, { id: "t", pushNotificationConfigId: "p" })).toEqual({ taskId: "t", id: "p" });
    // 0.3 used the task id as the default config id.
    expect(parseWireOrThrow(OPERATION_PARAMS.GetTaskPushNotificationConfig, { id: "t" })).toEqual({ taskId: "t", id: "t" });
    expect(parseWireOrThrow(OPERATION_PARAMS.DeleteTaskPushNotificationConfig, { id: "t", pushNotificationConfigId: "p" })).toEqual({ taskId: "t", id: "p" });
    expect(parseWireOrThrow(OPERATION_PARAMS.ListTaskPushNotificationConfigs, { id: "t" })).toEqual({ taskId: "t" });
    expect(
      parseWireOrThrow(OPERATION_RESULTS.ListTaskPushNotificationConfigs, [{ taskId: "t", pushNotificationConfig: { id: "p", url: "https://h.test/x" } }]),
    ).toEqual({ configs: [{ taskId: "t", id: "p", url: "https://h.test/x" }], nextPageToken: "" });
  });

  test("a 0.3 agent card", () => {
    const v03 = {
      protocolVersion: "0.3.0",
      name: "Old Agent",
      description: "d",
      url: "https://old.test/a2a",
      preferredTransport: "JSONRPC",
      additionalInterfaces: [
        { url: "https://old.test/a2a", transport: "JSONRPC" },
        { url: "https://old.test/grpc", transport: "GRPC" },
      ],
      version: "1",
      capabilities: { streaming: true, stateTransitionHistory: false },
      supportsAuthenticatedExtendedCard: true,
      securitySchemes: {
        key: { type: "apiKey", in: "header", name: "X-Key" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        mtls: { type: "mutualTLS" },
      },
      security: [{ bearer: [] }],
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [{ id: "s", name: "S", description: "d", tags: ["t"], security: [{ key: ["read"] }] }],
    };
    expect(parseWireOrThrow(AgentCardSchema, v03)).toEqual({
      protocolVersion: "0.3.0",
      name: "Old Agent",
      description: "d",
      url: "https://old.test/a2a",
      preferredTransport: "JSONRPC",
      supportedInterfaces: [
        { url: "https://old.test/a2a", protocolBinding: "JSONRPC", protocolVersion: "0.3.0" },
        { url: "https://old.test/grpc", protocolBinding: "GRPC", protocolVersion: "0.3.0" },
      ],
      version: "1",
      capabilities: { streaming: true, extendedAgentCard: true },
      securitySchemes: {
        key: { apiKeySecurityScheme: { location: "header", name: "X-Key" } },
        bearer: { httpAuthSecurityScheme: { scheme: "bearer", bearerFormat: "JWT" } },
        mtls: { mtlsSecurityScheme: {} },
      },
      securityRequirements: [{ schemes: { bearer: { list: [] } } }],
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [{ id: "s", name: "S", description: "d", tags: ["t"], securityRequirements: [{ schemes: { key: { list: ["read"] } } }] }],
    });
  });

  test("unknown 0.3-looking values are rejected, not guessed", () => {
    expect(() => parseWireOrThrow(TaskStateSchema, "cancelled")).toThrow(/got "cancelled"/);
    expect(() => parseWireOrThrow(MessageSchema, { messageId: "m", role: "assistant", parts: [{ text: "x" }] })).toThrow(/^role: /);
  });
});
