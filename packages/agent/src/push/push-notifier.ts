import {
  isTerminalState,
  type StreamResponse,
  type TaskPushNotificationConfig,
  A2AProtocolError,
} from "@a2a/schema";
import type { PublishOptions, PublishResult } from "@a2a/transport";
import { DeliveryQueue, type AttemptResult } from "./delivery-queue.js";
import { PushConfigLimitError, PushConfigStore, type StoredPushConfig } from "./push-config-store.js";
import { parsePushTarget, type AddressPolicy, type PushTarget } from "./push-target.js";
import { POLICY_ERROR_CODE, WebhookPoster } from "./webhook-post.js";
import type { Principal } from "../principal.js";
import type { ReplyRoutePolicy } from "../reply-route-policy.js";
import type { MemoryBudget } from "../memory-budget.js";

/** Content type of every push notification body (a StreamResponse). */
export const PUSH_CONTENT_TYPE = "application/a2a+json";
/** Header (and MQTT 5 user property) carrying a config's `token`. */
export const NOTIFICATION_TOKEN_HEADER = "X-A2A-Notification-Token";

/** Push notification settings of an agent; see docs/binding.md, "Push notifications". */
export interface PushNotificationOptions {
  /**
   * Allow webhooks on private networks (10/8, 172.16/12, 192.168/16, 100.64/10,
   * fc00::/7), e.g. for agents on a plant LAN. Off by default against SSRF.
   * @default false
   */
  allowPrivateNetworks?: boolean;
  /** Allow webhooks on loopback (127/8, ::1, localhost). @default false */
  allowLoopback?: boolean;
  /** Configs per task. @default 10 */
  maxConfigsPerTask?: number;
  /** Configs held in all. @default 10000 */
  maxConfigs?: number;
  /** Notifications waiting per config; beyond, the oldest waiting is dropped. @default 100 */
  maxQueuedPerConfig?: number;
  /** Attempts per notification, the first included. @default 5 */
  maxAttempts?: number;
  /** First retry delay, doubled per retry (with jitter). @default 500 */
  retryBaseDelayMs?: number;
  /** Longest retry delay. @default 30000 */
  retryMaxDelayMs?: number;
  /** Time for one webhook request (or MQTT publish) to complete. @default 10000 */
  requestTimeoutMs?: number;
}

/** Wraps the delivery attempts of one config (traces and metrics). */
export type PushAttemptObserver = (delivery: PushDelivery) => PushAttempt;

/** One delivery attempt of a notification body. */
export type PushAttempt = (body: string, signal: AbortSignal) => Promise<AttemptResult>;

/** The deliveries of one config, as an observer sees them. */
export interface PushDelivery {
  taskId: string;
  configId: string;
  target: "http" | "mqtt";
  attempt: PushAttempt;
}

/** Where a config comes from, for {@link PushNotifier.check} and {@link PushNotifier.create}. */
export interface PushConfigSource {
  /** The member of the request holding the config, named in errors. @default "params" */
  path?: string;
  /** The requester: an `mqtt:///` inbox must be its own. */
  principal?: Principal | undefined;
}

type Publish = (topic: string, payload: string, options: PublishOptions) => Promise<PublishResult>;

/**
 * Holds push notification configs and delivers each task event to them: HTTP POST
 * webhooks as in the A2A specification, or publishes on the agent's broker for
 * `mqtt:///{topic}` configs. Delivery is asynchronous, ordered per config, bounded,
 * retried, and never slows the task.
 */
export class PushNotifier {
  readonly #o: Required<PushNotificationOptions>;
  readonly #store: PushConfigStore;
  readonly #queues = new Map<string, DeliveryQueue>();
  readonly #poster: WebhookPoster;
  readonly #onError: (error: unknown) => void;
  readonly #forbiddenTopics: string[];
  readonly #routes: ReplyRoutePolicy | undefined;
  readonly #budget: MemoryBudget | undefined;
  readonly #persist: ((taskId: string, configs: StoredPushConfig[]) => Promise<void>) | undefined;
  #publish: Publish | undefined;

  readonly #observe: PushAttemptObserver | undefined;

  constructor(
    options: PushNotificationOptions & {
      onError: (error: unknown) => void;
      forbiddenTopics?: string[];
      routes?: ReplyRoutePolicy;
      memoryBudget?: MemoryBudget;
      /** Keeps a task's configs durably (the task store's `savePushConfigs`). */
      persist?: (taskId: string, configs: StoredPushConfig[]) => Promise<void>;
      /** Wraps each config's delivery attempts (traces and metrics). */
      observe?: PushAttemptObserver;
    },
  ) {
    this.#observe = options.observe;
    this.#o = {
      allowPrivateNetworks: options.allowPrivateNetworks ?? false,
      allowLoopback: options.allowLoopback ?? false,
      maxConfigsPerTask: options.maxConfigsPerTask ?? 10,
      maxConfigs: options.maxConfigs ?? 10_000,
      maxQueuedPerConfig: options.maxQueuedPerConfig ?? 100,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    this.#onError = options.onError;
    this.#forbiddenTopics = options.forbiddenTopics ?? [];
    this.#routes = options.routes;
    this.#budget = options.memoryBudget;
    this.#persist = options.persist;
    this.#store = new PushConfigStore({ maxPerTask: this.#o.maxConfigsPerTask, maxTotal: this.#o.maxConfigs });
    this.#poster = new WebhookPoster(this.#policy);
  }

