import { pushNotificationNotSupported, unsupportedOperation } from "@a2a/schema";
import { fromJsonRpcError } from "@a2a/transport/binding";
import type { OperationContext, OperationHandler } from "../operation.js";

function refuse(ctx: OperationContext): never {
  if (ctx.runtime.card().capabilities.pushNotifications !== true) throw fromJsonRpcError(pushNotificationNotSupported());
  throw fromJsonRpcError(unsupportedOperation("push notification configs are not served by this agent"));
}

/** The push notification config operations: -32003 unless the card declares push notifications. */
export const createTaskPushNotificationConfig: OperationHandler<"CreateTaskPushNotificationConfig"> = {
  streaming: false,
  handle: async (_params, ctx) => refuse(ctx),
};
export const getTaskPushNotificationConfig: OperationHandler<"GetTaskPushNotificationConfig"> = {
  streaming: false,
  handle: async (_params, ctx) => refuse(ctx),
};
export const listTaskPushNotificationConfigs: OperationHandler<"ListTaskPushNotificationConfigs"> = {
  streaming: false,
  handle: async (_params, ctx) => refuse(ctx),
};
export const deleteTaskPushNotificationConfig: OperationHandler<"DeleteTaskPushNotificationConfig"> = {
  streaming: false,
  handle: async (_params, ctx) => refuse(ctx),
};
