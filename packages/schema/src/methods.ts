/** The eleven A2A 1.0 JSON-RPC method names. */
export const A2A_METHODS = [
  "SendMessage",
  "SendStreamingMessage",
  "GetTask",
  "ListTasks",
  "CancelTask",
  "SubscribeToTask",
  "CreateTaskPushNotificationConfig",
  "GetTaskPushNotificationConfig",
  "ListTaskPushNotificationConfigs",
  "DeleteTaskPushNotificationConfig",
  "GetExtendedAgentCard",
] as const;
export type A2AMethod = (typeof A2A_METHODS)[number];

/** 0.3 method names and the 1.0 method each one became. */
export const V03_METHOD_ALIASES: Readonly<Record<string, A2AMethod>> = Object.freeze({
  "message/send": "SendMessage",
  "message/stream": "SendStreamingMessage",
  "tasks/get": "GetTask",
  "tasks/cancel": "CancelTask",
  "tasks/resubscribe": "SubscribeToTask",
  "tasks/pushNotificationConfig/set": "CreateTaskPushNotificationConfig",
  "tasks/pushNotificationConfig/get": "GetTaskPushNotificationConfig",
  "tasks/pushNotificationConfig/list": "ListTaskPushNotificationConfigs",
  "tasks/pushNotificationConfig/delete": "DeleteTaskPushNotificationConfig",
  "agent/getAuthenticatedExtendedCard": "GetExtendedAgentCard",
});

const METHOD_SET: ReadonlySet<string> = new Set(A2A_METHODS);

export function isA2AMethod(name: unknown): name is A2AMethod {
  return typeof name === "string" && METHOD_SET.has(name);
}

/** The 1.0 method for a 1.0 or 0.3 method name; `undefined` when unknown. */
export function normalizeMethod(name: string): A2AMethod | undefined {
  if (isA2AMethod(name)) return name;
  return Object.hasOwn(V03_METHOD_ALIASES, name) ? V03_METHOD_ALIASES[name] : undefined;
}

/** Methods answered with a stream of StreamResponse events instead of one result. */
export function isStreamingMethod(m: A2AMethod): m is "SendStreamingMessage" | "SubscribeToTask" {
  return m === "SendStreamingMessage" || m === "SubscribeToTask";
}
