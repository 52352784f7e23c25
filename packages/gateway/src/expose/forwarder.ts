import { type A2AMethod, type StreamResponse, A2AProtocolError } from "@a2a/schema";
import type { OperationHandler, OperationHandlers } from "@a2a/agent";
import { type ReplyRoute, type ServiceParams } from "@a2a/transport/binding";
import { ANONYMOUS, resultTask, TaskOwnership } from "../task-ownership.js";

/**
 * Where an MQTT agent that fronts another implementation sends its work: one call per
 * unary operation, one stream per streaming one. Errors of the backend are thrown as
 * `A2AProtocolError`s with the backend's code, so the MQTT client gets the same error.
 */
export interface Forwarder {
  call(method: A2AMethod, params: unknown, serviceParams: ServiceParams): Promise<unknown>;
  stream(method: "SendStreamingMessage" | "SubscribeToTask", params: unknown, serviceParams: ServiceParams): AsyncIterable<StreamResponse>;
}

const UNARY: Exclude<A2AMethod, "SendStreamingMessage" | "SubscribeToTask">[] = [
  "SendMessage",
  "GetTask",
  "ListTasks",
  "CancelTask",
  "CreateTaskPushNotificationConfig",
  "GetTaskPushNotificationConfig",
  "ListTaskPushNotificationConfigs",
  "DeleteTaskPushNotificationConfig",
  "GetExtendedAgentCard",
];

/**
 * The MQTT client behind a request: its reply route without the inbox level, which the
 * broker lets only that client read.
 */
function callerOf(route: ReplyRoute): string {
  const topic = route.replyTopic;
  if (topic === undefined) return ANONYMOUS;
  const cut = topic.lastIndexOf("/");
  return cut > 0 ? topic.slice(0, cut) : topic;
}

/**
 * Operation handlers for `A2AAgent` that forward every operation: the agent's request
 * intake (size limit, envelope, version, capability and params checks, de-duplication)
 * runs first, then the validated 1.0 params go to the backend. Every MQTT client reaches
 * the backend under one identity, so tasks are kept to the client that created them.
 */
export function forwardingOperations(forwarder: Forwarder, options: { maxTrackedTasks?: number } = {}): OperationHandlers {
  const tasks = new TaskOwnership(options.maxTrackedTasks);
  const check = (params: unknown, caller: string) => {
    const denied = tasks.denied(params, caller);
    if (denied !== undefined) throw A2AProtocolError.taskNotFound(denied);
  };
  const handlers: Partial<Record<A2AMethod, OperationHandler>> = {};
  for (const method of UNARY) {
    handlers[method] = {
      streaming: false,
      async handle(params, ctx) {
        const caller = callerOf(ctx.route);
        check(params, caller);
        const result = await forwarder.call(method, params, ctx.serviceParams);
        if (method === "ListTasks") return tasks.filterList(result, caller);
        tasks.remember(resultTask(result), caller);
        return result;
      },
    };
  }
  for (const method of ["SendStreamingMessage", "SubscribeToTask"] as const) {
    handlers[method] = {
      streaming: true,
      async handle(params, ctx) {
        const caller = callerOf(ctx.route);
        check(params, caller);
        const it = forwarder.stream(method, params, ctx.serviceParams)[Symbol.asyncIterator]();
        // The first event is awaited here, so a refusal is answered as an error, not a stream.
        const first = await it.next();
        const taskId = first.done ? undefined : taskIdOf(first.value);
        tasks.remember(taskId, caller);
        async function* events(): AsyncGenerator<StreamResponse> {
          try {
            if (first.done) return;
            yield first.value;
            for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
          } finally {
            await it.return?.();
          }
        }
        return taskId === undefined ? { events: events() } : { taskId, events: events() };
      },
    };
  }
  return handlers as OperationHandlers;
}

function taskIdOf(event: StreamResponse): string | undefined {
  const e = event as { task?: { id?: string }; statusUpdate?: { taskId?: string }; artifactUpdate?: { taskId?: string }; message?: { taskId?: string } };
  return e.task?.id ?? e.statusUpdate?.taskId ?? e.artifactUpdate?.taskId ?? e.message?.taskId;
}
