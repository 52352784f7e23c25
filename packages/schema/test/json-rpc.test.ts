import { describe, expect, test } from "vitest";
import {
  A2AErrorCode,
  A2A_METHODS,
  JsonRpcErrorObjectSchema,
  JsonRpcResponseSchema,
  OPERATION_PARAMS,
  OPERATION_RESULTS,
  errorResponse,
  isStreamingMethod,
  normalizeMethod,
  parseWire,
  parseWireOrThrow,
  successResponse,
  MessageSchema,
  WireValidationError,
  A2AProtocolError,
  isInterruptedState,
  isTerminalState,
} from "@a2a/schema";

describe("methods", () => {
  test("eleven 1.0 methods, each with params and result schemas", () => {
    expect(A2A_METHODS).toHaveLength(11);
    for (const m of A2A_METHODS) {
      expect(normalizeMethod(m)).toBe(m);
      expect(OPERATION_PARAMS[m]).toBeDefined();
      expect(OPERATION_RESULTS[m]).toBeDefined();
    }
  });

  test.each([
    ["message/send", "SendMessage"],
    ["message/stream", "SendStreamingMessage"],
    ["tasks/get", "GetTask"],
    ["tasks/cancel", "CancelTask"],
    ["tasks/resubscribe", "SubscribeToTask"],
    ["tasks/pushNotificationConfig/set", "CreateTaskPushNotificationConfig"],
    ["tasks/pushNotificationConfig/get", "GetTaskPushNotificationConfig"],
    ["tasks/pushNotificationConfig/list", "ListTaskPushNotificationConfigs"],
    ["tasks/pushNotificationConfig/delete", "DeleteTaskPushNotificationConfig"],
    ["agent/getAuthenticatedExtendedCard", "GetExtendedAgentCard"],
  ])("0.3 alias %s → %s", (alias, method) => {
    expect(normalizeMethod(alias)).toBe(method);
  });

  test("unknown names, including Object prototype keys, are not methods", () => {
    for (const name of ["sendMessage", "", "constructor", "toString", "__proto__", "tasks/list"]) expect(normalizeMethod(name)).toBeUndefined();
  });

  test("streaming methods", () => {
    expect(A2A_METHODS.filter(isStreamingMethod)).toEqual(["SendStreamingMessage", "SubscribeToTask"]);
  });
});

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

