import type { A2AMethod, StreamResponse } from "@a2a/schema";
import type { OperationHandler, OperationHandlers } from "@a2a/agent";
import type { ServiceParams } from "@a2a/transport/binding";

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
 * Operation handlers for `A2AAgent` that forward every operation: the agent's request
 * intake (size limit, envelope, version, capability and params checks, de-duplication)
 * runs first, then the validated 1.0 params go to the backend.
 */
export function forwardingOperations(forwarder: Forwarder): OperationHandlers {
  const handlers: Partial<Record<A2AMethod, OperationHandler>> = {};
  for (const method of UNARY) {
    handlers[method] = { streaming: false, handle: (params, ctx) => forwarder.call(method, params, ctx.serviceParams) } as OperationHandler;
  }
  for (const method of ["SendStreamingMessage", "SubscribeToTask"] as const) {
    handlers[method] = {
      streaming: true,
      async handle(params, ctx) {
        const it = forwarder.stream(method, params, ctx.serviceParams)[Symbol.asyncIterator]();
        // The first event is awaited here, so a refusal is answered as an error, not a stream.
        const first = await it.next();
        const taskId = first.done ? undefined : taskIdOf(first.value);
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
    } as OperationHandler;
  }
  return handlers as OperationHandlers;
}

function taskIdOf(event: StreamResponse): string | undefined {
  const e = event as { task?: { id?: string }; statusUpdate?: { taskId?: string }; artifactUpdate?: { taskId?: string }; message?: { taskId?: string } };
  return e.task?.id ?? e.statusUpdate?.taskId ?? e.artifactUpdate?.taskId ?? e.message?.taskId;
}
