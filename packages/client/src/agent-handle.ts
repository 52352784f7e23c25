import type {
  AgentCard,
  CancelTaskParams,
  CreateTaskPushNotificationConfigParams,
  GetTaskParams,
  ListTaskPushNotificationConfigsParams,
  ListTaskPushNotificationConfigsResult,
  ListTasksParams,
  ListTasksResult,
  SendMessageResult,
  StreamResponse,
  Task,
  TaskPushNotificationConfig,
} from "@a2a/schema";
import type { A2AClient } from "./client.js";
import type { AgentInfo } from "./discovery.js";
import { toSendParams, userMessage, type MessageContent, type SendMessageInput } from "./messages.js";
import type { CallOptions, StreamOptions } from "./request-sender.js";
import { textOf } from "./results.js";

/** Options of `sendText`: where the text goes and how long to wait. */
export interface SendTextOptions extends CallOptions, Omit<MessageContent, "text" | "data" | "parts"> {}

/**
 * One agent, `org/agent`, bound to a client: the A2A operations without repeating the
 * agent id. Cheap to create; holds no resources of its own.
 *
 * @example
 * const echo = client.agent("my-org/echo");
 * const result = await echo.sendMessage("hello");
 * console.log(textOf(result));
 */
export class AgentHandle {
  readonly #client: A2AClient;
  /** `org/agent`. */
  readonly id: string;

  constructor(client: A2AClient, id: string) {
    this.#client = client;
    this.id = id;
  }

  /** The agent's entry from its retained card, if one has been published. */
  async info(options: { signal?: AbortSignal } = {}): Promise<AgentInfo | undefined> {
    const agents = await this.#client.agents(options);
    return agents.find((a) => a.id === this.id);
  }

  /** The agent's public card from discovery, if one has been published. */
  async card(options: { signal?: AbortSignal } = {}): Promise<AgentCard | undefined> {
    return (await this.info(options))?.card;
  }

  /**
   * SendMessage; a string becomes a text message. Blocking by default (resolves when the
   * task is terminal or interrupted); pass `configuration: { returnImmediately: true }`
   * to get the task as soon as it exists.
   */
  sendMessage(input: string | SendMessageInput, options?: CallOptions): Promise<SendMessageResult> {
    return this.#client.sendMessage(this.id, toSendParams(input), options);
  }

  /**
   * Sends `text` (blocking) and resolves with the text of the answer: the task's
   * artifacts, or its status message (e.g. an input-required question), or the reply
   * message. Use `sendMessage` to see the task's state.
   */
  async sendText(text: string, options: SendTextOptions = {}): Promise<string> {
    const { timeoutMs, signal, extensions, bearerToken, ...content } = options;
    const call: CallOptions = {};
    if (bearerToken !== undefined) call.bearerToken = bearerToken;
    if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
    if (signal !== undefined) call.signal = signal;
    if (extensions !== undefined) call.extensions = extensions;
    const result = await this.#client.sendMessage(this.id, { message: userMessage({ ...content, text }) }, call);
    return textOf(result);
  }

  /** SendStreamingMessage: the task, then its status and artifact updates until it ends. */
  stream(input: string | SendMessageInput, options?: StreamOptions): AsyncIterable<StreamResponse> {
    return this.#client.sendStreamingMessage(this.id, toSendParams(input), options);
  }

  /** GetTask by id; `historyLength` limits the history returned. */
  getTask(id: string, options: CallOptions & Omit<GetTaskParams, "id"> = {}): Promise<Task> {
    const { timeoutMs, signal, extensions, bearerToken, ...params } = options;
    return this.#client.getTask(this.id, { ...params, id }, { timeoutMs, signal, extensions, bearerToken });
  }

  /** CancelTask by id. */
  cancelTask(id: string, options: CallOptions & Omit<CancelTaskParams, "id"> = {}): Promise<Task> {
    const { timeoutMs, signal, extensions, bearerToken, ...params } = options;
    return this.#client.cancelTask(this.id, { ...params, id }, { timeoutMs, signal, extensions, bearerToken });
  }

  /** SubscribeToTask by id: the current task, then its updates until it ends. */
  subscribe(id: string, options?: StreamOptions): AsyncIterable<StreamResponse> {
    return this.#client.subscribeToTask(this.id, { id }, options);
  }

  /** ListTasks, newest first. */
  listTasks(params: ListTasksParams = {}, options?: CallOptions): Promise<ListTasksResult> {
    return this.#client.listTasks(this.id, params, options);
  }

  /** The extended (authenticated) card, when the agent offers one. */
  extendedCard(options?: CallOptions): Promise<AgentCard> {
    return this.#client.getExtendedAgentCard(this.id, {}, options);
  }

  /**
   * CreateTaskPushNotificationConfig: a webhook (or `mqtt:///{topic}`) for the task's
   * events; resolves with the config and its assigned id.
   */
  createPushConfig(config: CreateTaskPushNotificationConfigParams, options?: CallOptions): Promise<TaskPushNotificationConfig> {
    return this.#client.createTaskPushNotificationConfig(this.id, config, options);
  }

  /** GetTaskPushNotificationConfig. */
  getPushConfig(taskId: string, id: string, options?: CallOptions): Promise<TaskPushNotificationConfig> {
    return this.#client.getTaskPushNotificationConfig(this.id, { taskId, id }, options);
  }

  /** ListTaskPushNotificationConfigs of a task. */
  listPushConfigs(
    taskId: string,
    params: Omit<ListTaskPushNotificationConfigsParams, "taskId"> = {},
    options?: CallOptions,
  ): Promise<ListTaskPushNotificationConfigsResult> {
    return this.#client.listTaskPushNotificationConfigs(this.id, { ...params, taskId }, options);
  }

  /** DeleteTaskPushNotificationConfig; succeeds when the config is already gone. */
  deletePushConfig(taskId: string, id: string, options?: CallOptions): Promise<void> {
    return this.#client.deleteTaskPushNotificationConfig(this.id, { taskId, id }, options);
  }
}
