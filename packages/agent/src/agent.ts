import { setTimeout as sleep } from "node:timers/promises";
import type { AgentCard, StreamResponse } from "@a2a/schema";
import { consoleLogger, createTopicScheme, type Logger, type Subscription, type Transport, type WillMessage } from "@a2a/transport";
import { DEFAULT_MAX_PAYLOAD_BYTES, decodeRequest, encodePresence, type PresenceStatus } from "@a2a/transport/binding";
import { MemoryBudget } from "./memory-budget.js";
import { buildAgentCard, withMqttInterface } from "./card.js";
import { ResumeWindows } from "./event-window.js";
import type { A2AAgentOptions } from "./agent-options.js";
import { InMemoryTaskStore } from "./in-memory-task-store.js";
import { agentExtended, type AgentExtended } from "./emqx/agent-extended.js";
import { PoolMembership } from "./pool.js";
import { PushNotifier } from "./push/push-notifier.js";
import type { StoredPushConfig } from "./push/push-config-store.js";
import { failUnfinishedTasks } from "./recover-tasks.js";
import { rememberLastParse, TaskAccess } from "./principal.js";
import { ReplyRoutePolicy } from "./reply-route-policy.js";
import { ScopedAgentServices } from "./services.js";
import { createRequestIntake, sharedReplyMemory, type RequestIntake } from "./request-intake.js";
import { toRegisteredSkill, toolToSkill, type RegisteredSkill, type SkillDefinition, type ToolOptions } from "./skill.js";
import { TaskLimiter } from "./task-limiter.js";
import { TaskManager } from "./task-manager.js";
import type { TaskStore } from "./task-store.js";
import type { AgentStats } from "./telemetry/agent-metrics.js";
import { AgentTelemetry } from "./telemetry/agent-telemetry.js";

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
  #intake: RequestIntake | undefined;
  #card: AgentCard | undefined;
  readonly #push: PushNotifier | undefined;
  readonly #telemetry: AgentTelemetry;
  /** The logger given in the options (or the default). */
  readonly logger: Logger;
  readonly #windows: ResumeWindows | undefined;
  readonly #pool: PoolMembership | undefined;
  readonly #routes: ReplyRoutePolicy;
  readonly #budget: MemoryBudget;
  readonly #extended: AgentExtended;
  readonly #emqx: AgentExtended["endpoint"];

  constructor(options: A2AAgentOptions) {
    this.#options = options;
    this.orgId = options.orgId;
    this.agentId = options.agentId;
    this.#topics = rememberLastParse(createTopicScheme({ prefix: options.topicPrefix ?? "" }));
    // Validates both ids now rather than at start().
    this.#topics.tasks(options.orgId, options.agentId);
    this.logger = options.logger ?? consoleLogger();
    this.#extended = agentExtended({ agent: options, card: () => this.card, logger: this.logger, onError: (e) => this.#onError(e) });
    this.#emqx = this.#extended.endpoint;
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
        observe: (delivery) => telemetry.observePush(delivery),
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
    const card = this.#card ?? (given !== undefined ? withMqttInterface(given, { orgId: this.orgId, agentId: this.agentId }) : buildAgentCard({ ...this.#options, extendedAgentCard, ...this.#extended.cardOptions }, this.#skills.values()));
    return (this.#card ??= this.#emqx?.withInterface(card) ?? card);
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
    return encodePresence({ topic: this.discoveryTopic, card: this.card, status: "offline", will: true });
  }

  /** Connects, subscribes to the tasks topic and publishes the retained card. */
  async start(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#state !== "idle") throw new Error(`start() called on an agent that is ${this.#state}; create a new agent`);
    if (this.#skills.size === 0 && this.#options.card === undefined) throw new Error("Register at least one skill (registerTool() or skill()) before start()");
    this.#state = "starting";
    try {
      const transport = await this.#createTransport();
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
      await this.#emqx?.start({ card: () => this.card, serve: (d, run) => this.#telemetry.serve(d, run), signal: options.signal });
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
    await Promise.race([this.#whenIdle(), sleep(1000, undefined, { ref: false })]);
    this.#unlisten?.();
    this.#unwatch?.();
    await this.#subscription?.unsubscribe().catch(this.#onError);
    await this.#manager.flush();
    // Notifications of the last events get a moment to go out, but never hold stop() long.
    await this.#push?.close(Math.min(grace, 5000));
    await this.#emqx?.stop();
    await this.#closeTransport();
    this.#state = "stopped";
  }

  async #createTransport(): Promise<Transport> {
    const broker = this.#options.broker;
    if (typeof broker !== "string") return broker;
    // Loaded on demand: an agent on another transport (in memory, in tests) never loads mqtt.js.
    const { MqttTransport } = await import("@a2a/transport/mqtt");
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
    const services = new ScopedAgentServices({
      manager: this.#manager,
      limiter: this.#limiter,
      access: new TaskAccess({ scoped: this.#options.scopeTasks ?? true }),
      budget: this.#budget,
      skills: this.#skills,
      card: () => this.card,
      push: this.#push,
      windows: this.#windows,
      extendedCard: this.#extendedCardProvider(),
      isStopping,
      replyHistoryLength: this.#options.replyHistoryLength,
    });
    const intake = {
      services,
      ...sharedReplyMemory({ budget: this.#budget, options: this.#options, taskStore: this.taskStore }),
      pool: this.#pool,
      topics: this.#topics,
      resultsTopic: this.resultsTopic,
      stats: () => this.stats(),
      onError: this.#onError,
    };
    this.#intake = createRequestIntake({ ...intake, transport, guard: this.#extended.guard(transport) });
    this.#emqx?.useIntake(intake); // the same services behind the profile's connection
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
    const intake = this.#intake!;
    const work = this.#telemetry.serve(decoded, (observer) => intake(decoded, observer));
    // Counted rather than kept in a set: one promise per request instead of three.
    this.#inflight++;
    work.then(this.#served, this.#failed);
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
      const { topic, payload, ...publishOptions } = encodePresence({ topic: this.discoveryTopic, card: this.card, status });
      await Promise.all([transport.publish(topic, payload, publishOptions), this.#emqx?.publishCard(status)]);
    } catch (error) {
      if (throwOnError) throw error;
      this.#onError(error);
    }
  }

  async #clearCard(): Promise<void> {
    try {
      await Promise.all([this.#transport?.publish(this.discoveryTopic, "", { qos: 1, retain: true }), this.#emqx?.publishCard("offline")]);
    } catch (error) {
      this.#onError(error);
    }
  }
}
