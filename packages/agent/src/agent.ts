import type { AgentCard, StreamResponse } from "@a2a/schema";
import { consoleLogger, createTopicScheme, type Logger, type Subscription, type Transport, type WillMessage } from "@a2a/transport";
import { MqttTransport, type MqttTransportOptions } from "@a2a/transport/mqtt";
import {
  AGENT_STATS_METHOD,
  DEFAULT_MAX_PAYLOAD_BYTES,
  decodeRequest,
  PRESENCE_WILL_EXPIRY_SECONDS,
  presenceUserProperties,
  withPresence,
  type DecodedRequest,
  type PresenceStatus,
  type ReplyRoute,
} from "@a2a/transport/binding";
import { BoundedCache } from "./bounded-cache.js";
import { budgetedPublishes, MemoryBudget } from "./memory-budget.js";
import { buildAgentCard, withMqttInterface, type CardOptions } from "./card.js";
import { ResumeWindows, type ResumeWindowOptions } from "./event-window.js";
import { CompactRequestHandler } from "./compact.js";
import { defaultHandlers } from "./handlers/index.js";
import { InMemoryTaskStore } from "./in-memory-task-store.js";
import type { OperationHandlers } from "./operation.js";
import { PoolMembership, type AgentPoolOptions } from "./pool.js";
import { PushNotifier, type PushNotificationOptions } from "./push/push-notifier.js";
import type { StoredPushConfig } from "./push/push-config-store.js";
import { failUnfinishedTasks } from "./recover-tasks.js";
import { replyRoutePrincipal, TaskAccess } from "./principal.js";
import { Replier } from "./replier.js";
import { ReplyRoutePolicy } from "./reply-route-policy.js";
import { RequestDispatcher, type CachedOutcome } from "./request-dispatcher.js";
import type { AgentRuntime } from "./runtime.js";
import { toRegisteredSkill, toolToSkill, type RegisteredSkill, type SkillDefinition, type ToolOptions } from "./skill.js";
import { TaskLimiter } from "./task-limiter.js";
import { TaskManager } from "./task-manager.js";
import type { TaskStore } from "./task-store.js";
import type { AgentStats } from "./telemetry/agent-metrics.js";
import { AgentTelemetry, type ReplyObserver } from "./telemetry/agent-telemetry.js";
import type { AgentObservabilityOptions } from "./telemetry/options.js";

