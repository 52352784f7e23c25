import type { Context } from "hono";
import { A2AErrorCode } from "@a2a/schema";
import type { JsonRpcErrorObject, JsonRpcId } from "@a2a/transport/binding";
import { fromClientError, invalidRequest } from "./errors.js";
import { serviceParamsOf } from "./service-params.js";
import { relaySse } from "./sse.js";
import type { RawReply } from "@a2a/client";
import type { Requests } from "./task-owners.js";

/** Methods answered with a stream, in their 1.0 and 0.3 names. */
const STREAMING_METHODS = new Set(["SendStreamingMessage", "SubscribeToTask", "message/stream", "tasks/resubscribe"]);

export interface CallSettings {
  raw: Requests;
  timeoutMs: number;
}

/** The agent an HTTP request is for, and how to call it. */
export interface AgentTarget {
  agentId: string;
  settings: CallSettings;
}

/**
 * The JSON-RPC binding (spec section 9) for one agent: the request is checked as a
 * JSON-RPC 2.0 envelope and forwarded as it came (method, params, version and
 * extension headers) under a fresh id on the gateway's MQTT connection; the agent's
 * answer comes back under the caller's id, so whatever version the agent answers in
 * reaches the caller unchanged.
 */
export async function serveJsonRpc(c: Context, { agentId, settings }: AgentTarget, body: string): Promise<Response> {
  const envelope = parseEnvelope(body);
  if (envelope.kind === "notification") return c.body(null, 204); // a notification: JSON-RPC answers nothing
  if (envelope.kind === "error") return answer(c, envelope.id, envelope.error);
  const { id, method, params } = envelope;
  const serviceParams = serviceParamsOf((name) => c.req.header(name));
  if (typeof serviceParams === "string") return answer(c, id, { rpc: invalidRequest(serviceParams), status: 400 });
  const options = { serviceParams, timeoutMs: settings.timeoutMs };
  if (STREAMING_METHODS.has(method)) {
    return relaySse(c, settings.raw.stream({ agentId, method, params, options }), {
      frame: (reply) => ({ data: JSON.stringify({ jsonrpc: "2.0", id, ...reply }) }),
      failure: (error) => ({ data: JSON.stringify({ jsonrpc: "2.0", id, error: error.rpc }) }),
      early: (error) => answer(c, id, error),
    });
  }
  const { status, body: reply } = await unaryCall(() => settings.raw.call({ agentId, method, params, options }), id);
  return c.json(reply, status as 200);
}

/** A JSON-RPC request body, checked as a JSON-RPC 2.0 envelope (not its params). */
type Envelope =
  | { kind: "call"; id: JsonRpcId; method: string; params: unknown }
  | { kind: "notification" }
  | { kind: "error"; id: JsonRpcId; error: JsonRpcErrorObject };

function parseEnvelope(body: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { kind: "error", id: null, error: { code: A2AErrorCode.ParseError, message: "Invalid JSON payload: the request body is not JSON" } };
  }
  if (Array.isArray(value)) return { kind: "error", id: null, error: invalidRequest("Batch requests are not supported; send one JSON-RPC request per HTTP request") };
  if (typeof value !== "object" || value === null) return { kind: "error", id: null, error: invalidRequest("The request must be a JSON-RPC 2.0 request object") };
  const request = value as Record<string, unknown>;
  const rawId = request.id;
  const idValid = rawId === null || typeof rawId === "string" || (typeof rawId === "number" && Number.isFinite(rawId));
  const id: JsonRpcId = idValid ? rawId : null;
  if (request.jsonrpc !== "2.0") return { kind: "error", id, error: invalidRequest('Request "jsonrpc" must be "2.0"') };
  if (!("id" in request)) return { kind: "notification" };
  if (!idValid) return { kind: "error", id: null, error: invalidRequest('Request "id" must be a string, number or null') };
  const method = request.method;
  if (typeof method !== "string" || method.length === 0) return { kind: "error", id, error: invalidRequest('Request "method" must be a non-empty string') };
  return { kind: "call", id, method, params: request.params };
}


/** One unary call passed through, answered under the caller's `id`: the HTTP status and the JSON-RPC response. */
async function unaryCall(call: () => Promise<RawReply>, id: JsonRpcId): Promise<{ status: number; body: object }> {
  try {
    const reply = await call();
    return { status: 200, body: { jsonrpc: "2.0", id, ...reply } };
  } catch (error) {
    const failure = fromClientError(error);
    return { status: failure.status, body: { jsonrpc: "2.0", id, error: failure.rpc } };
  }
}

/** A JSON-RPC error response; HTTP 200 unless the failure carries its own status. */
function answer(c: Context, id: JsonRpcId, failure: JsonRpcErrorObject | { rpc: JsonRpcErrorObject; status: number }): Response {
  const { rpc, status } = "rpc" in failure ? failure : { rpc: failure, status: 200 };
  return c.json({ jsonrpc: "2.0", id, error: rpc }, status as 200);
}
