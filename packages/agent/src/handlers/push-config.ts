import { isTerminalState, A2AProtocolError, A2AErrorCode, errorData, type Task } from "@a2a/schema";
import type { OperationContext, OperationHandler } from "../operation.js";
import type { PushNotifier } from "../push/push-notifier.js";
import { visibleTask } from "./visible-task.js";

function notifier(ctx: OperationContext): PushNotifier {
  const push = ctx.services.push;
  if (push === undefined || ctx.services.card().capabilities.pushNotifications !== true) throw A2AProtocolError.pushNotificationNotSupported();
  return push;
}

function existingTask(ctx: OperationContext, taskId: string): Promise<Task> {
  return visibleTask(ctx, taskId);
}

/** CreateTaskPushNotificationConfig: the config with its id (assigned when absent); same id replaces. */
export const createTaskPushNotificationConfig: OperationHandler<"CreateTaskPushNotificationConfig"> = {
  streaming: false,
  async handle(params, ctx) {
    const push = notifier(ctx);
    const task = await existingTask(ctx, params.taskId);
    if (isTerminalState(task.status.state)) {
      throw A2AProtocolError.unsupportedOperation(`task ${params.taskId} is ${task.status.state}; it sends no more notifications`);
    }
    return push.create(params.taskId, params, { principal: ctx.principal });
  },
};

/** GetTaskPushNotificationConfig: -32001 when the task or the config does not exist. */
export const getTaskPushNotificationConfig: OperationHandler<"GetTaskPushNotificationConfig"> = {
  streaming: false,
  async handle(params, ctx) {
    const push = notifier(ctx);
    await existingTask(ctx, params.taskId);
    const config = push.get(params.taskId, params.id);
    if (config === undefined) {
      throw new A2AProtocolError({
        code: A2AErrorCode.TaskNotFound,
        message: `Push notification config ${params.id} not found for task ${params.taskId} (configs are removed when the task ends)`,
        data: errorData(A2AErrorCode.TaskNotFound, { taskId: params.taskId, configId: params.id }),
      });
    }
    return config;
  },
};

/** ListTaskPushNotificationConfigs: the task's configs in creation order, paged (opaque token). */
export const listTaskPushNotificationConfigs: OperationHandler<"ListTaskPushNotificationConfigs"> = {
  streaming: false,
  async handle(params, ctx) {
    const push = notifier(ctx);
    await existingTask(ctx, params.taskId);
    const all = push.list(params.taskId);
    let offset = 0;
    if (params.pageToken !== undefined && params.pageToken !== "") {
      const decoded = /^o:(\d{1,9})$/.exec(Buffer.from(params.pageToken, "base64url").toString("utf8"));
      if (decoded === null) {
        throw A2AProtocolError.invalidParams("pageToken is not one this agent issued", [{ path: "params.pageToken", message: "is invalid" }]);
      }
      offset = Number(decoded[1]);
    }
    const pageSize = params.pageSize ?? all.length;
    const configs = all.slice(offset, offset + Math.max(1, pageSize));
    const end = offset + configs.length;
    return { configs, nextPageToken: end < all.length ? Buffer.from(`o:${end}`).toString("base64url") : "" };
  },
};

/** DeleteTaskPushNotificationConfig: idempotent (an unknown config id of an existing task succeeds). */
export const deleteTaskPushNotificationConfig: OperationHandler<"DeleteTaskPushNotificationConfig"> = {
  streaming: false,
  async handle(params, ctx) {
    const push = notifier(ctx);
    await existingTask(ctx, params.taskId);
    push.delete(params.taskId, params.id);
    return {};
  },
};
