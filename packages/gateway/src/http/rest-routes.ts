import type { Context, Hono } from "hono";
import { badBody, jsonObjectBody, queryParams, serveRest, type RestCall } from "./rest.js";
import type { AgentTarget } from "./jsonrpc.js";

/** Resolves the agent of a request (404 / 503 answered by the caller) and its settings. */
export type AgentResolver = (c: Context) => AgentTarget | Response;

const LIST_TASKS_QUERY = ["contextId", "status", "pageSize", "pageToken", "historyLength", "statusTimestampAfter", "includeArtifacts"];

/**
 * The HTTP+JSON routes of section 11 under `/{org}/{agent}`. Actions on a task are
 * the `{id}:cancel` / `{id}:subscribe` forms of the specification, read from one path
 * segment.
 */
export function mountRestRoutes(app: Hono, resolve: AgentResolver, readBody: (c: Context) => Promise<string>): void {
  const run = (build: (c: Context, body: Record<string, unknown>) => RestCall | undefined) => async (c: Context) => {
    const target = resolve(c);
    if (target instanceof Response) return target;
    const body = await jsonObjectBody(c, c.req.method === "GET" || c.req.method === "DELETE" ? "" : await readBody(c));
    if (body === undefined) return badBody(c);
    const call = build(c, body);
    if (call === undefined) return c.json({ error: { code: 404, status: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}`, details: [] } }, 404);
    return serveRest(c, target, call);
  };

  app.get("/:org/:agent/extendedAgentCard", run(() => ({ method: "GetExtendedAgentCard", params: {} })));
  app.post(
    "/:org/:agent/:action{message:(send|stream)}",
    run((c, body) =>
      c.req.param("action") === "message:send"
        ? { method: "SendMessage", params: body }
        : { method: "SendStreamingMessage", params: body, streaming: true },
    ),
  );
  app.get("/:org/:agent/tasks", run((c) => ({ method: "ListTasks", params: queryParams(c, LIST_TASKS_QUERY) })));
  const taskAction = (c: Context, body: Record<string, unknown>): RestCall | undefined => {
    const segment = c.req.param("task")!;
    const colon = segment.lastIndexOf(":");
    const id = colon < 0 ? segment : segment.slice(0, colon);
    const action = colon < 0 ? undefined : segment.slice(colon + 1);
    if (id === "") return undefined;
    if (action === "subscribe") return { method: "SubscribeToTask", params: { id }, streaming: true };
    if (action === "cancel" && c.req.method === "POST") return { method: "CancelTask", params: { ...body, id } };
    if (action === undefined && c.req.method === "GET") return { method: "GetTask", params: { ...queryParams(c, ["historyLength"]), id } };
    return undefined;
  };
  app.get("/:org/:agent/tasks/:task", run(taskAction));
  app.post("/:org/:agent/tasks/:task", run(taskAction));
  app.post(
    "/:org/:agent/tasks/:task/pushNotificationConfigs",
    run((c, body) => ({ method: "CreateTaskPushNotificationConfig", params: { ...body, taskId: c.req.param("task") }, okStatus: 201 })),
  );
  app.get(
    "/:org/:agent/tasks/:task/pushNotificationConfigs",
    run((c) => ({ method: "ListTaskPushNotificationConfigs", params: { ...queryParams(c, ["pageSize", "pageToken"]), taskId: c.req.param("task") } })),
  );
  app.get(
    "/:org/:agent/tasks/:task/pushNotificationConfigs/:config",
    run((c) => ({ method: "GetTaskPushNotificationConfig", params: { taskId: c.req.param("task"), id: c.req.param("config") } })),
  );
  app.delete(
    "/:org/:agent/tasks/:task/pushNotificationConfigs/:config",
    run((c) => ({ method: "DeleteTaskPushNotificationConfig", params: { taskId: c.req.param("task"), id: c.req.param("config") }, okStatus: 204 })),
  );
}
