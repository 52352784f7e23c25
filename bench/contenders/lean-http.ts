import { Pool } from "undici";
import { startServer, type Layout, type ServerHandle } from "../lib/server.js";
import { TEXT_100B, type PayloadKind } from "../lib/payloads.js";
import type { Contender } from "./contender.js";
import { capturedSdkRequest } from "./sdk-http.js";

/**
 * A lean, neutral HTTP load generator: undici's Pool of keep-alive connections sending
 * the JSON-RPC bodies the SDK's client sends, byte for byte (taken from the SDK client
 * itself at start, with fresh ids per call), and parsing and checking the JSON reply.
 * The SDK's client costs more CPU per call than the servers it is pointed at; on a small
 * machine that cost is shared by both contenders and pulls every ratio towards 1. This
 * generator leaves the CPU to the servers being compared.
 */

const CONNECT_TIMEOUT_MS = 120_000;
/** The headers the SDK's JSON-RPC client sends (checked against it at start). */
const HEADERS = { "A2A-Version": "1.0", "Content-Type": "application/json", Accept: "application/json" } as const;
const STREAM_HEADERS = { ...HEADERS, Accept: "text/event-stream" } as const;

/** The request body, split where the message id and the JSON-RPC id go. */
interface BodyTemplate {
  head: string;
  middle: string;
}

/**
 * The body the SDK's client sent for one call, split around its message id and JSON-RPC
 * id; its headers must be ours.
 */
async function capturedTemplate(cardUrl: string, kind: PayloadKind, stream: boolean): Promise<BodyTemplate> {
  const sdk = await capturedSdkRequest(cardUrl, kind, stream);
  const mark = JSON.stringify(sdk.messageId);
  const at = sdk.body.indexOf(mark);
  const end = `,"id":${sdk.rpcId}}`;
  if (at < 0 || sdk.body.indexOf(mark, at + 1) >= 0 || !sdk.body.endsWith(end)) throw new Error(`lean-http: unexpected SDK request body ${sdk.body.slice(0, 300)}`);
  const t = { head: sdk.body.slice(0, at), middle: sdk.body.slice(at + mark.length, -end.length) };
  if (render(t, sdk.messageId, sdk.rpcId) !== sdk.body) throw new Error("lean-http: the body template does not reproduce the SDK's body");
  for (const [name, value] of Object.entries(stream ? STREAM_HEADERS : HEADERS)) {
    if (sdk.headers[name] !== value) throw new Error(`lean-http: header ${name} is ${value}, the SDK client sends ${String(sdk.headers[name])}`);
  }
  return t;
}

function render(t: BodyTemplate, messageId: string, id: number): string {
  return `${t.head}${JSON.stringify(messageId)}${t.middle},"id":${id}}`;
}

interface JsonRpcReply {
  jsonrpc?: unknown;
  id?: unknown;
  error?: { code?: unknown; message?: unknown };
  result?: { task?: { id?: unknown; status?: { state?: unknown }; artifacts?: { parts?: { text?: unknown; data?: unknown }[] }[] } };
}

/** Throws unless `reply` answers request `id` with a completed task echoing the payload. */
function checkTask(reply: JsonRpcReply, id: number, kind: PayloadKind): void {
  if (reply.jsonrpc !== "2.0" || reply.id !== id) throw new Error(`lean-http: reply for id ${String(reply.id)}, expected ${id}`);
  if (reply.error !== undefined) throw new Error(`lean-http: JSON-RPC error ${String(reply.error.code)}: ${String(reply.error.message)}`);
  const task = reply.result?.task;
  const state = task?.status?.state;
  if (typeof task?.id !== "string" || state !== "TASK_STATE_COMPLETED") throw new Error(`lean-http: task ended in state ${String(state)}`);
  const part = task.artifacts?.[0]?.parts?.[0];
  const echoed = kind === "text" ? part?.text === TEXT_100B : typeof part?.data === "object" && part.data !== null;
  if (!echoed) throw new Error("lean-http: the task's artifact does not echo the message");
}