export interface A2AAgentOptions extends CardOptions, AgentObservabilityOptions {
  /**
   * The broker URL (`mqtt://host:1883`, `mqtts://`, `ws://`, `wss://`): the agent then
   * owns an MqttTransport with a stable client id and a persistent session. Or an
   * existing Transport, which the agent uses but never closes (configure its will
   * with {@link A2AAgent.offlineWill} yourself).
   */
  broker: string | Transport;
  /** @default `a2a-agent.{orgId}.{agentId}`: stable, so the persistent session is found again, and one topic level, so an `A2AClient` can share the agent's connection (its replies topic is `replies/{clientId}/...`) */
  clientId?: string;
  /** Further options of the owned MqttTransport (credentials, TLS, protocol version). */
  mqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "clean" | "will">;
  /** @default "" (see docs/binding.md) */
  topicPrefix?: string;
  /** Skill handlers running at the same time. @default 64 */
  maxConcurrentTasks?: number;
  /** Tasks waiting for a free slot; more are refused with a clear error. @default 1024 */
  maxQueuedTasks?: number;
  /** @default a new InMemoryTaskStore (10,000 tasks, terminal tasks kept one hour) */
  taskStore?: TaskStore;
  /** How long `ctx.requestInput()` waits by default. @default 600000 (10 minutes) */
  inputTimeoutMs?: number;
  /** How long `stop()` lets running tasks finish before aborting them. @default 10000 */
  stopGracePeriodMs?: number;
  /** Largest request payload served. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
  /** How long a request is remembered to answer its repeats. @default 600000 (10 minutes) */
  dedupWindowMs?: number;
  /** Most requests remembered for de-duplication. @default 10000 */
  dedupMaxEntries?: number;
  /**
   * Most bytes of remembered replies (and request keys) kept for de-duplication; the
   * oldest are forgotten first, so large replies or hostile request ids cannot exhaust memory.
   * @default 67108864 (64 MiB)
   */
  dedupMaxBytes?: number;
  /**
   * The recent events kept per streamed task so that a client that lost its stream
   * resumes it (docs/binding.md section 5.1), bounded per task and in all, in count and
   * bytes; `false` keeps none (streams are then not numbered and cannot be resumed).
   */
  resumeWindow?: ResumeWindowOptions | false;
  /**
   * One bound, in bytes, on what the agent holds for its clients: tasks in the store,
   * remembered replies, queued push notifications, stream buffers and the event windows
   * that resume streams. When new work needs room, ended tasks' event windows are dropped,
   * then remembered replies are forgotten oldest first, then terminal tasks evicted oldest
   * first; when that is not enough, new tasks are refused with -32603 "at capacity" (a rejected Task Result
   * for compact requests). Sizes are estimated (JSON length plus overhead).
   * @default 67108864 (64 MiB: with it, 3,000 requests of 900 KB in a row peak below 400 MB RSS)
   */
  memoryBudgetBytes?: number;
  /** Events buffered per stream before a slow stream is cut off. @default 1024 */
  maxBufferedEvents?: number;
  /**
   * Tasks visible only to the principal that created them (the client id of the reply
   * route, see docs/binding.md §6.1): GetTask, ListTasks, CancelTask, SubscribeToTask,
   * push configs and follow-up messages of other principals' tasks answer -32001. Turn
   * off only for single-tenant deployments where every client may see every task.
   * @default true
   */
  scopeTasks?: boolean;
  /**
   * Reply topics outside the reply namespace (`{prefix}replies/{clientId}/{inbox}`) the
   * agent may publish replies and `mqtt:///` push notifications to. `$` topics and the
   * agent's own topics are refused whatever this says. A request with a refused reply
   * topic is reported to `onError` and dropped (no reply is possible).
   * @default none: only the reply namespace
   */
  allowReplyTopic?: (topic: string) => boolean;
  /** Replaces the handlers of some operations (e.g. push notification configs). */
  operations?: Partial<OperationHandlers>;
  /** Failures no request can be told about (publishing, stores). @default `logger.error` */
  onError?: (error: unknown) => void;
  /**
   * Webhook and delivery settings, used when `pushNotifications` is true (see
   * docs/binding.md, "Push notifications"). Loopback and private addresses are refused
   * unless allowed here.
   */
  push?: PushNotificationOptions;
  /**
   * The extended agent card served by GetExtendedAgentCard: a card, or a function of
   * the public card. Setting it declares `capabilities.extendedAgentCard`. Who may read
   * it is decided by the broker's ACL on the tasks topic.
   */
  extendedCard?: AgentCard | ((card: AgentCard) => AgentCard | Promise<AgentCard>);
  /**
   * Serve as one instance of a pool: several processes of this agent share its requests
   * over an MQTT 5 shared subscription, and each answers the follow-ups of its own tasks
   * (docs/binding.md, "Agent pools"). Needs MQTT 5 (mosquitto, EMQX, HiveMQ).
   * @default undefined (a single instance)
   */
  pool?: AgentPoolOptions;
  /**
   * A complete Agent Card to publish instead of one built from these options and the
   * skills, with this agent's MQTT interface added first: for an agent whose work is
   * done elsewhere through `operations` (a proxy of an HTTP agent). Skills are then optional.
   */
  card?: AgentCard;
}

type AgentState = "idle" | "starting" | "running" | "stopping" | "stopped";

/**
 * An A2A agent served over MQTT: publishes its retained Agent Card, takes JSON-RPC and
 * compact Task Requests on `{org}/{agent}/tasks`, and runs them through its skills.
 * @example
 * const agent = new A2AAgent({ orgId: "my-org", agentId: "agent-001", name: "Echo Agent",
 *   description: "Echoes messages", broker: "mqtt://localhost:1883" });
 * agent.registerTool(function echo(params) { return `Echo: ${params.message}`; });
 * await agent.start();
 */
