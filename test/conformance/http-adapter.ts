import { randomUUID } from "node:crypto";
import { createParser } from "eventsource-parser";
import type { AdapterFeatures, ConformanceAdapter, JsonRpcId, Reply, RequestOptions } from "./adapter.js";

export interface HttpAdapterOptions {
  name: string;
  /** The agent's JSON-RPC URL, e.g. `http://127.0.0.1:8080/org/agent`. */
  url: string;
}

/**
 * The conformance adapter for the A2A JSON-RPC binding over HTTP (spec section 9), used
 * through @a2a/gateway: one POST per request, `A2A-Version` / `A2A-Extensions` headers,
 * streams as Server-Sent Events. HTTP frames a stream by the order of its events and the
 * end of the response, so each event is reported with its position as `seq` and the
 * last one as `final`.
 */
export class HttpAdapter implements ConformanceAdapter {
  readonly name: string;
  // Headers may repeat; HTTP joins their values into one list, as the rule expects. The
  // MQTT binding's event numbers (`eventSeq`, binding 5.1) are not part of the HTTP binding.
  readonly features: AdapterFeatures = { repeatedServiceParams: true, rawPayloads: true, resumableStreams: false };
  readonly #url: string;

  constructor(options: HttpAdapterOptions) {
    this.name = options.name;
    this.#url = options.url;
  }

  async card(): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.#url}/.well-known/agent-card.json`);
    return (await res.json()) as Record<string, unknown>;
  }

  call(method: string, params?: unknown, options: RequestOptions = {}): Promise<Reply> {
    return this.#unary(body(method, params, options), headersOf(options), options);
  }

  callWithParams(method: string, params: unknown, { serviceParams, ...options }: RequestOptions & { serviceParams: Array<[string, string]> }): Promise<Reply> {
    const headers = new Headers({ "content-type": "application/json" });
    for (const [name, value] of serviceParams) headers.append(name, value);
    return this.#unary(body(method, params, options), headers, options);
  }

  sendRaw(payload: string, options: RequestOptions = {}): Promise<Reply> {
    return this.#unary(payload, headersOf(options), options);
  }

  async stream(method: string, params?: unknown, options: RequestOptions = {}): Promise<Reply[]> {
    const res = await fetch(this.#url, {
      method: "POST",
      headers: headersOf(options),
      body: body(method, params, options),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) {
      return [{ ...toReply(JSON.parse(await res.text()) as Record<string, unknown>), seq: 0, final: true }];
    }
    const frames: Reply[] = [];
    const parser = createParser({
      onEvent: (event) => {
        const frame = { ...toReply(JSON.parse(event.data) as Record<string, unknown>), seq: frames.length };
        frames.push(frame);
        options.onFrame?.(frame);
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    if (frames.length > 0) frames[frames.length - 1]!.final = true;
    return frames;
  }

  async close(): Promise<void> {}

  async #unary(payload: string, headers: Headers, options: RequestOptions): Promise<Reply> {
    const res = await fetch(this.#url, { method: "POST", headers, body: payload, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    return toReply(JSON.parse(await res.text()) as Record<string, unknown>);
  }
}

function body(method: string, params: unknown, options: RequestOptions): string {
  const id: JsonRpcId = options.id === undefined ? `h-${randomUUID().slice(0, 8)}` : options.id;
  const request: Record<string, unknown> = { jsonrpc: "2.0", id, method };
  if (params !== undefined) request.params = params;
  return JSON.stringify(request);
}

function headersOf(options: RequestOptions): Headers {
  const headers = new Headers({ "content-type": "application/json" });
  const version = options.version === undefined ? "1.0" : options.version;
  if (version !== null) headers.set("A2A-Version", version);
  if (options.extensions !== undefined) headers.set("A2A-Extensions", options.extensions.join(","));
  return headers;
}

function toReply(raw: Record<string, unknown>): Reply {
  const reply: Reply = { id: raw.id as JsonRpcId, raw };
  if ("result" in raw) reply.result = raw.result;
  if (raw.error !== undefined) reply.error = raw.error as NonNullable<Reply["error"]>;
  return reply;
}
