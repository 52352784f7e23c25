import { HEADER_EXTENSIONS, HEADER_VERSION, PROTOCOL_VERSION, type ServiceParams } from "@a2a/transport/binding";
import { A2AProtocolError, ERROR_REASONS, A2AErrorCode, type A2AMethod, type StreamResponse } from "@a2a/schema";
import { AUTHORIZATION_PARAM } from "../http/service-params.js";
import { restRequest } from "./rest-requests.js";
import type { Forwarder } from "./forwarder.js";
import { sseEvents } from "./sse-events.js";

export interface HttpForwarderOptions {
  /** The agent's JSON-RPC or HTTP+JSON URL. */
  url: string;
  binding: "JSONRPC" | "HTTP+JSON";
  /** Headers sent on every call (e.g. the exposing side's own credentials). */
  headers?: Record<string, string>;
  /** @default 60_000 */
  timeoutMs?: number;
  /** Largest response or stream event read, in bytes. @default 1_048_576 */
  maxResponseBytes?: number;
}

/** One request as it goes to the HTTP agent. */
interface ForwardedRequest {
  method: A2AMethod;
  params: unknown;
  serviceParams: ServiceParams;
  streaming: boolean;
  signal: AbortSignal;
}

const REASON_CODES = new Map(Object.entries(ERROR_REASONS).map(([code, reason]) => [reason, Number(code)]));

/**
 * Calls an HTTP A2A agent: each MQTT request becomes one HTTP request (JSON-RPC or
 * HTTP+JSON) with the request's service parameters as headers (`a2a-authorization` as
 * `Authorization`), each SSE event of a stream one stream frame.
 */
export function httpForwarder(o: HttpForwarderOptions): Forwarder {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const maxBytes = o.maxResponseBytes ?? 1024 * 1024;
  let nextId = 1;

  const headersFor = (serviceParams: ServiceParams, streaming: boolean): Record<string, string> => {
    const headers: Record<string, string> = { "content-type": "application/json", accept: streaming ? "text/event-stream" : "application/json", ...o.headers };
    headers[HEADER_VERSION] = PROTOCOL_VERSION; // the params were validated and normalised to 1.0
    const extensions = serviceParams[HEADER_EXTENSIONS];
    if (extensions !== undefined) headers[HEADER_EXTENSIONS] = extensions;
    const authorization = serviceParams[AUTHORIZATION_PARAM];
    if (authorization !== undefined) headers.authorization = authorization;
    return headers;
  };

  const send = async ({ method, params, serviceParams, streaming, signal }: ForwardedRequest): Promise<Response> => {
    const headers = headersFor(serviceParams, streaming);
    try {
      if (o.binding === "JSONRPC") {
        return await fetch(o.url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }), signal });
      }
      const r = restRequest(method, params as Record<string, unknown>);
      const url = `${o.url.replace(/\/+$/, "")}${r.path}`;
      return await fetch(url, { method: r.method, headers, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }), signal });
    } catch (error) {
      throw unreachable(o.url, error);
    }
  };

  return {
    async call(method, params, serviceParams) {
      const signal = AbortSignal.timeout(timeoutMs);
      const res = await send({ method, params, serviceParams, streaming: false, signal });
      const text = await readText(res, maxBytes);
      if (o.binding === "JSONRPC") return jsonRpcResult(text, res.status);
      if (res.ok) return text === "" ? {} : parseJson(text);
      throw restFailure(text, res.status);
    },
    async *stream(method, params, serviceParams) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await send({ method, params, serviceParams, streaming: true, signal: controller.signal });
        clearTimeout(timer);
        if (!(res.headers.get("content-type") ?? "").includes("text/event-stream") || res.body === null) {
          const text = await readText(res, maxBytes);
          if (o.binding === "JSONRPC") {
            // An agent may refuse a stream with a plain JSON-RPC error.
            jsonRpcResult(text, res.status);
            throw badResponse("answered a stream request without an event stream");
          }
          throw restFailure(text, res.status);
        }
        for await (const event of sseEvents(res.body, maxBytes)) {
          const value = parseJson(event.data);
          if (o.binding === "JSONRPC") yield jsonRpcResultOf(value) as StreamResponse;
          else if (event.event === "error") throw restFailureOf(value, 500);
          else yield value as StreamResponse;
        }
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    },
  };
}

async function readText(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw badResponse(`sent a response of ${declared} bytes (the limit is ${maxBytes})`);
  const text = await res.text();
  if (Buffer.byteLength(text) > maxBytes) throw badResponse(`sent a response over ${maxBytes} bytes`);
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badResponse("sent a response that is not JSON");
  }
}

function jsonRpcResult(text: string, status: number): unknown {
  if (text === "" && status >= 400) throw badResponse(`answered HTTP ${status}`);
  return jsonRpcResultOf(parseJson(text));
}

function jsonRpcResultOf(value: unknown): unknown {
  const v = value as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } } | null;
  if (typeof v !== "object" || v === null) throw badResponse("sent a response that is not a JSON-RPC response");
  if (v.error !== undefined) {
    const code = typeof v.error.code === "number" ? v.error.code : A2AErrorCode.InternalError;
    throw new A2AProtocolError({ code, message: typeof v.error.message === "string" ? v.error.message : "Error", data: v.error.data });
  }
  if (!("result" in v)) throw badResponse("sent a JSON-RPC response without result or error");
  return v.result;
}

function restFailure(text: string, status: number): A2AProtocolError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return restFailureOf(value, status);
}

/** A `google.rpc.Status` error body as the JSON-RPC error it stands for (by its ErrorInfo reason). */
function restFailureOf(value: unknown, status: number): A2AProtocolError {
  const error = (value as { error?: { message?: unknown; details?: unknown } } | undefined)?.error;
  const details = Array.isArray(error?.details) ? (error.details as { reason?: unknown }[]) : [];
  const reason = details.find((d) => typeof d?.reason === "string")?.reason as string | undefined;
  const byStatus = status === 404 ? A2AErrorCode.TaskNotFound : status >= 400 && status < 500 ? A2AErrorCode.InvalidParams : A2AErrorCode.InternalError;
  const code = (reason !== undefined ? REASON_CODES.get(reason) : undefined) ?? byStatus;
  const message = typeof error?.message === "string" ? error.message : `The agent answered HTTP ${status}`;
  return new A2AProtocolError({ code, message, ...(details.length > 0 ? { data: details } : {}) });
}

function badResponse(what: string): A2AProtocolError {
  return new A2AProtocolError({ code: A2AErrorCode.InvalidAgentResponse, message: `The HTTP agent ${what}` });
}

function unreachable(url: string, error: unknown): A2AProtocolError {
  const why = error instanceof Error && error.name === "TimeoutError" ? "did not answer in time" : "could not be reached";
  return new A2AProtocolError({ code: A2AErrorCode.InternalError, message: `The HTTP agent at ${url} ${why}; try again later.` });
}