export class A2AAgent {
  readonly orgId: string;
  readonly agentId: string;
  readonly taskStore: TaskStore;
  readonly #options: A2AAgentOptions;
  readonly #skills = new Map<string, RegisteredSkill>();
  readonly #topics: ReturnType<typeof createTopicScheme>;
  readonly #limiter: TaskLimiter;
  readonly #manager: TaskManager;
  readonly #onError: (error: unknown) => void;
  /** Requests being served, and who waits for there to be none. */
  #inflight = 0;
  #idle: Array<() => void> = [];
  #state: AgentState = "idle";
  #presence: PresenceStatus = "online";
  #transport: Transport | undefined;
  #subscription: Subscription | undefined;
  #unlisten: (() => void) | undefined;
  #unwatch: (() => void) | undefined;
  #dispatcher: RequestDispatcher | undefined;
  #compact: CompactRequestHandler | undefined;
  #card: AgentCard | undefined;
  readonly #push: PushNotifier | undefined;
  readonly #telemetry: AgentTelemetry;
  /** The logger given in the options (or the default). */
  readonly logger: Logger;
  readonly #windows: ResumeWindows | undefined;
  readonly #pool: PoolMembership | undefined;
  readonly #routes: ReplyRoutePolicy;
  readonly #budget: MemoryBudget;