  get #policy(): AddressPolicy {
    return { allowPrivateNetworks: this.#o.allowPrivateNetworks, allowLoopback: this.#o.allowLoopback };
  }

  /** How `mqtt:///{topic}` configs are delivered (the agent's transport). */
  setPublisher(publish: Publish | undefined): void {
    this.#publish = publish;
  }

  /** Configs held. */
  get size(): number {
    return this.#store.size;
  }

  /** Delivery queues alive (one per config that has had a notification). */
  get queueCount(): number {
    return this.#queues.size;
  }

  /**
   * Checks a config from a request and that the task has room for it (`null`: a task
   * about to be created; `undefined`: skip the room check); throws the -32602 error to
   * answer with, naming `source.path` (e.g. `params`). An `mqtt:///` topic follows the
   * agent's reply-route policy, and an inbox must be the requester's own (`source.principal`).
   */
  check(config: TaskPushNotificationConfig, taskId: string | null | undefined, source: PushConfigSource = {}): PushTarget {
    const { path = "params", principal } = source;
    const parsed = parsePushTarget(config.url, this.#policy, this.#forbiddenTopics);
    if (!parsed.ok) throw invalid(`${path}.url ${parsed.error}`, `${path}.url`, parsed.error);
    if (parsed.target.kind === "mqtt" && this.#routes !== undefined) {
      const topic = parsed.target.topic;
      const refusal = this.#routes.refusal(topic);
      if (refusal !== undefined) throw invalid(`${path}.url is not allowed: ${refusal}`, `${path}.url`, "is not an allowed topic");
      const inbox = this.#routes.inboxOwner(topic);
      if (inbox !== undefined && !(principal?.kind === "reply-route" && principal.clientId === inbox)) {
        throw invalid(`${path}.url is the inbox of another client (${inbox}); use your own replies/{clientId}/... topic`, `${path}.url`, "is another client's inbox");
      }
    }
    const auth = config.authentication;
    if (auth !== undefined) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(auth.scheme)) {
        throw invalid(`${path}.authentication.scheme must be an HTTP auth scheme token (e.g. Bearer)`, `${path}.authentication.scheme`, "is not a token");
      }
      if (auth.credentials !== undefined && !isHeaderValue(auth.credentials)) {
        throw invalid(`${path}.authentication.credentials must not contain control characters`, `${path}.authentication.credentials`, "has control characters");
      }
    }
    if (config.token !== undefined && !isHeaderValue(config.token)) {
      throw invalid(`${path}.token must not contain control characters`, `${path}.token`, "has control characters");
    }
    if (taskId !== undefined) {
      try {
        // A new task has no configs yet: only the total bound applies ("" is no task id).
        this.#store.checkRoom(taskId ?? "", config.id);
      } catch (error) {
        if (error instanceof PushConfigLimitError) throw invalid(error.message, path, "limit reached");
        throw error;
      }
    }
    return parsed.target;
  }

  /** Adds (or replaces, same id) a config of `taskId`; assigns an id when it has none. */
  create(taskId: string, config: TaskPushNotificationConfig, source: PushConfigSource = {}): StoredPushConfig {
    this.check(config, taskId, source);
    const stored: StoredPushConfig = { ...config, id: config.id ?? crypto.randomUUID(), taskId };
    const previous = this.#store.put(stored);
    if (previous !== undefined) this.#closeQueue(previous);
    this.#save(taskId);
    return stored;
  }

  /** Puts back configs kept by an earlier run (see `TaskStore.loadPushConfigs`). */
  restore(configs: readonly StoredPushConfig[]): void {
    for (const config of configs) {
      try {
        this.#store.put(config);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  #save(taskId: string): void {
    this.#persist?.(taskId, this.#store.list(taskId)).catch(this.#onError);
  }

  get(taskId: string, id: string): StoredPushConfig | undefined {
    return this.#store.get(taskId, id);
  }

  list(taskId: string): StoredPushConfig[] {
    return this.#store.list(taskId);
  }

  /** Removes a config; notifications not yet delivered to it are dropped. */
  delete(taskId: string, id: string): void {
    const removed = this.#store.delete(taskId, id);
    if (removed !== undefined) {
      this.#closeQueue(removed);
      this.#save(taskId);
    }
  }

  /**
   * Queues `event` for every config of its task. After a terminal state the task's
   * configs are removed (their queues still deliver what they hold).
   */
  notify(taskId: string, event: StreamResponse): void {
    const configs = this.#store.list(taskId);
    if (configs.length === 0) return;
    const body = JSON.stringify(event);
    const last = "statusUpdate" in event && isTerminalState(event.statusUpdate.status.state);
    for (const config of configs) {
      const queue = this.#queue(config);
      queue.push(body);
      // The task's last notification: forget the queue once it has delivered it.
      if (last) void queue.idle().then(() => this.#queues.get(queueKey(config)) === queue && this.#queues.delete(queueKey(config)));
    }
    if (last) {
      this.#store.deleteTask(taskId);
      this.#save(taskId);
    }
  }

  /** Waits up to `timeoutMs` for queued notifications, then stops all delivery. */
  async close(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const pending = Promise.all([...this.#queues.values()].map((q) => q.idle()));
    await Promise.race([pending, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    for (const queue of this.#queues.values()) queue.close();
    this.#queues.clear();
    this.#poster.close();
  }

  #queue(config: StoredPushConfig): DeliveryQueue {
    const key = queueKey(config);
    const existing = this.#queues.get(key);
    if (existing !== undefined) return existing;
    const target = parsePushTarget(config.url, this.#policy, this.#forbiddenTopics);
    let attempt = target.ok ? this.#attempt(config, target.target) : async (): Promise<AttemptResult> => ({ ok: false, retry: false, error: new Error(target.error) });
    if (this.#observe !== undefined) attempt = this.#observe({ taskId: config.taskId, configId: config.id, target: target.ok ? target.target.kind : "http", attempt });
    const queue = new DeliveryQueue({
      describe: `config ${config.id} of task ${config.taskId} (${describeTarget(target.ok ? target.target : undefined)})`,
      attempt,
      maxQueued: this.#o.maxQueuedPerConfig,
      maxAttempts: this.#o.maxAttempts,
      baseDelayMs: this.#o.retryBaseDelayMs,
      maxDelayMs: this.#o.retryMaxDelayMs,
      onError: this.#onError,
      ...(this.#budget === undefined ? {} : { memoryBudget: this.#budget }),
    });
    this.#queues.set(key, queue);
    return queue;
  }

  #closeQueue(config: StoredPushConfig): void {
    const key = queueKey(config);
    this.#queues.get(key)?.close();
    this.#queues.delete(key);
  }

  #attempt(config: StoredPushConfig, target: PushTarget): (body: string, signal: AbortSignal) => Promise<AttemptResult> {
    const headers: Record<string, string> = { "Content-Type": PUSH_CONTENT_TYPE, "User-Agent": "a2a-mqtt-agent" };
    const auth = config.authentication;
    if (auth?.credentials !== undefined) headers["Authorization"] = `${auth.scheme} ${auth.credentials}`;
    if (config.token !== undefined) headers[NOTIFICATION_TOKEN_HEADER] = config.token;
    const timeoutMs = this.#o.requestTimeoutMs;
    if (target.kind === "http") {
      return async (body, signal) => {
        const outcome = await this.#poster.post({ url: target.url, body, headers, timeoutMs, signal });
        if ("error" in outcome) return { ok: false, retry: (outcome.error as { code?: unknown }).code !== POLICY_ERROR_CODE, error: outcome.error };
        if (outcome.status >= 200 && outcome.status < 300) return { ok: true };
        const retry = outcome.status >= 500 || outcome.status === 408 || outcome.status === 425 || outcome.status === 429;
        return { ok: false, retry, error: new Error(`the webhook answered HTTP ${outcome.status}`) };
      };
    }
    const userProperties: Record<string, string> = {};
    if (headers["Authorization"] !== undefined) userProperties["Authorization"] = headers["Authorization"];
    if (config.token !== undefined) userProperties[NOTIFICATION_TOKEN_HEADER] = config.token;
    return async (body, signal) => {
      const publish = this.#publish;
      if (publish === undefined) return { ok: false, retry: true, error: new Error("the agent is not connected to a broker") };
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        await publish(target.topic, body, {
          qos: 1,
          signal: AbortSignal.any([signal, timeout]),
          properties: { contentType: PUSH_CONTENT_TYPE, userProperties },
        });
        return { ok: true };
      } catch (error) {
        return { ok: false, retry: true, error: error instanceof Error ? error : new Error(String(error)) };
      }
    };
  }
}

function queueKey(config: StoredPushConfig): string {
  return `${config.taskId}\u0000${config.id}`;
}

function describeTarget(target: PushTarget | undefined): string {
  if (target === undefined) return "invalid url";
  return target.kind === "http" ? `${target.url.origin}${target.url.pathname}` : `mqtt topic ${target.topic}`;
}

function isHeaderValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}

function invalid(message: string, field: string, description: string): A2AProtocolError {
  return A2AProtocolError.invalidParams(message, [{ path: field, message: description }]);
}
