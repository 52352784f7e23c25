import assert from "node:assert/strict";
import {
  JsonRpcRequestSchema,
  OPERATION_PARAMS,
  TaskRequestSchema,
  errorResponse,
  normalizeMethod,
  parseWire,
  successResponse,
  taskRequestToSendMessageParams,
  taskToTaskResult,
  type Task,
  A2AProtocolError,
} from "@a2a/schema";

// 1. An untrusted JSON-RPC request arrives (here in the 0.3 spelling).
const raw: unknown = JSON.parse(`{
  "jsonrpc": "2.0", "id": 1, "method": "message/send",
  "params": { "message": { "kind": "message", "messageId": "m-1", "role": "user",
                           "parts": [ { "kind": "text", "text": "hello" } ] } }
}`);

const request = parseWire(JsonRpcRequestSchema, raw);
assert.ok(request.ok);
const method = normalizeMethod(request.value.method);
if (method === undefined) throw new Error(JSON.stringify(errorResponse(1, A2AProtocolError.methodNotFound(request.value.method))));

// 2. Its params are checked and normalised to A2A 1.0 in one step.
const params = parseWire(OPERATION_PARAMS[method], request.value.params ?? {}, { root: "params" });
assert.ok(params.ok);
assert.deepEqual(params.value, {
  message: { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "hello" }] },
});

// 3. Bad input becomes a precise JSON-RPC error (-32602) naming the field.
const bad = parseWire(OPERATION_PARAMS.SendMessage, { message: { messageId: "m-2", role: "ROLE_USER", parts: [] } }, { root: "params" });
assert.ok(!bad.ok);
const reply = errorResponse(2, A2AProtocolError.invalidParams(bad.error.message, bad.error.issues));
assert.equal(reply.error.message, "Invalid parameters: params.message.parts: must contain at least 1 element");

// 4. The seed's compact Task Request runs as a SendMessage; the task becomes a Task Result.
const seed = parseWire(TaskRequestSchema, {
  id: "req-123",
  taskId: "task-abc-789",
  operation: "inventory-check",
  params: { message: { role: "user", content: { parts: [{ data: { product_id: "WIDGET-A" } }] } } },
});
assert.ok(seed.ok);
const send = taskRequestToSendMessageParams(seed.value);
assert.equal(send.message.metadata?.["skillId"], "inventory-check");

const done: Task = {
  id: "t-1",
  contextId: "c-1",
  status: { state: "TASK_STATE_COMPLETED" },
  artifacts: [{ artifactId: "a-1", parts: [{ data: { stock: 500 } }] }],
};
assert.deepEqual(taskToTaskResult(done, seed.value), {
  id: "req-123",
  taskId: "task-abc-789",
  status: "completed",
  result: { status: "completed", result: { stock: 500 } },
  contextId: "c-1",
});
console.log(JSON.stringify(successResponse(1, { task: done })));