  constructor(options: A2AAgentOptions) {
    this.#options = options;
    this.orgId = options.orgId;
    this.agentId = options.agentId;
    this.#topics = createTopicScheme({ prefix: options.topicPrefix ?? "" });
    // Validates both ids now rather than at start().
    this.#topics.tasks(options.orgId, options.agentId);
    this.logger = options.logger ?? consoleLogger();
    this.#limiter = new TaskLimiter({ maxRunning: options.maxConcurrentTasks ?? 64, maxQueued: options.maxQueuedTasks ?? 1024 });
    const limiter = this.#limiter;
    this.#telemetry = new AgentTelemetry({
      agentId: `${options.orgId}/${options.agentId}`,
      tasksTopic: this.tasksTopic,
      tracerProvider: options.tracerProvider,
      meterProvider: options.meterProvider,
      logger: this.logger,
      // The memory budget is made below; the gauge reads it only later.
      gauges: { running: () => limiter.running, queued: () => limiter.queued, memoryUsed: options.memoryUsed ?? (() => this.#budget.used) },
    });
    this.#onError = options.onError ?? this.#telemetry.reportError;
    this.taskStore = options.taskStore ?? new InMemoryTaskStore();
    this.#budget = new MemoryBudget({ maxBytes: options.memoryBudgetBytes });
    const ownTopics = [this.discoveryTopic, this.tasksTopic, this.resultsTopic];
    this.#routes = new ReplyRoutePolicy({ topics: this.#topics, ownTopics, allow: options.allowReplyTopic });
    if (options.pool !== undefined) {
      this.#pool = new PoolMembership({
        ...options.pool,
        topics: this.#topics,
        tasksTopic: this.tasksTopic,
        discoveryTopic: this.discoveryTopic,
        onError: this.#onError,
      });
    }
    if (options.pushNotifications === true) {
      const telemetry = this.#telemetry;
      this.#push = new PushNotifier({
        ...options.push,
        observe: (taskId, configId, target, attempt) => telemetry.observePush(taskId, configId, target, attempt),
        onError: this.#onError,
        forbiddenTopics: ownTopics,
        routes: this.#routes,
        memoryBudget: this.#budget,
        ...(this.taskStore.savePushConfigs === undefined
          ? {}
          : { persist: (taskId: string, configs: StoredPushConfig[]) => this.taskStore.savePushConfigs!(taskId, configs) }),
      });
    }
    const push = this.#push;
    if (options.resumeWindow !== false) {
      const budget = this.#budget;
      const windows = new ResumeWindows({
        ...options.resumeWindow,
        onBytesChanged: (delta) => (delta > 0 ? budget.charge(delta) : budget.release(-delta)),
      });
      // The windows of ended tasks are the first memory to give back.
      budget.addReclaimer((bytes) => windows.reclaim(bytes));
      this.#windows = windows;
    }
    this.#manager = new TaskManager({
      observer: this.#telemetry,
      store: this.taskStore,
      limiter: this.#limiter,
      maxBufferedEvents: options.maxBufferedEvents ?? 1024,
      inputTimeoutMs: options.inputTimeoutMs ?? 600_000,
      onError: this.#onError,
      ...(push === undefined ? {} : { onEvent: (taskId: string, event: StreamResponse) => push.notify(taskId, event) }),
    });
  }

  /** `discovery/{org}/{agent}` (under the prefix). */
  get discoveryTopic(): string {
    return this.#topics.discovery(this.orgId, this.agentId);
  }

  /** `{org}/{agent}/tasks`. */
  get tasksTopic(): string {
    return this.#topics.tasks(this.orgId, this.agentId);
  }

  /** `{org}/{agent}/results`. */
  get resultsTopic(): string {
    return this.#topics.results(this.orgId, this.agentId);
  }

  /** Counters since start: requests, tasks by final state, push deliveries, reconnects (docs/observability.md). */
  stats(): AgentStats {
    return this.#telemetry.stats();
  }

  /** Bytes of stream events kept for resuming streams (also charged to the memory budget). */
  get resumeWindowBytes(): number {
    return this.#windows?.bytes ?? 0;
  }

  /** The memory budget (bytes in use and the bound), e.g. for metrics. */
  get memoryBudget(): { readonly used: number; readonly maxBytes: number } {
    return this.#budget;
  }

  /** The transport in use once started. */
  get transport(): Transport | undefined {
    return this.#transport;
  }

  /** The Agent Card (without presence) for the skills registered so far. */
  get card(): AgentCard {
    const extendedAgentCard = this.#options.extendedAgentCard ?? this.#options.extendedCard !== undefined;
    const given = this.#options.card;
    if (given !== undefined) return (this.#card ??= withMqttInterface(given, { orgId: this.orgId, agentId: this.agentId }));
    return (this.#card ??= buildAgentCard({ ...this.#options, extendedAgentCard }, this.#skills.values()));
  }

  /**
   * Registers a plain function as a skill whose id is the function's name. It gets the
   * message's data parts merged (plus `message`, its text) and its return value
   * completes the task: a string as a text part, anything else as a data part.
   */
  registerTool(fn: (params: Record<string, unknown>) => unknown, options: ToolOptions = {}): this {
    return this.skill(toolToSkill(fn, options));
  }

  /** Registers a skill; see {@link SkillDefinition}. */
  skill<I>(definition: SkillDefinition<I>): this {
    if (this.#skills.has(definition.id)) throw new Error(`A skill with id ${JSON.stringify(definition.id)} is already registered`);
    if (definition.id === "") throw new TypeError("A skill id must not be empty");
    this.#skills.set(definition.id, toRegisteredSkill(definition as unknown as SkillDefinition<never>));
    this.#card = undefined;
    if (this.#state === "running") void this.#publishCard("online");
    return this;
  }

  /**
   * The will an owned transport uses: this agent's card, offline, retained; marked as a
   * will, with the longest expiry, so that clients can tell when it was sent.
   */
  offlineWill(): WillMessage {
    return {
      topic: this.discoveryTopic,
      payload: JSON.stringify(withPresence(this.card, "offline", new Date(), { will: true })),
      qos: 1,
      retain: true,
      properties: {
        contentType: "application/json",
        userProperties: presenceUserProperties("offline"),
        messageExpiryInterval: PRESENCE_WILL_EXPIRY_SECONDS,
      },
    };
  }

  /** Connects, subscribes to the tasks topic and publishes the retained card. */
  async start(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#state !== "idle") throw new Error(`start() called on an agent that is ${this.#state}; create a new agent`);
    if (this.#skills.size === 0 && this.#options.card === undefined) throw new Error("Register at least one skill (registerTool() or skill()) before start()");
    this.#state = "starting";
    try {
      const transport = this.#createTransport();
      this.#transport = transport;
      this.#wire(transport);
      this.#unwatch = this.#telemetry.watch(transport);
      // Push configs kept by an earlier run go on notifying, first of all of the failure
      // of the tasks that run left unfinished (a durable store): they have no handler any more.
      const push = this.#push;
      if (push !== undefined && this.taskStore.loadPushConfigs !== undefined) push.restore(await this.taskStore.loadPushConfigs());
      await failUnfinishedTasks(this.taskStore, undefined, (task) =>
        push?.notify(task.id, { statusUpdate: { taskId: task.id, contextId: task.contextId ?? "", status: task.status } }),
      );
      await transport.connect(options.signal === undefined ? {} : { signal: options.signal });
      this.#push?.setPublisher((topic, payload, publishOptions) => transport.publish(topic, payload, publishOptions));
      const onMessage = (message: Parameters<Parameters<Transport["subscribe"]>[1]>[0]) => this.#onMessage(message);
      this.#subscription = this.#pool
        ? await this.#pool.join(transport, onMessage)
        : await transport.subscribe(this.tasksTopic, onMessage, { qos: 1 });
      this.#unlisten = transport.on("connected", (event) => {
        // A broker without persistence forgets retained messages: publish again.
        if (event.reconnected) void this.#publishCard(this.#presence);
      });
      await this.#publishCard("online", true);
      this.#state = "running";
    } catch (error) {
      this.#state = "stopped";
      await this.#closeTransport();
      throw error;
    }
  }

  /**
   * Publishes the card with this presence: an agent fronting a service reports it
   * offline while the service is down, and online again when it is back.
   */
  async setPresence(status: PresenceStatus): Promise<void> {
    if (this.#presence === status) return;
    this.#presence = status;
    if (this.#state === "running") await this.#publishCard(status, true);
  }

  /**
   * Clears the retained card, stops taking new tasks, lets running tasks finish for
   * `gracePeriodMs`, aborts the rest (they end failed) and closes an owned transport.
   */
  async stop(options: { gracePeriodMs?: number } = {}): Promise<void> {
    if (this.#state !== "running") return;
    this.#state = "stopping";
    const grace = options.gracePeriodMs ?? this.#options.stopGracePeriodMs ?? 10_000;
    // A pool's card stays while other instances serve it.
    if (this.#pool) await this.#pool.leave(this.#transport);
    else await this.#clearCard();
    if (!(await this.#manager.drain(grace))) {
      await this.#manager.abortAll("The agent stopped before the task finished", 1000);
    }
    // Let replies of requests that just finished go out before disconnecting.
    await Promise.race([this.#whenIdle(), delay(1000)]);
    this.#unlisten?.();
    this.#unwatch?.();
    await this.#subscription?.unsubscribe().catch(this.#onError);
    await this.#manager.flush();
    // Notifications of the last events get a moment to go out, but never hold stop() long.
    await this.#push?.close(Math.min(grace, 5000));
    await this.#closeTransport();
    this.#state = "stopped";
  }

  #createTransport(): Transport {
    const broker = this.#options.broker;
    if (typeof broker !== "string") return broker;
    return new MqttTransport({
      ...this.#options.mqtt,
      url: broker,
      clientId: this.#options.clientId ?? this.#pool?.clientId(this.orgId, this.agentId) ?? `a2a-agent.${this.orgId}.${this.agentId}`,
      // A pool instance keeps no session: mosquitto would go on handing the dead
      // instance's share of new requests to its stored session (docs/binding.md).
      clean: this.#pool !== undefined,
      will: this.#pool?.will() ?? this.offlineWill(),
      logger: this.logger,
    });
  }

  async #closeTransport(): Promise<void> {
    if (this.#transport !== undefined && typeof this.#options.broker === "string") await this.#transport.close().catch(this.#onError);
  }

  #wire(transport: Transport): void {
    const isStopping = (): boolean => this.#state === "stopping" || this.#state === "stopped";
    const runtime: AgentRuntime = {
      manager: this.#manager,
      limiter: this.#limiter,
      access: new TaskAccess({ scoped: this.#options.scopeTasks ?? true }),
      budget: this.#budget,
      skills: this.#skills,
      card: () => this.card,
      push: this.#push,
      windows: this.#windows,
      extendedCard: this.#extendedCardProvider(),
      get stopping() {
        return isStopping();
      },
    };
    const cache = new BoundedCache<CachedOutcome>({
      maxEntries: this.#options.dedupMaxEntries ?? 10_000,
      ttlMs: this.#options.dedupWindowMs ?? 600_000,
      maxWeight: this.#options.dedupMaxBytes ?? 64 * 1024 * 1024,
      weightOf: outcomeBytes,
      memoryBudget: this.#budget,
    });
    // Remembered replies give memory back first (they only spare re-running a retry), then
    // terminal tasks: a task just answered stays readable with GetTask.
    this.taskStore.useMemoryBudget?.(this.#budget);
    const handlers = { ...defaultHandlers(), ...this.#options.operations } as OperationHandlers;
    const published = budgetedPublishes(transport, this.#budget);
    const replies = this.#pool ? this.#pool.replyTransport(published) : published;
    const common = { runtime, transport: replies, cache, onError: this.#onError };
    const topics = this.#topics;
    this.#dispatcher = new RequestDispatcher({ ...common, handlers, principalOf: (route) => replyRoutePrincipal(route.replyTopic, topics) });
    this.#compact = new CompactRequestHandler({ ...common, resultsTopic: this.resultsTopic });
  }

  #extendedCardProvider(): (() => Promise<AgentCard>) | undefined {
    const extended = this.#options.extendedCard;
    if (extended === undefined) return undefined;
    // A copy: the function may change what it is given, the cached card must not change.
    return async () => (typeof extended === "function" ? extended(structuredClone(this.card)) : extended);
  }

  #onMessage(message: Parameters<Parameters<Transport["subscribe"]>[1]>[0]): void {
    // A retained request would run again on every subscribe; requests are never retained.
    if (message.retain) return;
    const transport = this.#transport;
    if (transport === undefined) return;
    const decoded = decodeRequest(message, { maxPayloadBytes: this.#options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES });
    if (decoded.replyTopic !== undefined && !this.#routeAllowed(decoded.replyTopic, decoded.kind === "compact")) return;
    this.#pool?.claim(transport, message, decoded);
    const work = this.#telemetry.serve(decoded, (observer) => this.#serve(transport, decoded, observer));
    // Counted rather than kept in a set: one promise per request instead of three.
    this.#inflight++;
    work.then(this.#served, this.#failed);
  }

  #serve(transport: Transport, decoded: DecodedRequest, observer: ReplyObserver): Promise<void> {
    switch (decoded.kind) {
      case "invalid":
        return new Replier({ transport, route: routeOf(decoded), id: decoded.id, onError: this.#onError }).errorObject(decoded.error);
      case "compact":
        return this.#compact!.handle(decoded);
      case "jsonrpc":
        if (decoded.request.method === AGENT_STATS_METHOD && this.#options.exposeStats !== false) {
          return new Replier({ transport, route: routeOf(decoded), id: decoded.request.id ?? null, onError: this.#onError }).result(this.stats());
        }
        return this.#dispatcher!.dispatch(decoded, observer);
    }
  }

  /** A request asking for a refused reply route is dropped: no reply is possible. */
  #routeAllowed(replyTopic: string, compact: boolean): boolean {
    // A compact request may name the results topic its answer goes to anyway.
    if (compact && replyTopic === this.resultsTopic) return true;
    const refusal = this.#routes.refusal(replyTopic);
    if (refusal === undefined) return true;
    this.#onError(new Error(`Dropped a request: ${refusal}`));
    return false;
  }

  readonly #served = (): void => {
    if (--this.#inflight > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  };

  readonly #failed = (error: unknown): void => {
    this.#onError(error);
    this.#served();
  };

  #whenIdle(): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #publishCard(status: PresenceStatus, throwOnError = false): Promise<void> {
    const transport = this.#transport;
    if (transport === undefined) return;
    try {
      await transport.publish(this.discoveryTopic, JSON.stringify(withPresence(this.card, status)), {
        qos: 1,
        retain: true,
        properties: { contentType: "application/json", userProperties: presenceUserProperties(status) },
      });
    } catch (error) {
      if (throwOnError) throw error;
      this.#onError(error);
    }
  }

  async #clearCard(): Promise<void> {
    try {
      await this.#transport?.publish(this.discoveryTopic, "", { qos: 1, retain: true });
    } catch (error) {
      this.#onError(error);
    }
  }
}

/** Where to answer a request that no handler serves. */
function routeOf(decoded: ReplyRoute): ReplyRoute {
  const route: ReplyRoute = {};
  if (decoded.replyTopic !== undefined) route.replyTopic = decoded.replyTopic;
  if (decoded.correlationData !== undefined) route.correlationData = decoded.correlationData;
  return route;
}

/** The size of a remembered reply, once known (a stream remembers only its task id). */
function outcomeBytes(entry: CachedOutcome): number | Promise<number> {
  if (entry.kind !== "unary") return 0;
  // One outcome is remembered under two keys (request and message id): measured once.
  return (entry.bytes ??= entry.outcome.then(replyBytes));
}

function replyBytes(done: { json: string } | { error: unknown }): number {
  return "json" in done ? done.json.length : JSON.stringify(done.error).length;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
