/** Structural JSON-RPC 2.0 types as they travel in this binding. */

/** A JSON-RPC id. A reply echoes it exactly, including `0` and `""`. */
export type JsonRpcId = string | number | null;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** A request whose envelope has been checked (`jsonrpc` is "2.0", `method` a string). */
export interface JsonRpcRequest {
  jsonrpc: "2.0";
  /** Absent on a notification (which is executed but never answered). */
  id?: JsonRpcId;
  method: string;
  /** Untrusted; validate against the method's params schema. */
  params?: unknown;
}

export interface JsonRpcSuccess {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result: unknown;
}

export interface JsonRpcFailure {
  jsonrpc: "2.0";
  id: JsonRpcId;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;

export function jsonRpcResult(id: JsonRpcId, result: unknown): JsonRpcSuccess {
  return { jsonrpc: "2.0", id, result };
}

/**
 * The text of a success response whose result is already JSON text (a remembered reply
 * answered again): the same text as `JSON.stringify(jsonRpcResult(id, JSON.parse(resultJson)))`.
 */
export function jsonRpcResultText(id: JsonRpcId, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

export function jsonRpcError(id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcFailure {
  return { jsonrpc: "2.0", id, error };
}

/** True for the value kinds JSON-RPC allows as an id. */
export function isJsonRpcId(value: unknown): value is JsonRpcId {
  return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}
