/**
 * Span and metric attribute names: the OpenTelemetry semantic conventions for RPC
 * (JSON-RPC) and messaging where they apply, `a2a.*` for what only A2A has.
 */
export const ATTR = {
  rpcSystem: "rpc.system",
  rpcService: "rpc.service",
  rpcMethod: "rpc.method",
  jsonRpcVersion: "rpc.jsonrpc.version",
  jsonRpcRequestId: "rpc.jsonrpc.request_id",
  jsonRpcErrorCode: "rpc.jsonrpc.error_code",
  jsonRpcErrorMessage: "rpc.jsonrpc.error_message",
  messagingSystem: "messaging.system",
  messagingDestination: "messaging.destination.name",
  messagingOperation: "messaging.operation.type",
  messagingClientId: "messaging.client.id",
  errorType: "error.type",
  agentId: "a2a.agent.id",
  taskId: "a2a.task.id",
  taskState: "a2a.task.state",
  skillId: "a2a.skill.id",
  pushConfigId: "a2a.push.config.id",
  pushTarget: "a2a.push.target",
  outcome: "a2a.outcome",
} as const;

/** `rpc.system` of every A2A call over MQTT: the payloads are JSON-RPC 2.0. */
export const RPC_SYSTEM = "jsonrpc";
/** `messaging.system`: not (yet) a well-known value of the conventions, named as they advise. */
export const MESSAGING_SYSTEM = "mqtt";
/** Name and version of the instrumentation scope (tracer and meter). */
export const SCOPE_NAME = "@a2a/agent";
