import type { OperationHandlers } from "../operation.js";
import { cancelTask } from "./cancel-task.js";
import { getExtendedAgentCard } from "./get-extended-agent-card.js";
import { getTask } from "./get-task.js";
import { listTasks } from "./list-tasks.js";
import {
  createTaskPushNotificationConfig,
  deleteTaskPushNotificationConfig,
  getTaskPushNotificationConfig,
  listTaskPushNotificationConfigs,
} from "./push-config.js";
import { sendMessage } from "./send-message.js";
import { sendStreamingMessage } from "./send-streaming-message.js";
import { subscribeToTask } from "./subscribe-to-task.js";

/** The handler of every A2A operation; replace entries to extend the agent. */
export function defaultHandlers(): OperationHandlers {
  return {
    SendMessage: sendMessage,
    SendStreamingMessage: sendStreamingMessage,
    GetTask: getTask,
    ListTasks: listTasks,
    CancelTask: cancelTask,
    SubscribeToTask: subscribeToTask,
    CreateTaskPushNotificationConfig: createTaskPushNotificationConfig,
    GetTaskPushNotificationConfig: getTaskPushNotificationConfig,
    ListTaskPushNotificationConfigs: listTaskPushNotificationConfigs,
    DeleteTaskPushNotificationConfig: deleteTaskPushNotificationConfig,
    GetExtendedAgentCard: getExtendedAgentCard,
  };
}
