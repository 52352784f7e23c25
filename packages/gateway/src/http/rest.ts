import type { Context } from "hono";
import type { RawReply } from "@a2a/client";
import { A2AErrorCode } from "@a2a/schema";
import { fromClientError, restError } from "./errors.js";
import type { AgentTarget } from "./jsonrpc.js";
import { serviceParamsOf } from "./service-params.js";
import { relaySse } from "./sse.js";

/**
 * The HTTP+JSON binding (spec section 11) for one agent: each route becomes its A2A
 * method with params built from the path, query and body, sent on the gateway's MQTT
 * connection; results are the response bodies, errors the section 11.6 statuses with a
 * `google.rpc.Status` body, streams Server-Sent Events of StreamResponse objects.
 */

/** One REST operation resolved from the route. */
export interface RestCall {
  method: string;
  params: Record<string, unknown>;
  streaming?: boolean;
  /** Status of a successful answer. @default 200 */
  okStatus?: 200 | 201 | 204;
}

/** Query members that are numbers or booleans in the params. */
const NUMBER_QUERY = new Set(["pageSize", "historyLength"]);
const BOOLEAN_QUERY = new Set(["includeArtifacts"]);

/** ListTasks / GetTask query parameters as params (numbers and booleans converted when they are well-formed). */
export function queryParams(c: Context, allowed: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of allowed) {
    const value = c.req.query(name);
    if (value === undefined) continue;
    if (NUMBER_QUERY.has(name) && /^\d{1,9}$/.test(value)) params[name] = Number(value);
    else if (BOOLEAN_QUERY.has(name) && (value === "true" || value === "false")) params[name] = value === "true";
    else params[name] = value;
  }
  return params;
}

/** Reads a JSON object body; undefined (and a 400 is due) when it is not one. */
export async function jsonObjectBody(c: Context, body: string): Promise<Record<string, unknown> | undefined> {
  if (body.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function badBody(c: Context): Response {
  const { status, body } = restError({ code: A2AErrorCode.InvalidRequest, message: "The request body must be a JSON object" });
  return c.json(body, status as 400);
}

export async function serveRest(c: Context, { agentId, settings }: AgentTarget, call: RestCall): Promise<Response> {
  const serviceParams = serviceParamsOf((name) => c.req.header(name));
  if (typeof serviceParams === "string") {
    const { status, body } = restError({ code: A2AErrorCode.InvalidRequest, message: serviceParams });
    return c.json(body, status as 400);
  }
  const options = { serviceParams, timeoutMs: settings.timeoutMs };
  if (call.streaming === true) {
    return relaySse(c, settings.raw.stream({ agentId, method: call.method, params: call.params, options }), {
      frame: (reply) => ("error" in reply ? { event: "error", data: JSON.stringify(restError(reply.error).body) } : { data: JSON.stringify(reply.result) }),
      failure: (error) => ({ event: "error", data: JSON.stringify(restError(error.rpc, error.status).body) }),
      early: (error) => {
        const { status, body } = restError(error.rpc, error.status);
        return c.json(body, status as 500);
      },
    });
  }
  let reply: RawReply;
  try {
    reply = await settings.raw.call({ agentId, method: call.method, params: call.params, options });
  } catch (error) {
    const failure = fromClientError(error);
    const { status, body } = restError(failure.rpc, failure.status);
    return c.json(body, status as 500);
  }
  if ("error" in reply) {
    const { status, body } = restError(reply.error);
    return c.json(body, status as 400);
  }
  const ok = call.okStatus ?? 200;
  if (ok === 204) return c.body(null, 204);
  return c.json(reply.result ?? {}, ok);
}
