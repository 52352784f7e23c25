import type { Subscription, TopicScheme, Transport } from "@a2a/transport";
import { decodeInstancePresence, instanceTasksTopic, isJsonObject } from "@a2a/transport/binding";
import { parseAgentId } from "./agent-id.js";
import { A2AClientError } from "./errors.js";
import type { PendingEntry, PendingRequests } from "./pending-requests.js";

/** Tasks whose instance is remembered; the oldest are forgotten first. */
const MAX_REMEMBERED_TASKS = 10_000;
/** Pools whose instances' presence is watched. */
const MAX_WATCHED_POOLS = 256;

export interface PoolRoutesOptions {
  transport: Transport;
  topics: TopicScheme;
  pending: PendingRequests;
  /**
   * How long a call to a pool may stay unclaimed after one of its instances went
   * offline before it fails: a request that instance took but never claimed is lost.
   * @default 2000
   */
  unclaimedGraceMs?: number;
}

/** The task id a request refers to (follow-ups), when it names one. */
function taskIdOf(method: string, params: unknown): string | undefined {
  if (!isJsonObject(params)) return undefined;
  if (method === "SendMessage" || method === "SendStreamingMessage" || method === "message/send" || method === "message/stream") {
    const message = params.message;
    return isJsonObject(message) && typeof message.taskId === "string" ? message.taskId : undefined;
  }
  if (typeof params.taskId === "string") return params.taskId;
  if (typeof params.id === "string") return params.id;
  // Push config operations name the task in `parent` (`tasks/{id}`) or `name`.
  for (const key of ["parent", "name"] as const) {
    const value = params[key];
    const match = typeof value === "string" ? /^tasks\/([^/]+)/.exec(value) : null;
    if (match) return match[1];
  }
  return undefined;
}

/** The task ids a result carries (a Task, a stream event, a message of a task). */
function taskIdsIn(result: unknown): string[] {
  if (!isJsonObject(result)) return [];
  const ids: string[] = [];
  const look = (value: unknown) => {
    if (!isJsonObject(value)) return;
    if (typeof value.taskId === "string") ids.push(value.taskId);
    if (typeof value.id === "string" && isJsonObject(value.status)) ids.push(value.id);
  };
  look(result);
  for (const key of ["task", "message", "statusUpdate", "artifactUpdate"]) look(result[key]);
  return ids;
}

/**
 * The client side of agent pools (docs/binding.md, "Agent pools"): remembers which
 * instance answered for each task and sends that task's follow-ups to the instance's own
 * topic; watches the presence of the instances it has heard from, and fails at once the
 * calls held by an instance that went offline.
 */
export class PoolRoutes {
  readonly #o: PoolRoutesOptions;
  /** `{agentId} {taskId}` → instance id. */
  readonly #tasks = new Map<string, string>();
  /** The instance that claimed or answered each call in flight. */
  readonly #pinned = new WeakMap<PendingEntry, string>();
  readonly #watched = new Map<string, Promise<Subscription | undefined>>();

  constructor(options: PoolRoutesOptions) {
    this.#o = options;
  }

  /** The topic for a request: the instance holding the task it names, else `baseTopic`. */
  topicFor(request: { readonly agentId: string; readonly method: string; readonly params: unknown }, baseTopic: string): string {
    if (this.#tasks.size === 0) return baseTopic;
    const taskId = taskIdOf(request.method, request.params);
    const instance = taskId === undefined ? undefined : this.#tasks.get(`${request.agentId} ${taskId}`);
    return instance === undefined ? baseTopic : instanceTasksTopic(baseTopic, instance);
  }

  /** A claim or reply of pool instance `instance` for `entry`, with the reply's result if any. */
  observe(entry: PendingEntry, instance: string, result?: unknown): void {
    this.#pinned.set(entry, instance);
    for (const taskId of taskIdsIn(result)) this.#remember(`${entry.agent} ${taskId}`, instance);
    this.#watch(entry.agent);
  }

  async close(): Promise<void> {
    const subscriptions = await Promise.all([...this.#watched.values()]);
    this.#watched.clear();
    await Promise.all(subscriptions.flatMap((s) => (s === undefined ? [] : [s.unsubscribe().catch(() => undefined)])));
  }

  #remember(key: string, instance: string): void {
    this.#tasks.delete(key);
    this.#tasks.set(key, instance);
    if (this.#tasks.size > MAX_REMEMBERED_TASKS) this.#tasks.delete(this.#tasks.keys().next().value!);
  }

  #watch(agentId: string): void {
    if (this.#watched.has(agentId) || this.#watched.size >= MAX_WATCHED_POOLS) return;
    const { org, agent } = parseAgentId(agentId);
    const filter = `${this.#o.topics.discovery(org, agent)}/instances/+`;
    const subscribed = this.#o.transport
      .subscribe(filter, (message) => {
        const presence = decodeInstancePresence(message.payload);
        if (presence?.status === "offline") this.#instanceLost(agentId, presence.instanceId);
      }, { qos: 1 })
      .catch(() => undefined);
    this.#watched.set(agentId, subscribed);
  }

  #instanceLost(agentId: string, instance: string): void {
    const unclaimed: PendingEntry[] = [];
    for (const entry of this.#o.pending.entries()) {
      if (entry.agent !== agentId) continue;
      const holder = this.#pinned.get(entry);
      if (holder === instance) {
        entry.fail(
          new A2AClientError(
            "AGENT_OFFLINE",
            `Instance ${instance} of agent pool ${agentId}, which held this call, went offline before answering; its task is lost with it. Retry (another instance will take it).`,
          ),
        );
      } else if (holder === undefined) {
        unclaimed.push(entry);
      }
    }
    if (unclaimed.length === 0) return;
    // Live instances claim what they take at once: what is still unclaimed after the
    // grace went to the lost instance with its last messages.
    setTimeout(() => {
      for (const entry of unclaimed) {
        if (this.#pinned.has(entry) || this.#o.pending.get(entry.id) !== entry) continue;
        entry.fail(
          new A2AClientError(
            "AGENT_OFFLINE",
            `Instance ${instance} of agent pool ${agentId} went offline and no instance claimed this call; it was most likely lost with that instance. Retry.`,
          ),
        );
      }
    }, this.#o.unclaimedGraceMs ?? 2_000).unref?.();
  }
}
