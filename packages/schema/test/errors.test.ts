import { describe, expect, it } from "vitest";
import { A2AErrorCode, A2AProtocolError, errorReason, isA2AProtocolError, toJsonRpcError } from "@a2a/schema";

describe("A2AProtocolError", () => {
  it("attaches the ErrorInfo of an A2A code when no data is given", () => {
    const e = toJsonRpcError(new A2AProtocolError({ code: A2AErrorCode.TaskNotFound, message: "Task not found: t" }));
    expect(e.code).toBe(-32001);
    expect(errorReason(e)).toBe("TASK_NOT_FOUND");
    expect(e.data).toEqual([{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org" }]);
  });

  it("keeps error-shaped objects and hides other errors' messages", () => {
    expect(toJsonRpcError({ code: -32004, message: "no" }).data).toBeDefined();
    expect(toJsonRpcError(new Error("db password wrong"))).toEqual({ code: -32603, message: "Internal error" });
    expect(toJsonRpcError(new TypeError("x"), { internalMessage: "Skill failed" })).toEqual({ code: -32603, message: "Skill failed" });
  });

  it("lists field violations for invalid params and converts back from the wire", () => {
    const e = A2AProtocolError.invalidParams("bad", [{ path: "message.parts", message: "required" }]).toJSON();
    expect(e).toMatchObject({ code: -32602, message: "Invalid parameters: bad", data: [{ fieldViolations: [{ field: "message.parts", description: "required" }] }] });
    const back = A2AProtocolError.fromJsonRpc(e);
    expect(back).toBeInstanceOf(A2AProtocolError);
    expect(isA2AProtocolError(back, -32602)).toBe(true);
    expect(isA2AProtocolError(back, -32601)).toBe(false);
    expect(back.data).toEqual(e.data);
  });

  it("reads a reason from a foreign agent's data that is one object without @type", () => {
    expect(A2AProtocolError.fromJsonRpc({ code: -32001, message: "x", data: { reason: "GONE" } }).reason).toBe("GONE");
  });
});