/** The SSE events of one response body: the JSON of each `data:` field. */
async function* sseData(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of body) {
    buffered += chunk.toString("utf8");
    let end: number;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5))
        .join("\n");
      if (data !== "") yield data;
    }
  }
}

/** The lean generator doing the echo workload against the agent whose card is at `cardUrl`. */
export async function leanHttpContender(o: {
  id: string;
  label: string;
  family: Contender["family"];
  server: ServerHandle;
  cardUrl: string;
  close: () => Promise<void>;
}): Promise<Contender> {
  const card = (await (await fetch(o.cardUrl)).json()) as { supportedInterfaces?: { url?: string; protocolBinding?: string }[] };
  const endpoint = card.supportedInterfaces?.find((i) => i.protocolBinding === "JSONRPC")?.url;
  if (endpoint === undefined) throw new Error(`lean-http: no JSONRPC interface in the card at ${o.cardUrl}`);
  const url = new URL(endpoint);
  const path = `${url.pathname}${url.search}`;
  // Unlimited connections, each kept alive: one per call in flight, as the SDK client's Agent.
  const pool = new Pool(url.origin, { connectTimeout: CONNECT_TIMEOUT_MS, pipelining: 1 });
  // Each body is the one the SDK's own client sends this server, with fresh ids.
  const templates = new Map<string, BodyTemplate>();
  for (const kind of ["text", "data4k"] as const) {
    for (const stream of [false, true]) templates.set(`${kind}/${stream}`, await capturedTemplate(o.cardUrl, kind, stream));
  }
  let n = 0;

  const post = (kind: PayloadKind, stream: boolean) => {
    const id = ++n;
    const body = render(templates.get(`${kind}/${stream}`)!, `m-lean-${process.pid}-${id}`, id);
    return { id, response: pool.request({ path, method: "POST", headers: stream ? STREAM_HEADERS : HEADERS, body }) };
  };

  return {
    id: o.id,
    label: o.label,
    family: o.family,
    server: o.server,
    async send(kind) {
      const { id, response } = post(kind, false);
      const { statusCode, body } = await response;
      const text = await body.text();
      if (statusCode !== 200) throw new Error(`lean-http: HTTP ${statusCode}: ${text.slice(0, 200)}`);
      checkTask(JSON.parse(text) as JsonRpcReply, id, kind);
    },
    async stream(kind) {
      const { id, response } = post(kind, true);
      const { statusCode, body } = await response;
      if (statusCode !== 200) throw new Error(`lean-http: HTTP ${statusCode}: ${(await body.text()).slice(0, 200)}`);
      let events = 0;
      let last: JsonRpcReply | undefined;
      for await (const data of sseData(body)) {
        last = JSON.parse(data) as JsonRpcReply;
        if (last.error !== undefined || last.id !== id) throw new Error(`lean-http: stream event ${data.slice(0, 200)}`);
        events++;
      }
      const final = (last?.result as { statusUpdate?: { status?: { state?: unknown } } } | undefined)?.statusUpdate?.status?.state;
      if (final !== "TASK_STATE_COMPLETED") throw new Error(`lean-http: stream ended in state ${String(final)}`);
      return events;
    },
    async close() {
      await o.close();
      await pool.close();
    },
  };
}

/** The lean generator against the @a2a-js/sdk server (child process). */
export async function sdkLeanHttp(layout: Layout): Promise<Contender> {
  const server = await startServer("sdk-server", {}, layout);
  try {
    return await leanHttpContender({ id: "sdk-lean/http", label: "undici → @a2a-js/sdk HTTP", family: "sdk", server, cardUrl: `${String(server.info.url)}/.well-known/agent-card.json`, close: () => server.stop() });
  } catch (error) {
    await server.stop();
    throw error;
  }
}
