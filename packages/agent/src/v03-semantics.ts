import type { A2AMethod } from "@a2a/schema";

/**
 * Where A2A 0.3 meant something else than 1.0 for the same (normalised) params, the
 * params of a 0.3 request are given their 0.3 meaning here, before the 1.0 handler runs.
 * 0.3: a push notification config set without an id gets the task's id (the id that a
 * 0.3 `tasks/pushNotificationConfig/get` with only the task id then finds).
 */
export function withV03Semantics(method: A2AMethod, params: unknown): unknown {
  if (method === "CreateTaskPushNotificationConfig") {
    const config = params as { id?: string; taskId: string };
    if (config.id === undefined) return { ...config, id: config.taskId };
  }
  return params;
}
