import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { A2AClient, type A2AClientOptions, type AgentInfo } from "@a2a/client";
import { consoleLogger, type Logger, type Transport } from "@a2a/transport";
import { AgentRegistry } from "./agent-registry.js";
import { gatewayCard } from "./gateway-card.js";
import { httpProblem, invalidRequest } from "./http/errors.js";
import { serveJsonRpc, type AgentTarget, type CallSettings } from "./http/jsonrpc.js";
import { mountRestRoutes } from "./http/rest-routes.js";
import { apiKeyAccepted } from "./http/service-params.js";
import { BodyTooLarge, readBody } from "./http/read-body.js";
import { TaskOwners } from "./http/task-owners.js";

export interface CorsSettings {
  /** Allowed origins: `"*"`, one origin, or a list. */
  origin: string | string[];
  /** @default false */
  credentials?: boolean;
  /** Seconds a preflight answer may be cached. @default 600 */
  maxAge?: number;
}

export interface GatewayOptions {
  /** The broker URL (the gateway owns one MQTT connection) or a Transport you created (shared). */
  broker: string | Transport;
  /** TCP port; 0 picks a free one (see `Gateway.url`). @default 8080 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /**
   * The URL clients reach the gateway at, written into the cards it serves (behind a
   * proxy or a public name). @default `http://{host}:{port}`
   */
  publicUrl?: string;
  /** Topic prefix shared with the agents. @default "" */
  topicPrefix?: string;
  /**
   * A structured logger (pino-compatible), also handed to the gateway's MQTT client:
   * internal errors are logged with the request's method and path.
   * @default warn-level lines on stderr
   */
  logger?: Logger;
  /** Further options of the gateway's MQTT client (client id, credentials, TLS, ...). */
  client?: Omit<A2AClientOptions, "broker" | "topicPrefix" | "timeoutMs" | "discovery">;
  /**
   * API keys the gateway requires on the binding endpoints (JSON-RPC and HTTP+JSON), in
   * the `apiKeyHeader` header. Cards and the directory stay public, as discovery needs.
   * @default none (no key required)
   */
  apiKeys?: string[];
  /** @default "x-api-key" */
  apiKeyHeader?: string;
  /** CORS for browser clients. @default off (no CORS headers) */
  cors?: CorsSettings;
  /** Largest request body, in bytes; larger requests get 413. @default 1_048_576 */
  maxBodyBytes?: number;
  /**
   * How long a unary call may take, and a stream its first event, in milliseconds
   * (a blocking SendMessage lasts as long as its task). @default 60_000
   */
  timeoutMs?: number;
  /**
   * Every HTTP caller reaches the agents as the gateway's one MQTT client, so the gateway
   * itself keeps tasks to the caller that created them (by API key, else `Authorization`
   * header): another caller naming such a task gets TaskNotFound. Set false when the
   * agents scope tasks by the `a2a-authorization` token themselves.
   * @default true
   */
  isolateTasks?: boolean;
  /** Tasks whose owner is remembered for `isolateTasks`. @default 100_000 */
  maxTrackedTasks?: number;
}

