import { randomBytes } from "node:crypto";
import {
  OPERATION_RESULTS,
  type A2AMethod,
  type AgentCard,
  type CancelTaskParams,
  type CreateTaskPushNotificationConfigParams,
  type DeleteTaskPushNotificationConfigParams,
  type GetExtendedAgentCardParams,
  type GetTaskParams,
  type GetTaskPushNotificationConfigParams,
  type ListTaskPushNotificationConfigsParams,
  type ListTaskPushNotificationConfigsResult,
  type ListTasksParams,
  type ListTasksResult,
  type OperationParams,
  type OperationResult,
  type SendMessageParams,
  type SendMessageResult,
  type StreamResponse,
  type SubscribeToTaskParams,
  type Task,
  type TaskPushNotificationConfig,
} from "@a2a/schema";
import { consoleLogger, createTopicScheme, type Logger, type TopicScheme, type Transport } from "@a2a/transport";
import { AgentHandle } from "./agent-handle.js";
import { AgentDirectory, type AgentEvent, type AgentInfo, type WatchOptions } from "./discovery.js";
import type { A2AClientOptions, AgentsOptions } from "./client-options.js";
import { createOwnedTransport } from "./owned-transport.js";
import { A2AClientError } from "./errors.js";
import { parseAgentId } from "./agent-id.js";
import { PendingRequests } from "./pending-requests.js";
import { PresenceGuard } from "./presence-guard.js";
import { RequestSender, resultParser, type CallOptions, type StreamOptions } from "./request-sender.js";
import { PoolRoutes } from "./pool-routes.js";
import { BearerTokens } from "./emqx/bearer-tokens.js";
import { ReplyInbox } from "./reply-inbox.js";
import { RawRequests } from "./raw-requests.js";
import { ClientTelemetry, parseStatsResult } from "./telemetry.js";
import { AGENT_STATS_METHOD, type AgentStats } from "@a2a/transport/binding";
import { EmqxSession, emqxTarget } from "./emqx/emqx-session.js";

export type { CallOptions, StreamOptions } from "./request-sender.js";

export type { A2AClientOptions, AgentsOptions } from "./client-options.js";

/**
 * A client of A2A agents on an MQTT broker. One instance holds one connection, one
 * reply subscription and one table of pending calls; share it across the process.
 *
 * @example
 * const client = new A2AClient({ broker: "mqtt://localhost:1883" });
 * const echo = client.agent("my-org/echo");
 * console.log(await echo.sendText("hello"));
 * await client.close();
 */
export class A2AClient {
  readonly #options: A2AClientOptions;
  readonly #topics: TopicScheme;
  readonly #pending = new PendingRequests();
  readonly #timeoutMs: number;
  #transport: Transport | undefined;
  #ownsTransport: boolean;
  #directory: AgentDirectory | undefined;
  #presence: PresenceGuard | undefined;
  #inbox: ReplyInbox | undefined;
  #pool: PoolRoutes | undefined;
  #sender: RequestSender | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #discoveryError: unknown;
  #raw: RawRequests | undefined;
  readonly #clientId: string;
  readonly #telemetry: ClientTelemetry;
  #unwatch: (() => void) | undefined;
  /** The EMQX profile's connection and requester, when `emqx` is set (docs/emqx-profile.md). */
  #emqx: EmqxSession | undefined;

