import type {
  AgentCard,
  CancelTaskParams,
  CreateTaskPushNotificationConfigParams,
  DeleteTaskPushNotificationConfigParams,
  GetExtendedAgentCardParams,
  GetTaskParams,
  GetTaskPushNotificationConfigParams,
  ListTaskPushNotificationConfigsParams,
  ListTaskPushNotificationConfigsResult,
  ListTasksParams,
  ListTasksResult,
  SendMessageResult,
  SubscribeToTaskParams,
  Task,
  TaskPushNotificationConfig,
} from "@a2a/schema";
import { AGENT_STATS_METHOD, type AgentStats } from "@a2a/transport/binding";
import type { AgentCalls } from "./call-runner.js";
import type { CallOptions, StreamOptions } from "./client-options.js";
import type { AgentInfo } from "./discovery.js";
import { toSendParams, userMessage, type MessageContent, type SendMessageInput } from "./messages.js";
import { parseStatsResult, RESULT_PARSERS, type Parse } from "./result-parsers.js";
import type { StreamEvent } from "./stream-event.js";
import { textOf } from "./results.js";

/** Options of `sendText`: what else the message holds, and how long to wait. */
export interface SendTextOptions extends CallOptions, Omit<MessageContent, "text" | "data" | "parts"> {}

/** A task by its id, or the operation's full params. */
type TaskRef<P extends { id: string }> = string | P;

const byId = <P extends { id: string }>(task: TaskRef<P>): P | { id: string } => (typeof task === "string" ? { id: task } : task);

/**
 * One agent, `org/agent`, on a client: the A2A operations, named as in A2A, without
 * repeating the agent id. Cheap to create (`client.agent(id)`); holds no resources.
 *
 * @example
 * const echo = client.agent("my-org/echo");
 * const result = await echo.sendMessage("hello");
 * console.log(textOf(result));
 */
export class AgentHandle {
  /** `org/agent`. */
  readonly id: string;
  readonly #calls: AgentCalls;

  /** @internal Use `client.agent(id)`, which checks the id. */
  constructor(calls: AgentCalls, id: string) {
    this.#calls = calls;
    this.id = id;
  }

  /** The agent's entry from its retained card, if one has been published. */
  info(options: { signal?: AbortSignal } = {}): Promise<AgentInfo | undefined> {
    return this.#calls.info(this.id, options.signal);
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
    return this.#unary("SendMessage", toSendParams(input), options);
  }

  /**
   * Sends `text` (blocking) and resolves with the text of the answer: the task's
   * artifacts, or its status message (e.g. an input-required question), or the reply
   * message. Use `sendMessage` to see the task's state.
   */
  async sendText(text: string, options: SendTextOptions = {}): Promise<string> {
    const { timeoutMs, signal, extensions, ...content } = options;
    const call: CallOptions = {};
    if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
    if (signal !== undefined) call.signal = signal;
    if (extensions !== undefined) call.extensions = extensions;
    const result = await this.#unary<SendMessageResult>("SendMessage", { message: userMessage({ ...content, text }) }, call);
    return textOf(result);
  }

  /**
   * SendStreamingMessage: first a Task (or one Message), then its status and artifact
   * updates until it ends. The request goes out when the iteration starts.
   */
  sendStreamingMessage(input: string | SendMessageInput, options?: StreamOptions): AsyncIterable<StreamEvent> {
    return this.#stream("SendStreamingMessage", toSendParams(input), options);
  }

  /** GetTask, by id or with `historyLength` (the last messages of its history). */
  getTask(task: TaskRef<GetTaskParams>, options?: CallOptions): Promise<Task> {
    return this.#unary("GetTask", byId(task), options);
  }

  /** ListTasks, newest status first. */
  listTasks(params: ListTasksParams = {}, options?: CallOptions): Promise<ListTasksResult> {
    return this.#unary("ListTasks", params, options);
  }

  /** CancelTask; resolves with the task (state canceled). */
  cancelTask(task: TaskRef<CancelTaskParams>, options?: CallOptions): Promise<Task> {
    return this.#unary("CancelTask", byId(task), options);
  }

  /** SubscribeToTask: first the current Task, then its updates until it ends. */
  subscribeToTask(task: TaskRef<SubscribeToTaskParams>, options?: StreamOptions): AsyncIterable<StreamEvent> {
    return this.#stream("SubscribeToTask", byId(task), options);
  }

  /**
   * CreateTaskPushNotificationConfig: a webhook (or `mqtt:///{topic}`) for the task's
   * events; resolves with the config and its assigned id.
   */
  createTaskPushNotificationConfig(config: CreateTaskPushNotificationConfigParams, options?: CallOptions): Promise<TaskPushNotificationConfig> {
    return this.#unary("CreateTaskPushNotificationConfig", config, options);
  }

  /** GetTaskPushNotificationConfig: `{ taskId, id }`. */
  getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigParams, options?: CallOptions): Promise<TaskPushNotificationConfig> {
    return this.#unary("GetTaskPushNotificationConfig", params, options);
  }

  /** ListTaskPushNotificationConfigs of a task, by its id or with paging params. */
  listTaskPushNotificationConfigs(
    task: string | ListTaskPushNotificationConfigsParams,
    options?: CallOptions,
  ): Promise<ListTaskPushNotificationConfigsResult> {
    return this.#unary("ListTaskPushNotificationConfigs", typeof task === "string" ? { taskId: task } : task, options);
  }

  /** DeleteTaskPushNotificationConfig: `{ taskId, id }`; succeeds when the config is already gone. */
  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigParams, options?: CallOptions): Promise<void> {
    await this.#unary("DeleteTaskPushNotificationConfig", params, options);
  }

  /** GetExtendedAgentCard: the extended (authenticated) card, when the agent offers one. */
  getExtendedAgentCard(params: GetExtendedAgentCardParams = {}, options?: CallOptions): Promise<AgentCard> {
    return this.#unary("GetExtendedAgentCard", params, options);
  }

  /**
   * The counters the agent reports about itself since it started (requests, tasks by
   * final state, running and queued, push deliveries, reconnects): the method
   * `a2a-mqtt/GetAgentStats`, beyond A2A (docs/observability.md). An agent that does not
   * serve it fails the call with -32601.
   */
  getAgentStats(options?: CallOptions): Promise<AgentStats> {
    return this.#calls.unary({ agentId: this.id, method: AGENT_STATS_METHOD, params: {}, options, parse: parseStatsResult }) as Promise<AgentStats>;
  }

  #unary<R>(method: keyof typeof RESULT_PARSERS, params: unknown, options: CallOptions | undefined): Promise<R> {
    const parse: Parse = RESULT_PARSERS[method];
    return this.#calls.unary({ agentId: this.id, method, params, options, parse }) as Promise<R>;
  }

  #stream(method: string, params: unknown, options: StreamOptions | undefined): AsyncIterable<StreamEvent> {
    const calls = this.#calls;
    const request = { agentId: this.id, method, params, options };
    return { [Symbol.asyncIterator]: () => calls.stream(request) };
  }
}