export interface Gateway {
  /** `http://host:port`, the base of every agent URL. */
  readonly url: string;
  readonly port: number;
  /** The HTTP application (to mount in another hono app, or call with `app.request()`). */
  readonly app: Hono;
  /** The agents behind the gateway, as discovery reports them now. */
  agents(): AgentInfo[];
  /** Resolves once agent `{org}/{agent}` is online behind the gateway. @default timeoutMs 10_000 */
  waitForAgent(id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<AgentInfo>;
  /** Stops listening, ends open streams and closes the MQTT connection (if owned). */
  close(): Promise<void>;
}

/**
 * Serves every A2A agent on the broker over the standard HTTP bindings: agent `{org}/{agent}`
 * at `{url}/{org}/{agent}` (JSON-RPC on POST, HTTP+JSON below it), its card at
 * `{url}/{org}/{agent}/.well-known/agent-card.json`, the directory at `{url}/agents`.
 * @example
 * const gateway = await createGateway({ broker: "mqtt://localhost:1883", port: 8080 });
 * // curl http://127.0.0.1:8080/agents
 * await gateway.close();
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const client = new A2AClient({ ...(options.logger === undefined ? {} : { logger: options.logger }), ...options.client, broker: options.broker, topicPrefix: options.topicPrefix ?? "", timeoutMs });
  const registry = new AgentRegistry();
  let server: Server | undefined;
  try {
    await client.connect();
    await registry.start(client);
    const raw = await client.rawRequests();
    const host = options.host ?? "127.0.0.1";
    let baseUrl = options.publicUrl?.replace(/\/+$/, "") ?? "";
    const app = buildApp(options, { registry, settings: { raw, timeoutMs }, baseUrl: () => baseUrl });
    server = await listen(app, host, options.port ?? 8080);
    const port = (server.address() as AddressInfo).port;
    if (baseUrl === "") baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const listening = server;
    return {
      url: baseUrl,
      port,
      app,
      agents: () => registry.list(),
      waitForAgent: (id, waitOptions) => registry.online(id, waitOptions),
      async close() {
        listening.closeAllConnections();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        await registry.close();
        await client.close();
      },
    };
  } catch (error) {
    server?.close();
    await registry.close();
    await client.close();
    throw error;
  }
}

function buildApp(options: GatewayOptions, { registry, settings, baseUrl }: { registry: AgentRegistry; settings: CallSettings; baseUrl: () => string }): Hono {
  const app = new Hono();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (options.cors !== undefined) {
    const { origin, credentials, maxAge } = options.cors;
    app.use("*", cors({ origin, credentials: credentials ?? false, maxAge: maxAge ?? 600, exposeHeaders: ["A2A-Version", "A2A-Extensions"] }));
  }
  const logger = options.logger ?? consoleLogger();
  app.onError((error, c) => {
    if (error instanceof BodyTooLarge) return c.json(problemFor(c, 413, `The request body is larger than ${maxBodyBytes} bytes.`), 413);
    logger.error({ err: error, method: c.req.method, path: c.req.path }, "Internal error in the gateway");
    return c.json(httpProblem(500, "Internal error in the gateway"), 500);
  });
  const body = (c: Context) => readBody(c, maxBodyBytes);
  app.notFound((c) => c.json(httpProblem(404, `No route ${c.req.method} ${c.req.path}; see GET /agents for the agents served.`), 404));

  const agentUrl = (id: string) => `${baseUrl()}/${id}`;
  app.get("/agents", (c) =>
    c.json({
      agents: registry.list().map((a) => ({
        id: a.id,
        name: a.card.name,
        description: a.card.description,
        status: a.status,
        ...(a.since === undefined ? {} : { since: a.since }),
        url: agentUrl(a.id),
        cardUrl: `${agentUrl(a.id)}/.well-known/agent-card.json`,
      })),
    }),
  );
  app.get("/:org/:agent/.well-known/agent-card.json", (c) => {
    const found = lookup(c, registry);
    if (found instanceof Response) return found;
    c.header("Cache-Control", "no-cache");
    return c.json(gatewayCard(found.card, agentUrl(found.id)));
  });

  const keys = options.apiKeys ?? [];
  const keyHeader = options.apiKeyHeader ?? "x-api-key";
  const owners = options.isolateTasks === false ? undefined : new TaskOwners(options.maxTrackedTasks);
  const resolve = (c: Context): AgentTarget | Response => {
    const key = keys.length > 0 ? c.req.header(keyHeader) : undefined;
    if (keys.length > 0 && !apiKeyAccepted(keys, key)) {
      return c.json(problemFor(c, 401, `A valid API key is required in the ${keyHeader} header.`), 401);
    }
    const found = lookup(c, registry);
    if (found instanceof Response) return found;
    if (owners === undefined) return { agentId: found.id, settings };
    const caller = TaskOwners.callerOf(key, c.req.header("authorization"));
    return { agentId: found.id, settings: { raw: owners.scope(settings.raw, caller), timeoutMs: settings.timeoutMs } };
  };
  app.post("/:org/:agent", async (c) => {
    const target = resolve(c);
    if (target instanceof Response) return target;
    return serveJsonRpc(c, target, await body(c));
  });
  mountRestRoutes(app, resolve, body);
  return app;
}

/** The agent named by the path: 404 when unknown, 503 while offline. */
function lookup(c: Context, registry: AgentRegistry): AgentInfo | Response {
  const id = `${c.req.param("org")}/${c.req.param("agent")}`;
  const info = registry.get(id);
  if (info === undefined) return c.json(problemFor(c, 404, `No agent ${id} is known on the broker; see GET /agents.`), 404);
  if (info.status === "offline") {
    const since = info.since === undefined ? "" : ` since ${info.since}`;
    return c.json({ ...problemFor(c, 503, `Agent ${id} is offline${since}; retry when it is back online.`), agent: id, status: "offline", ...(info.since ? { since: info.since } : {}) }, 503);
  }
  return info;
}

/** A JSON-RPC error on the JSON-RPC endpoint (POST to the agent's base URL), the REST shape elsewhere. */
function problemFor(c: Context, status: number, message: string): object {
  const isJsonRpc = c.req.method === "POST" && /^\/[^/]+\/[^/]+\/?$/.test(c.req.path);
  return isJsonRpc ? { jsonrpc: "2.0", id: null, error: { ...invalidRequest(message), code: status === 413 ? -32600 : -32603 } } : httpProblem(status, message);
}

async function listen(app: Hono, host: string, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host, serverOptions: { noDelay: true, headersTimeout: 10_000, requestTimeout: 30_000 } }) as Server;
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}
