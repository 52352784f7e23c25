import type { IncomingMessage, ServerResponse } from "node:http";
import type { RawRequest } from "@a2a/client";
import type { Logger } from "@a2a/transport";
import { HEADER_EXTENSIONS, HEADER_VERSION } from "@a2a/transport/binding";
import type { AgentRegistry } from "../agent-registry.js";
import { endOfTurn } from "./end-of-turn.js";
import { httpProblem } from "./errors.js";
import { isStreamingMethod, parseEnvelope, unaryCall, type CallSettings } from "./jsonrpc.js";
import { keepReadBody, readIncoming } from "./read-body.js";
import { apiKeyAccepted, serviceParamsOf } from "./service-params.js";
import { TaskOwners } from "./task-owners.js";

/**
 * The JSON-RPC endpoint's common case on the Node request itself: a unary call to a
 * known, online agent, with a valid key and a well-formed envelope. It makes the same
 * checks as the hono route, in the same order, and answers the same bytes; it just skips
 * the Request and Response objects, the router and the header wrappers, which cost more
 * CPU than the rest of the gateway's share of a call. Every other request, and every
 * request that fails a check, goes to the hono application, which answers it as before
 * (with the body already read, see `keepReadBody`).
 *
 * Middleware added to `gateway.app` after creation runs after the routes in hono, so it
 * never applied to this route, and skipping hono loses nothing. With CORS configured
 * every request goes through hono.
 */
export interface FastPathOptions {
  registry: AgentRegistry;
  settings: CallSettings;
  /** Task owners when tasks are isolated per caller. */
  owners: TaskOwners | undefined;
  apiKeys: readonly string[];
  apiKeyHeader: string;
  maxBodyBytes: number;
  logger: Logger;
}

/** Handles the request and returns true, or returns false (nothing read) for hono; `next` hands it on later. */
export type FastPath = (req: IncomingMessage, res: ServerResponse, next: () => void) => boolean;

/** `/{org}/{agent}` with plain segments (no escapes, dot segments or backslashes that URL parsing would change), any query. */
const AGENT_PATH = /^\/([A-Za-z0-9_~-][A-Za-z0-9_.~-]*)\/([A-Za-z0-9_~-][A-Za-z0-9_.~-]*)(?:\?|$)/;

const CONTENT_LENGTH = "content-length";
const AUTHORIZATION = "authorization";

export function jsonRpcFastPath(o: FastPathOptions): FastPath {
  const keyHeader = o.apiKeyHeader.toLowerCase();
  const wanted = new Set([CONTENT_LENGTH, AUTHORIZATION, keyHeader, HEADER_VERSION.toLowerCase(), HEADER_EXTENSIONS.toLowerCase(), `x-${HEADER_EXTENSIONS.toLowerCase()}`]);
  const needsKey = o.apiKeys.length > 0;

  return (req, res, next) => {
    if (req.method !== "POST") return false;
    const path = AGENT_PATH.exec(req.url ?? "");
    if (path === null) return false;
    const headers = headersOf(req.rawHeaders, wanted);
    if (headers === undefined) return false;
    const key = needsKey ? headers.get(keyHeader) : undefined;
    if (needsKey && !apiKeyAccepted(o.apiKeys, key)) return false;
    const agentId = `${path[1]}/${path[2]}`;
    if (o.registry.get(agentId)?.status !== "online") return false;
    const declared = headers.get(CONTENT_LENGTH);
    if (declared !== undefined && Number(declared) > o.maxBodyBytes) return false;
    serve(o, { req, res, next, agentId, headers, key }).catch((error: unknown) => {
      o.logger.error({ err: error, method: req.method, path: (req.url ?? "").split("?")[0] }, "Internal error in the gateway");
      if (res.headersSent) res.destroy();
      else write(res, 500, httpProblem(500, "Internal error in the gateway"));
    });
    return true;
  };
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  next: () => void;
  agentId: string;
  headers: Map<string, string>;
  key: string | undefined;
}

async function serve(o: FastPathOptions, { req, res, next, agentId, headers, key }: Call): Promise<void> {
  let body: string;
  try {
    body = await readIncoming(req, o.maxBodyBytes);
  } catch (error) {
    // Too large, or aborted: hono answers it as it answers a body it read itself.
    keepReadBody(req, error instanceof Error ? error : new Error(String(error)));
    next();
    return;
  }
  const envelope = parseEnvelope(body);
  const serviceParams = envelope.kind === "call" && !isStreamingMethod(envelope.method) ? serviceParamsOf((name) => headers.get(name.toLowerCase())) : undefined;
  if (envelope.kind !== "call" || serviceParams === undefined || typeof serviceParams === "string") {
    // Errors, notifications and streams: the hono route, with the body read here.
    keepReadBody(req, body);
    next();
    return;
  }
  const { settings, owners } = o;
  const request: RawRequest = { agentId, method: envelope.method, params: envelope.params, options: { serviceParams, timeoutMs: settings.timeoutMs } };
  await endOfTurn();
  const call = owners === undefined ? () => settings.raw.call(request) : () => owners.call(settings.raw, request, TaskOwners.callerOf(key, headers.get(AUTHORIZATION)));
  const { status, body: reply } = await unaryCall(call, envelope.id);
  write(res, status, reply);
}

function write(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  // The headers hono's c.json() sends.
  res.writeHead(status, ["Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(text))]);
  res.end(text);
}

/**
 * The `wanted` headers (lower-case names) from Node's raw list, trimmed as hono reads
 * them; undefined when one of them is repeated (hono joins repeats, node keeps some):
 * such requests take the hono route.
 */
function headersOf(raw: readonly string[], wanted: ReadonlySet<string>): Map<string, string> | undefined {
  const found = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!wanted.has(name)) continue;
    if (found.has(name)) return undefined;
    found.set(name, trimHttpWhitespace(raw[i + 1]!));
  }
  return found;
}

/** Without leading and trailing HTTP whitespace (space, tab, CR, LF), as hono reads a header. */
function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}