describe("error constructors", () => {
  test.each([
    [A2AProtocolError.parseError(), -32700, "Invalid JSON payload"],
    [A2AProtocolError.parseError("Unexpected token"), -32700, "Invalid JSON payload: Unexpected token"],
    [A2AProtocolError.invalidRequest(), -32600, "Request payload validation error"],
    [A2AProtocolError.methodNotFound("Foo"), -32601, "Method not found: Foo"],
    [A2AProtocolError.internalError(), -32603, "Internal error"],
  ])("JSON-RPC error %#", (error, code, message) => {
    expect(error.toJSON()).toEqual({ code, message });
    expect(parseWireOrThrow(JsonRpcErrorObjectSchema, error.toJSON())).toEqual(error.toJSON());
  });

  test.for<[A2AProtocolError, number, string, Record<string, string> | undefined]>([
    [A2AProtocolError.taskNotFound("t1"), A2AErrorCode.TaskNotFound, "TASK_NOT_FOUND", { taskId: "t1" }],
    [A2AProtocolError.taskNotCancelable("t1", "TASK_STATE_COMPLETED"), -32002, "TASK_NOT_CANCELABLE", { taskId: "t1", state: "TASK_STATE_COMPLETED" }],
    [A2AProtocolError.pushNotificationNotSupported(), -32003, "PUSH_NOTIFICATION_NOT_SUPPORTED", undefined],
    [A2AProtocolError.unsupportedOperation("task t1 is completed"), -32004, "UNSUPPORTED_OPERATION", undefined],
    [A2AProtocolError.contentTypeNotSupported("image/gif"), -32005, "CONTENT_TYPE_NOT_SUPPORTED", undefined],
    [A2AProtocolError.invalidAgentResponse("no task"), -32006, "INVALID_AGENT_RESPONSE", undefined],
    [A2AProtocolError.extendedAgentCardNotConfigured(), -32007, "EXTENDED_AGENT_CARD_NOT_CONFIGURED", undefined],
    [A2AProtocolError.extensionSupportRequired(["urn:a", "urn:b"]), -32008, "EXTENSION_SUPPORT_REQUIRED", { extensions: "urn:a,urn:b" }],
    [A2AProtocolError.versionNotSupported("2.0"), -32009, "VERSION_NOT_SUPPORTED", { version: "2.0" }],
  ])("A2A error %#", ([error, code, reason, metadata]) => {
    expect(error.code).toBe(code);
    const info: Record<string, unknown> = { "@type": ERROR_INFO, reason, domain: "a2a-protocol.org" };
    if (metadata) info["metadata"] = metadata;
    expect(error.data).toEqual([info]);
    expect(error.message.length).toBeGreaterThan(0);
    expect(parseWireOrThrow(JsonRpcErrorObjectSchema, error.toJSON())).toEqual(error.toJSON());
  });

  test("invalidParams carries the issues as a google.rpc.BadRequest", () => {
    const r = parseWire(MessageSchema, { messageId: "m", role: "ROLE_USER", parts: [] }, { root: "params.message" });
    expect(r.ok).toBe(false);
    const err = r.ok ? undefined : r.error;
    expect(err).toBeInstanceOf(WireValidationError);
    const error = A2AProtocolError.invalidParams(err!.message, err!.issues);
    expect(error).toBeInstanceOf(A2AProtocolError);
    expect(error.toJSON()).toEqual({
      code: -32602,
      message: "Invalid parameters: params.message.parts: must contain at least 1 element",
      data: [
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [{ field: "params.message.parts", description: "must contain at least 1 element" }],
        },
      ],
    });
  });

  test("a received error keeps exactly its data; reason reads the ErrorInfo", () => {
    const received = A2AProtocolError.fromJsonRpc({ code: -32001, message: "gone" });
    expect(received.data).toBeUndefined();
    expect(received.reason).toBeUndefined();
    expect(A2AProtocolError.taskNotFound("t").reason).toBe("TASK_NOT_FOUND");
    expect(JSON.parse(JSON.stringify({ error: A2AProtocolError.methodNotFound("X") }))).toEqual({ error: { code: -32601, message: "Method not found: X" } });
  });

  test("isTerminalState and isInterruptedState read either spelling and reject other values", () => {
    expect([isTerminalState("TASK_STATE_COMPLETED"), isTerminalState("canceled"), isTerminalState("TASK_STATE_WORKING"), isTerminalState(3)]).toEqual([true, true, false, false]);
    expect([isInterruptedState("input-required"), isInterruptedState("TASK_STATE_AUTH_REQUIRED"), isInterruptedState("completed")]).toEqual([true, true, false]);
  });

  test("response builders keep the id whatever its value", () => {
    for (const id of [0, "", "x", 7, null]) {
      const ok = successResponse(id, { task: { id: "t" } });
      expect(ok).toEqual({ jsonrpc: "2.0", id, result: { task: { id: "t" } } });
      expect(parseWireOrThrow(JsonRpcResponseSchema, ok)).toEqual(ok);
      const err = errorResponse(id, A2AProtocolError.taskNotFound("t"));
      expect(parseWireOrThrow(JsonRpcResponseSchema, err)).toEqual(err);
    }
    // A null result (an empty answer) is a result, not a missing one.
    expect(parseWire(JsonRpcResponseSchema, { jsonrpc: "2.0", id: 1, result: null }).ok).toBe(true);
    expect(parseWire(JsonRpcResponseSchema, { jsonrpc: "2.0", id: 1 }).ok).toBe(false);
  });
});
