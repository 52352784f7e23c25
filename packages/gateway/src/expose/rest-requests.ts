import type { A2AMethod } from "@a2a/schema";

/** One HTTP+JSON request (spec section 11) of an A2A method. */
export interface RestRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
}

const enc = encodeURIComponent;

function query(params: Record<string, unknown>, names: readonly string[]): string {
  const q = new URLSearchParams();
  for (const name of names) {
    const value = params[name];
    // Params are parsed JSON: a number or boolean reads as its JSON text.
    if (value !== undefined && value !== null) q.set(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  const text = q.toString();
  return text === "" ? "" : `?${text}`;
}

/** The route, query and body of `method` with (validated 1.0) `params`. */
export function restRequest(method: A2AMethod, params: Record<string, unknown>): RestRequest {
  const { id, taskId, ...rest } = params as { id?: string; taskId?: string } & Record<string, unknown>;
  switch (method) {
    case "SendMessage":
      return { method: "POST", path: "/message:send", body: params };
    case "SendStreamingMessage":
      return { method: "POST", path: "/message:stream", body: params };
    case "GetTask":
      return { method: "GET", path: `/tasks/${enc(String(id))}${query(params, ["historyLength"])}` };
    case "ListTasks":
      return { method: "GET", path: `/tasks${query(params, ["contextId", "status", "pageSize", "pageToken", "historyLength", "statusTimestampAfter", "includeArtifacts"])}` };
    case "CancelTask":
      return { method: "POST", path: `/tasks/${enc(String(id))}:cancel`, body: rest };
    case "SubscribeToTask":
      return { method: "GET", path: `/tasks/${enc(String(id))}:subscribe` };
    case "CreateTaskPushNotificationConfig":
      return { method: "POST", path: `/tasks/${enc(String(taskId))}/pushNotificationConfigs`, body: params };
    case "GetTaskPushNotificationConfig":
      return { method: "GET", path: `/tasks/${enc(String(taskId))}/pushNotificationConfigs/${enc(String(id))}` };
    case "ListTaskPushNotificationConfigs":
      return { method: "GET", path: `/tasks/${enc(String(taskId))}/pushNotificationConfigs${query(params, ["pageSize", "pageToken"])}` };
    case "DeleteTaskPushNotificationConfig":
      return { method: "DELETE", path: `/tasks/${enc(String(taskId))}/pushNotificationConfigs/${enc(String(id))}` };
    case "GetExtendedAgentCard":
      return { method: "GET", path: "/extendedAgentCard" };
  }
}
