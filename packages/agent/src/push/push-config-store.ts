import type { TaskPushNotificationConfig } from "@a2a/schema";

/** A stored config: every field the client gave, with `id` and `taskId` set. */
export type StoredPushConfig = TaskPushNotificationConfig & { id: string; taskId: string };

/** Why a config could not be added. */
export class PushConfigLimitError extends Error {
  override readonly name = "PushConfigLimitError";
}

/**
 * The push notification configs of tasks, in memory and bounded: at most
 * `maxPerTask` per task and `maxTotal` in all. Configs live until deleted or until
 * their task ends.
 */
export class PushConfigStore {
  readonly #byTask = new Map<string, Map<string, StoredPushConfig>>();
  readonly #maxPerTask: number;
  readonly #maxTotal: number;
  #total = 0;

  constructor(options: { maxPerTask: number; maxTotal: number }) {
    this.#maxPerTask = Math.max(1, options.maxPerTask);
    this.#maxTotal = Math.max(1, options.maxTotal);
  }

  get size(): number {
    return this.#total;
  }

  /** Throws {@link PushConfigLimitError} when one more config for `taskId` (not replacing `id`) would exceed a bound. */
  checkRoom(taskId: string, id?: string): void {
    const configs = this.#byTask.get(taskId);
    if (id !== undefined && configs?.has(id) === true) return;
    if ((configs?.size ?? 0) >= this.#maxPerTask) {
      throw new PushConfigLimitError(`task ${taskId} already has ${this.#maxPerTask} push notification configs; delete one first`);
    }
    if (this.#total >= this.#maxTotal) {
      throw new PushConfigLimitError(`this agent holds its maximum of ${this.#maxTotal} push notification configs; retry later`);
    }
  }

  /** Adds or replaces (same id) a config. Returns the config replaced, if any. */
  put(config: StoredPushConfig): StoredPushConfig | undefined {
    this.checkRoom(config.taskId, config.id);
    let configs = this.#byTask.get(config.taskId);
    if (configs === undefined) this.#byTask.set(config.taskId, (configs = new Map<string, StoredPushConfig>()));
    const previous = configs.get(config.id);
    if (previous === undefined) this.#total++;
    configs.set(config.id, config);
    return previous;
  }

  get(taskId: string, id: string): StoredPushConfig | undefined {
    return this.#byTask.get(taskId)?.get(id);
  }

  /** The configs of a task in creation order. */
  list(taskId: string): StoredPushConfig[] {
    return [...(this.#byTask.get(taskId)?.values() ?? [])];
  }

  /** Removes one config; returns it if it existed. */
  delete(taskId: string, id: string): StoredPushConfig | undefined {
    const configs = this.#byTask.get(taskId);
    const config = configs?.get(id);
    if (configs === undefined || config === undefined) return undefined;
    configs.delete(id);
    this.#total--;
    if (configs.size === 0) this.#byTask.delete(taskId);
    return config;
  }

  /** Removes every config of a task; returns them. */
  deleteTask(taskId: string): StoredPushConfig[] {
    const configs = this.list(taskId);
    this.#byTask.delete(taskId);
    this.#total -= configs.length;
    return configs;
  }
}
