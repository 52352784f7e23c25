import { describe, expect, test } from "vitest";
import {
  MessageSchema,
  PartSchema,
  StreamResponseSchema,
  TaskSchema,
  parseWire,
  normalizeMethod,
  isTerminalState,
  taskNotFound,
  OPERATION_PARAMS,
} from "@a2a/schema";

describe("core data model", () => {
  test("a 1.0 message parses to itself", () => {
    const msg = { messageId: "m1", role: "ROLE_USER", parts: [{ text: "hi" }, { data: { a: 1 } }] };
    expect(parseWire(MessageSchema, msg)).toEqual({ ok: true, value: msg });
  });

  test("a 0.3 message is normalised to 1.0", () => {
    const r = parseWire(MessageSchema, {
      kind: "message",
      messageId: "m1",
      role: "user",
      parts: [
        { kind: "text", text: "hi" },
        { kind: "file", file: { uri: "https://x.test/a.png", name: "a.png", mimeType: "image/png" } },
      ],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        messageId: "m1",
        role: "ROLE_USER",
        parts: [{ text: "hi" }, { url: "https://x.test/a.png", filename: "a.png", mediaType: "image/png" }],
      },
    });
  });

  test("empty parts fail with a readable path", () => {
    const r = parseWire(MessageSchema, { messageId: "m1", role: "ROLE_USER", parts: [] }, { root: "params.message" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe("params.message.parts: must contain at least 1 element");
  });

  test("missing messageId", () => {
    const r = parseWire(MessageSchema, { role: "ROLE_USER", parts: [{ text: "x" }] });
    expect(r.ok || r.error.issues).toEqual([{ path: "messageId", message: "is required" }]);
  });

  test("part with two contents", () => {
    const r = parseWire(PartSchema, { text: "a", data: 1 });
    expect(r.ok || r.error.message).toBe("must have exactly one of text, raw, url, data (got text, data)");
  });

  test("stream response 0.3 bare task is wrapped", () => {
    const r = parseWire(StreamResponseSchema, { kind: "task", id: "t", contextId: "c", status: { state: "working" } });
    expect(r).toEqual({ ok: true, value: { task: { id: "t", contextId: "c", status: { state: "TASK_STATE_WORKING" } } } });
  });

  test("unknown state fails", () => {
    const r = parseWire(TaskSchema, { id: "t", status: { state: "done" } });
    expect(r.ok || r.error.issues[0]?.path).toBe("status.state");
  });

  test("helpers", () => {
    expect(normalizeMethod("message/send")).toBe("SendMessage");
    expect(normalizeMethod("nope")).toBeUndefined();
    expect(isTerminalState("TASK_STATE_COMPLETED")).toBe(true);
    expect(taskNotFound("t1").data).toEqual([
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org", metadata: { taskId: "t1" } },
    ]);
    const r = parseWire(OPERATION_PARAMS.GetTaskPushNotificationConfig, { id: "t1", pushNotificationConfigId: "c1" });
    expect(r).toEqual({ ok: true, value: { taskId: "t1", id: "c1" } });
  });
});