  constructor(options: A2AClientOptions) {
    this.#options = options;
    this.#telemetry = new ClientTelemetry({
      tracerProvider: options.tracerProvider,
      meterProvider: options.meterProvider,
      logger: options.logger ?? consoleLogger(),
    });
    this.#topics = createTopicScheme({ prefix: options.topicPrefix ?? "" });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    if (typeof options.broker === "string") {
      this.#ownsTransport = true;
      this.#clientId = options.clientId ?? `a2a-client-${randomBytes(6).toString("hex")}`;
    } else {
      this.#ownsTransport = false;
      this.#transport = options.broker;
      this.#clientId = options.broker.clientId;
    }
    // Fails here, not on the first call, when the id cannot be a topic level.
    this.#topics.repliesFilter(this.#clientId);
  }

  /** Creates a client and waits until it is connected. */
  static async connect(options: A2AClientOptions & { signal?: AbortSignal }): Promise<A2AClient> {
    const client = new A2AClient(options);
    await client.connect({ signal: options.signal });
    return client;
  }

  /** The MQTT client id (also the reply topic's `{clientId}` level). */
  get clientId(): string {
    return this.#clientId;
  }

  /**
   * Connects (when the client owns the connection), subscribes to the reply inbox and
   * starts discovery. Idempotent; every call does it on first use anyway.
   */
  connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#connecting ??= this.#open(options.signal);
    return this.#connecting;
  }

  async #open(signal?: AbortSignal): Promise<void> {
    try {
      const transport = this.#transport ?? (await createOwnedTransport(this.#options, this.#clientId, this.#telemetry.logger));
      if (this.#closed) throw closedError();
      this.#transport = transport;
      if (this.#ownsTransport) this.#unwatch = this.#telemetry.watch(transport);
      await transport.connect({ signal });
      if (this.#closed) {
        // close() ran while connecting and could not close what was not there yet.
        if (this.#ownsTransport) await transport.close();
        throw closedError();
      }
      const replyTopic = this.#topics.replies(this.#clientId, randomBytes(6).toString("hex"));
      this.#pool = new PoolRoutes({ transport, topics: this.#topics, pending: this.#pending });
      this.#inbox = new ReplyInbox({
        transport,
        topic: replyTopic,
        pending: this.#pending,
        maxPayloadBytes: this.#options.maxPayloadBytes,
        pool: this.#pool,
      });
      await this.#inbox.start();
      if (this.#options.discovery !== false) {
        this.#presence = new PresenceGuard({
          transport,
          graceMs: this.#options.offlineGraceMs ?? 10_000,
          isOffline: (id) => this.#directory?.get(id)?.status === "offline",
          failAgent: (id) => this.#failAgent(id),
          pingBroker: () => this.#pingBroker(transport),
        });
        const directory = new AgentDirectory({
          transport,
          topics: this.#topics,
          orgs: this.#options.discoveryOrgs,
          onEvent: (event) => this.#onAgentEvent(event),
        });
        try {
          await directory.start();
          this.#directory = directory;
        } catch (error) {
          // E.g. the ACL forbids reading discovery/#: calls still work, without presence.
          this.#discoveryError = error;
        }
      }
      this.#sender = new RequestSender({
        transport,
        topics: this.#topics,
        pending: this.#pending,
        replyTopic,
        directory: this.#directory,
        judgingOffline: (id) => this.#presence?.judging(id) === true,
        timeoutMs: this.#timeoutMs,
        telemetry: this.#telemetry,
        pool: this.#pool,
        tokens: new BearerTokens({ ...this.#options, brokerUrl: typeof this.#options.broker === "string" ? this.#options.broker : undefined }),
      });
      const { emqx, username, password, maxPayloadBytes } = this.#options;
      if (emqx) {
        const profileBroker = emqx.broker ?? this.#options.broker;
        const tokens = new BearerTokens({ ...this.#options, brokerUrl: typeof profileBroker === "string" ? profileBroker : undefined });
        this.#emqx = await EmqxSession.open({ emqx, broker: this.#options.broker, username, password, maxPayloadBytes, logger: this.#telemetry.logger, signal, tokens });
      }
    } catch (error) {
      this.#connecting = undefined;
      throw error;
    }
  }

  #onAgentEvent(event: AgentEvent): void {
    // Only "offline" (the will: the connection died) ends calls in flight, and around a
    // reconnect of this client only once the agent stayed offline (see PresenceGuard). A
    // removed card means a graceful stop, during which the agent still finishes and
    // answers the tasks it is running.
    this.#presence?.onAgentEvent(event);
  }

  /**
   * A SUBSCRIBE and its SUBACK. The filter is a fresh level under this client's reply
   * topic, which any broker ACL that lets the client pick a new inbox must allow, and
   * which matches no message.
   */
  async #pingBroker(transport: Transport): Promise<void> {
    const probe = this.#topics.replies(this.#clientId, `ping-${randomBytes(6).toString("hex")}`);
    const subscription = await transport.subscribe(probe, () => undefined, { qos: 0 });
    void subscription.unsubscribe().catch(() => undefined);
  }

  #failAgent(id: string): void {
    this.#pending.failAgent(
      id,
      () => new A2AClientError("AGENT_OFFLINE", `Agent ${id} went offline before answering; retry when it is back online.`),
    );
  }


  /** Closes the client: pending calls fail with CLOSED; an owned connection is closed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#presence?.close();
    this.#sender?.close();
    this.#unwatch?.();
    this.#pending.failAll(() => closedError());
    await this.#emqx?.close().catch(() => undefined);
    const opening = this.#connecting?.catch(() => undefined);
    if (this.#ownsTransport) {
      // Closing the connection also ends a connect() still in progress.
      await Promise.allSettled([this.#directory?.close()]); // ends the watches
      await this.#transport?.close();
      await opening;
    } else {
      // A shared transport stays open: remove exactly our subscriptions.
      await opening;
      await Promise.allSettled([this.#directory?.close(), this.#inbox?.close(), this.#pool?.close()]);
    }
  }

  // ---- discovery -------------------------------------------------------------------

  async #loadedDirectory(signal?: AbortSignal): Promise<AgentDirectory> {
    await this.connect({ signal });
    if (!this.#directory) {
      if (this.#discoveryError !== undefined) {
        throw new Error("Subscribing to the discovery topics failed (does the broker ACL allow reading them?).", {
          cause: this.#discoveryError,
        });
      }
      throw new Error("Discovery is turned off for this client (discovery: false); create it with discovery enabled.");
    }
    await this.#directory.load(signal);
    return this.#directory;
  }

  /** The agents known from their retained cards, after those have arrived. */
  async agents(options: AgentsOptions = {}): Promise<AgentInfo[]> {
    const { signal, ...query } = options;
    if (this.#options.emqx !== undefined && this.#options.discovery === false) return (await this.#profile()).agents(query);
    const ours = (await this.#loadedDirectory(signal)).list(query);
    return this.#emqx === undefined ? ours : [...ours, ...(await this.#emqx.agents(query))];
  }

  /** Agents offering a skill (id or name) and/or a tag. @example client.findAgents({ tag: "translation" }) */
  findAgents(query: AgentsOptions): Promise<AgentInfo[]> {
    return this.agents(query);
  }

  /**
   * Agent events (`online`, `offline`, `updated`, `removed`) as an async iterable,
   * starting with one event per agent already known. Stop it with `signal` or `break`.
   */
  watchAgents(options: WatchOptions = {}): AsyncIterable<AgentEvent> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const directory = await self.#loadedDirectory(options.signal);
        yield* directory.watch(options);
      },
    };
  }

  /** A handle bound to one agent, `"org/agent"`. */
  agent(id: string): AgentHandle {
    if (emqxTarget(this.#options.emqx, id) === undefined) parseAgentId(id);
    return new AgentHandle(this, id);
  }

  /**
   * Requests passed through unchanged on this client's connection (gateways, proxies):
   * see {@link RawRequests}.
   */
  async rawRequests(): Promise<RawRequests> {
    await this.connect();
    if (this.#inbox === undefined || this.#transport === undefined) throw closedError();
    return (this.#raw ??= new RawRequests({
      transport: this.#transport,
      topics: this.#topics,
      pending: this.#pending,
      replyTopic: this.#inbox.topic,
      directory: this.#directory,
      timeoutMs: this.#timeoutMs,
    }));
  }

  // ---- operations ------------------------------------------------------------------

  async #profile(): Promise<EmqxSession> {
    await this.connect();
    if (!this.#emqx) throw closedError();
    return this.#emqx;
  }

  async #send(): Promise<RequestSender> {
    await this.connect();
    if (!this.#sender) throw closedError();
    return this.#sender;
  }

  /** Sends any unary A2A method and returns its validated result. */
  request<M extends Exclude<A2AMethod, "SendStreamingMessage" | "SubscribeToTask">>(
    agent: string,
    method: M,
    params: OperationParams<M>,
    options: CallOptions = {},
  ): Promise<OperationResult<M>> {
    // Once connected, the request goes out now, without waiting for connect() again.
    try {
      if (this.#closed) throw closedError();
      const parse = RESULT_PARSERS[method];
      const profile = emqxTarget(this.#options.emqx, agent);
      if (profile !== undefined) return this.#profile().then((s) => s.call(profile, method, params, options, parse) as Promise<OperationResult<M>>);
      const sender = this.#sender;
      if (sender !== undefined) return sender.call(agent, method, params, options, parse) as Promise<OperationResult<M>>;
      return this.#send().then((s) => s.call(agent, method, params, options, parse) as Promise<OperationResult<M>>);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The counters an agent reports about itself since it started (requests, tasks by
   * final state, running and queued, push deliveries, reconnects): the method
   * `a2a-mqtt/GetAgentStats`, beyond A2A (docs/observability.md). An agent that does
   * not serve it fails the call with -32601.
   */
  getAgentStats(agent: string, options: CallOptions = {}): Promise<AgentStats> {
    return this.#send().then((s) => s.call(agent, AGENT_STATS_METHOD, {}, options, parseStatsResult) as Promise<AgentStats>);
  }

  /** Sends a streaming A2A method; the events arrive in order as an async iterable. */
  openStream(
    agent: string,
    method: "SendStreamingMessage" | "SubscribeToTask",
    params: SendMessageParams | SubscribeToTaskParams,
    options: StreamOptions = {},
  ): AsyncIterable<StreamResponse> {
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        if (self.#closed) throw closedError();
        // The request goes out on the first next(), so an unused stream costs nothing.
        let inner: AsyncIterator<StreamResponse> | undefined;
        const profile = emqxTarget(self.#options.emqx, agent);
        const open = async () =>
          profile === undefined ? (await self.#send()).stream(agent, method, params, options) : (await self.#profile()).stream(profile, method, params, options);
        const start = async () => (inner ??= (await open())[Symbol.asyncIterator]());
        return {
          // Once the stream is open each event is handed on without another promise.
          next: () => (inner !== undefined ? inner.next() : start().then((it) => it.next())),
          return: async () => {
            await inner?.return?.();
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  /**
   * SendMessage. Blocking by default: resolves when the task is terminal or interrupted
   * (set `configuration.returnImmediately` to get the task as soon as it exists).
   */
  sendMessage(agent: string, params: SendMessageParams, options?: CallOptions): Promise<SendMessageResult> {
    return this.request(agent, "SendMessage", params, options);
  }

  /** SendStreamingMessage: first a Task (or one Message), then its updates until it ends. */
  sendStreamingMessage(agent: string, params: SendMessageParams, options?: StreamOptions): AsyncIterable<StreamResponse> {
    return this.openStream(agent, "SendStreamingMessage", params, options);
  }

  /** GetTask, with the last `historyLength` messages of its history. */
  getTask(agent: string, params: GetTaskParams, options?: CallOptions): Promise<Task> {
    return this.request(agent, "GetTask", params, options);
  }

  /** ListTasks, newest status first. */
  listTasks(agent: string, params: ListTasksParams = {}, options?: CallOptions): Promise<ListTasksResult> {
    return this.request(agent, "ListTasks", params, options);
  }

  /** CancelTask; resolves with the task (state canceled). */
  cancelTask(agent: string, params: CancelTaskParams, options?: CallOptions): Promise<Task> {
    return this.request(agent, "CancelTask", params, options);
  }

  /** SubscribeToTask: first the current Task, then its updates until it ends. */
  subscribeToTask(agent: string, params: SubscribeToTaskParams, options?: StreamOptions): AsyncIterable<StreamResponse> {
    return this.openStream(agent, "SubscribeToTask", params, options);
  }

  createTaskPushNotificationConfig(
    agent: string,
    params: CreateTaskPushNotificationConfigParams,
    options?: CallOptions,
  ): Promise<TaskPushNotificationConfig> {
    return this.request(agent, "CreateTaskPushNotificationConfig", params, options);
  }

  getTaskPushNotificationConfig(
    agent: string,
    params: GetTaskPushNotificationConfigParams,
    options?: CallOptions,
  ): Promise<TaskPushNotificationConfig> {
    return this.request(agent, "GetTaskPushNotificationConfig", params, options);
  }

  listTaskPushNotificationConfigs(
    agent: string,
    params: ListTaskPushNotificationConfigsParams,
    options?: CallOptions,
  ): Promise<ListTaskPushNotificationConfigsResult> {
    return this.request(agent, "ListTaskPushNotificationConfigs", params, options);
  }

  async deleteTaskPushNotificationConfig(
    agent: string,
    params: DeleteTaskPushNotificationConfigParams,
    options?: CallOptions,
  ): Promise<void> {
    await this.request(agent, "DeleteTaskPushNotificationConfig", params, options);
  }

  getExtendedAgentCard(agent: string, params: GetExtendedAgentCardParams = {}, options?: CallOptions): Promise<AgentCard> {
    return this.request(agent, "GetExtendedAgentCard", params, options);
  }
}

/** The result check of each method, made once. */
const RESULT_PARSERS = Object.fromEntries(
  Object.entries(OPERATION_RESULTS).map(([method, schema]) => [method, resultParser(schema)]),
) as Record<A2AMethod, ReturnType<typeof resultParser>>;

function closedError(): A2AClientError {
  return new A2AClientError("CLOSED", "The A2A client is closed; create a new one to make more calls.");
}
